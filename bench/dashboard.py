"""Benchmark of the action-plan dashboard (run by ``make bench`` too).

Builds, in a fresh database, an action plan of N measures with M indicators each (targets and
results for two years), then times R requests of the dashboard, the filtered dashboard, the
briefing pack and the home page with the Flask test client, and prints p50/p95 and the number
of SQL statements of each page.

Usage: ``python bench/dashboard.py [--measures 5000] [--indicators 50] [--runs 20]``

The database is SQLite in a temporary directory, or the empty database named by
``COORDINATION_BENCH_DATABASE_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/bench``;
its tables are created, and dropped at the end). With ``BENCH_PROFILE=1`` the four slowest
statements of each page are printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from coordination import create_app
from coordination.agencies.models import Agency, AgencyKind, Forum, ForumMembership
from coordination.auth.sessions import start_session
from coordination.core.texts import Texts
from coordination.core.time import today_brussels
from coordination.db import db
from coordination.demo.measures import THEMES
from coordination.measures.models import ActionPlan, Theme
from coordination.meetings.models import Meeting, MeetingStatus
from coordination.users.models import Role, User
from tests.dashboard import scale_data


def seed(measures: int, indicators: int) -> tuple[str, int]:
    """The plan, its agencies, platform meetings and a minister; returns (session id, theme
    id)."""
    today = today_brussels()
    platform = Forum(
        code="platform", political=True, name_nl="Platform", name_fr="Plateforme",
        name_en="Platform", cadence_nl="halfjaarlijks", cadence_fr="semestriel",
        cadence_en="twice a year",
    )  # fmt: skip
    agencies = [
        Agency(code=code, kind=AgencyKind.OTHER, name_nl=code, name_fr=code, name_en=code)
        for code in ("CU", "FEDPOL", "NSSO", "SOCINSP", "IMMIGRATION", "COLPG", "PAGASA")
    ]
    cabinet = Agency(code="JUSTICE", kind=AgencyKind.MINISTRY, name_nl="Justitie",
                     name_fr="Justice", name_en="Justice")  # fmt: skip
    db.session.add_all([platform, cabinet, *agencies])
    db.session.flush()
    db.session.add(ForumMembership(forum=platform, agency=cabinet, since=today.replace(year=2020)))
    meetings = []
    for year in range(2021, today.year + 2):
        for month in (3, 10):
            starts = datetime(year, month, 10, 9, tzinfo=UTC)
            past = starts.date() < today
            meetings.append(
                Meeting(
                    forum=platform,
                    title=Texts.same(f"Platform {year}-{month:02d}"),
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                    local_date=starts.date(),
                    uid=f"bench-platform-{year}-{month}@coordination.example",
                    status=MeetingStatus.HELD if past else MeetingStatus.SCHEDULED,
                )
            )
    db.session.add_all(meetings)
    plan = ActionPlan(
        code="NAP-2021-2025", title_nl="Nationaal actieplan", title_fr="Plan d'action national",
        title_en="National action plan", start_year=2021, end_year=2025,
    )  # fmt: skip
    plan.themes = [
        Theme(position=position, name_nl=nl, name_fr=fr, name_en=en)
        for position, (nl, fr, en) in enumerate(THEMES, start=1)
    ]
    user = User(
        email="minister@bench.example", full_name="Bench minister", role=Role.MINISTER,
        agency=cabinet, password_hash="-", locale="fr",  # noqa: S106 - never logs in
    )  # fmt: skip
    db.session.add_all([plan, user])
    db.session.flush()
    scale_data.add_measures(
        plan,
        count=measures,
        indicators_per_measure=indicators,
        years=(2024, 2025),
        agency_ids=[agency.id for agency in agencies],
        adoption_meeting_ids=[m.id for m in meetings if m.status is MeetingStatus.HELD],
        today=today,
    )
    db.session.commit()
    # A server-side session, as the login form would start (tests/conftest.py sign_in).
    secret = start_session(user, ip_address="127.0.0.1", user_agent="bench")
    db.session.commit()
    return secret, plan.themes[0].id


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(url: str | None, measures: int, indicators: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        database_url = url or f"sqlite:///{directory}/bench.sqlite"
        app = create_app(
            {
                "DATABASE_URL": database_url,
                "SECRET_KEY": "bench-secret-key-not-used-anywhere-else",
                "RATELIMIT_ENABLED": False,
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            user_id, theme_id = seed(measures, indicators)
            took = time.perf_counter() - started
            print(
                f"data: {measures} measures x {indicators} indicators on "
                f"{db.engine.dialect.name}, built in {took:.1f} s"
            )
            engine = db.engine
        try:
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = user_id
                session["_fresh"] = True
            statements: list[str] = []

            def count(conn, cursor, statement, *args):
                statements.append(statement)

            for label, page in (
                ("dashboard", "/dashboard/"),
                ("dashboard, one theme", f"/dashboard/?theme={theme_id}"),
                ("briefing pack", "/dashboard/briefing"),
                ("home page", "/"),
            ):
                # Warm caches like a running server.
                first = client.get(page)
                assert first.status_code == 200, (page, first.status_code, first.location)
                statements.clear()
                sa.event.listen(engine, "before_cursor_execute", count)
                assert client.get(page).status_code == 200
                sa.event.remove(engine, "before_cursor_execute", count)
                if os.environ.get("BENCH_PROFILE"):
                    timings: list[tuple[float, str]] = []

                    def before(conn, cursor, statement, params, context, many):
                        context.bench_started = time.perf_counter()

                    def after(conn, cursor, statement, params, context, many, timings=timings):
                        took = time.perf_counter() - context.bench_started
                        timings.append((took, " ".join(statement.split())[:100]))

                    sa.event.listen(engine, "before_cursor_execute", before)
                    sa.event.listen(engine, "after_cursor_execute", after)
                    client.get(page)
                    sa.event.remove(engine, "before_cursor_execute", before)
                    sa.event.remove(engine, "after_cursor_execute", after)
                    for took, statement in sorted(timings, reverse=True)[:4]:
                        print(f"    {took * 1000:6.0f} ms  {statement}")
                durations = []
                for _ in range(runs):
                    started = time.perf_counter()
                    response = client.get(page)
                    durations.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200
                print(
                    f"{label:22} p50 {statistics.median(durations):7.0f} ms, "
                    f"p95 {percentile(durations, 0.95):7.0f} ms, "
                    f"{len(statements)} SQL statements"
                )
        finally:
            with app.app_context():
                db.drop_all()
                engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--measures", type=int, default=5000)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    run(
        os.environ.get("COORDINATION_BENCH_DATABASE_URL"),
        options.measures,
        options.indicators,
        options.runs,
    )


if __name__ == "__main__":
    main()
