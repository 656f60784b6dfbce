"""Benchmark of the calendar feeds (``make bench``).

Prints:
- the time to build a calendar of 1,000 meetings with the pure builder (``ical.build_calendar``),
- the time of a whole feed request for 1,000 meetings (queries, policy, build) on SQLite,
- the SQL statements of the full request and of the ``304 Not Modified`` path.

Usage: ``python bench/feeds.py [--meetings N] [--runs R]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from coordination import create_app
from coordination.core.ical import EventSpec, build_calendar
from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db

TITLES = [
    "Opvolging van de ECOSOC-teams; gezamenlijke controles in de bouw-, schoonmaak- en "
    "horecasector",
    "Suivi des recommandations de Myria : équipes ECOSOC, inspecteurs sociaux, parquets",
    "Labour exploitation in the cleaning sector, cases and trends",
]


def timed(function, runs: int) -> list[float]:
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def describe(durations: list[float]) -> str:
    return f"median {statistics.median(durations):6.1f} ms, best {min(durations):6.1f} ms"


def bench_builder(count: int, runs: int) -> None:
    start = datetime(2026, 1, 5, 10, tzinfo=BRUSSELS)
    created = datetime(2025, 12, 1, tzinfo=UTC)
    specs = [
        EventSpec(
            uid=f"bench-{number}@coordination.example",
            sequence=number % 3,
            starts_at=start + timedelta(days=number),
            ends_at=start + timedelta(days=number, hours=2, minutes=30),
            summary=f"Bureau (forum opérationnel) : {TITLES[number % 3]}",
            created=created,
            last_modified=created,
            cancelled=number % 25 == 0,
            description="Ordre du jour :\n1. Cas et tendances\n2. "
            + TITLES[(number + 1) % 3]
            + f"\n\nPage de la réunion : https://coordination.example/meetings/{number}",
            location="SPF Justice, boulevard de Waterloo 115, 1000 Bruxelles",
            url=f"https://coordination.example/meetings/{number}",
            categories=("Bureau (forum opérationnel)",),
        )
        for number in range(count)
    ]
    build_calendar(specs[:10])  # warm the VTIMEZONE cache like a running server
    data = build_calendar(specs, name="Bench")
    durations = timed(lambda: build_calendar(specs, name="Bench"), runs)
    print(f"pure builder, {count} meetings ({len(data) / 1024:.0f} KiB): {describe(durations)}")


def seed(count: int) -> str:
    from coordination.agencies.models import Agency, AgencyKind, Forum, ForumMembership
    from coordination.feeds.services import issue_feed_token
    from coordination.meetings.models import AgendaItem, Meeting
    from coordination.users.models import Role, User

    bureau = Forum(
        code="bureau",
        name_nl="Bureau (operationeel forum)",
        name_fr="Bureau (forum opérationnel)",
        name_en="Bureau (operational forum)",
        cadence_nl="maandelijks",
        cadence_fr="mensuel",
        cadence_en="monthly",
    )
    agency = Agency(code="FEDPOL", kind=AgencyKind.POLICE, name_nl="FP", name_fr="PF", name_en="FP")
    db.session.add_all([bureau, agency])
    db.session.flush()
    db.session.add(ForumMembership(forum=bureau, agency=agency, since=date(2020, 1, 1)))
    user = User(
        email="bench@example.org",
        full_name="Bench",
        role=Role.AGENCY_REP,
        agency=agency,
        password_hash="-",  # noqa: S106 - never logs in
        locale="fr",
    )
    db.session.add(user)
    first = datetime.combine(today_brussels(), datetime.min.time(), BRUSSELS)
    for number in range(count):
        starts = (first + timedelta(days=number - 200)).replace(hour=10)
        meeting = Meeting(
            forum=bureau,
            title=Texts(nl=TITLES[number % 3]),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            local_date=starts.date(),
            uid=f"bench-{number}@coordination.example",
            place=Texts(fr="SPF Justice, boulevard de Waterloo 115, 1000 Bruxelles"),
            place_confidential=number % 7 == 0,
        )
        meeting.agenda_items = [
            AgendaItem(position=1, title=Texts(fr="Cas et tendances")),
            AgendaItem(position=2, title=Texts(nl=TITLES[(number + 1) % 3])),
        ]
        db.session.add(meeting)
    db.session.flush()
    token = issue_feed_token(user, actor=None)
    db.session.commit()
    return token


def bench_request(count: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite",
                "SECRET_KEY": "bench-secret-key-not-used-anywhere-else",
                "RATELIMIT_ENABLED": False,
                "BASE_URL": "https://coordination.example",
            }
        )
        with app.app_context():
            db.create_all()
            token = seed(count)
            engine = db.engine
        # Requests run outside that context, each in its own, as under a real server.
        client = app.test_client()
        url = f"/feeds/{token}.ics"
        statements: list[str] = []

        def count_statement(conn, cursor, statement, *args):
            statements.append(statement)

        first = client.get(url)
        assert first.status_code == 200, first.status_code
        sa.event.listen(engine, "before_cursor_execute", count_statement)
        full = client.get(url)
        full_statements = len(statements)
        statements.clear()
        etag = full.headers["ETag"]
        not_modified = client.get(url, headers={"If-None-Match": etag})
        assert not_modified.status_code == 304
        statements_304 = len(statements)
        sa.event.remove(engine, "before_cursor_execute", count_statement)
        full_times = timed(lambda: client.get(url), runs)
        times_304 = timed(lambda: client.get(url, headers={"If-None-Match": etag}), runs)
        engine.dispose()
    size = len(full.data) / 1024
    print(f"feed request, {count} meetings ({size:.0f} KiB, SQLite): {describe(full_times)}")
    print(f"  SQL statements of the full request: {full_statements}")
    print(f"304 Not Modified request: {describe(times_304)}")
    print(f"  SQL statements of the 304 path: {statements_304}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    bench_builder(options.meetings, options.runs)
    bench_request(options.meetings, options.runs)


if __name__ == "__main__":
    main()
