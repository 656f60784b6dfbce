"""What changed between two platform meetings, computed from the history: a hand-built story of
four measures, their reports and results, and two follow-up actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from coordination.dashboard.changes import Change, Period, changes_between
from coordination.dashboard.queries import DashboardFilters
from coordination.db import db
from coordination.measures.models import MeasureStatus, MeasureTransition, ReportStatus
from coordination.minutes.models import FollowUpStatus, MinutesStatus
from tests import factories
from tests.measures import factories as mf
from tests.minutes import factories as minutes_factories

S = MeasureStatus
#: The two platform meetings: spring (T1) and autumn (T2); the story goes on after T2.
T1 = datetime(2025, 3, 20, 13, 0, tzinfo=UTC)
T2 = datetime(2025, 10, 16, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


def move(measure, status: MeasureStatus, at: datetime) -> None:
    db.session.add(
        MeasureTransition(measure=measure, from_status=measure.status, to_status=status, at=at)
    )
    measure.status = status


@pytest.fixture
def story(app):
    world = factories.world()
    platform, secretariat = world["platform"], world["secretariat"]
    spring = factories.meeting(platform, T1, title="Platform — spring")
    autumn = factories.meeting(platform, T2, title="Platform — autumn")
    plan = mf.plan()
    before = T1 - timedelta(days=60)

    def measure(code: str, deadline: date | None = None):
        created = mf.measure(plan, world["both"], code=code, deadline=deadline)
        created.transitions[0].at = before
        return created

    a, b, c, d = measure("1.1"), measure("1.2", date(2025, 6, 30)), measure("1.3"), measure("1.4")
    move(b, S.ADOPTED, before + timedelta(days=1))  # adopted before: late from 1 July 2025
    move(a, S.ADOPTED, T1 + timedelta(hours=1))  # at the spring meeting
    move(a, S.IN_PROGRESS, T1 + timedelta(days=30))
    move(d, S.POSTPONED, T1 + timedelta(days=40))
    move(a, S.IMPLEMENTED, T2 + timedelta(days=20))
    move(c, S.REJECTED, T2 + timedelta(hours=2))  # at the autumn meeting: after T2
    # A result the secretariat entered in May; a report on B submitted in September and
    # accepted in November (its result counts from then).
    mf.value(mf.indicator(a), 2024, "120").reported_at = datetime(2025, 5, 2, tzinfo=UTC)
    report = mf.report(b, secretariat, year=2025, status=ReportStatus.ACCEPTED)
    report.submitted_at = datetime(2025, 9, 1, tzinfo=UTC)
    report.reviewed_at = datetime(2025, 11, 3, tzinfo=UTC)
    mf.value(mf.indicator(b), 2025, "7", report_=report).reported_at = report.submitted_at
    # The minutes of a bureau meeting, published in April: one action done in August, one
    # due in July and still open.
    minutes = minutes_factories.minutes(
        factories.meeting(world["bureau"], T1 + timedelta(days=7)), status=MinutesStatus.PUBLISHED
    )
    minutes.published_at = T1 + timedelta(days=20)
    done = minutes_factories.follow_up(minutes, world["both"], due_date=date(2025, 9, 1))
    done.status, done.closed_at = FollowUpStatus.DONE, datetime(2025, 8, 1, tzinfo=UTC)
    minutes_factories.follow_up(minutes, world["both"], due_date=date(2025, 7, 1))
    db.session.commit()
    return {"world": world, "plan": plan, "spring": spring, "autumn": autumn}


def codes(changes, change: Change) -> set[str]:
    return {row.code for row in changes.measures[change]}


def test_between_the_two_platform_meetings(story):
    changes = changes_between(
        Period(T1, T2, since=story["spring"], until=story["autumn"]),
        DashboardFilters(plan_id=story["plan"].id),
    )
    assert codes(changes, Change.ADOPTED) == {"1.1"}  # the spring meeting's decision counts
    assert codes(changes, Change.STARTED) == {"1.1"}
    assert codes(changes, Change.POSTPONED) == {"1.4"}
    assert codes(changes, Change.BECAME_LATE) == {"1.2"}
    assert codes(changes, Change.RESULTS) == {"1.1"}
    assert codes(changes, Change.REPORTS) == {"1.2"}
    for change in (Change.IMPLEMENTED, Change.REJECTED):
        assert codes(changes, change) == set()
    assert changes.count(Change.ACTIONS_DONE) == 1
    assert changes.count(Change.ACTIONS_OVERDUE) == 1
    # Every count agrees with its list.
    for change, rows in {**changes.measures, **changes.actions}.items():
        assert changes.count(change) == len(rows), change


def test_since_the_autumn_meeting(story):
    changes = changes_between(
        Period(T2, NOW, since=story["autumn"]), DashboardFilters(plan_id=story["plan"].id)
    )
    assert codes(changes, Change.IMPLEMENTED) == {"1.1"}
    assert codes(changes, Change.REJECTED) == {"1.3"}
    assert codes(changes, Change.RESULTS) == {"1.2"}  # its report was accepted in November
    assert codes(changes, Change.BECAME_LATE) == set()  # 1.2 was late already
    assert changes.count(Change.ACTIONS_OVERDUE) == 1  # still open
    assert changes.count(Change.ACTIONS_DONE) == 0


def test_the_page_compares_any_two_meetings_and_links_each_figure(story, login_as):
    client = login_as(story["world"]["minister"])
    spring, autumn = story["spring"], story["autumn"]
    page = client.get(f"/dashboard/changes?since={spring.id}&until={autumn.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Measures adopted: 1" in text
    assert "Measures that became late: 1" in text
    assert 'href="#became_late"' in text
    # By default: since the last platform meeting, until now.
    assert "Measures rejected: 1" in client.get("/dashboard/changes").get_data(as_text=True)
    backwards = client.get(f"/dashboard/changes?since={autumn.id}&until={spring.id}")
    assert backwards.status_code == 400
    assert "The period must start before it ends." in backwards.get_data(as_text=True)
    assert client.get("/dashboard/changes?since=999999").status_code == 400
    since_date = client.get("/dashboard/changes?since_date=2025-05-01&until=" + str(autumn.id))
    assert "Measures adopted: 0" in since_date.get_data(as_text=True)
    # The dashboard opens with the figures since the last platform meeting.
    dashboard = client.get("/dashboard/").get_data(as_text=True)
    assert dashboard.index("Since the platform meeting of") < dashboard.index(
        "Filter the dashboard"
    )
    assert "/dashboard/changes?plan=" in dashboard
