"""Demo minutes: written for past demo meetings, idempotent, nothing without meetings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from coordination.agencies.services import get_forum_by_code
from coordination.core.time import BRUSSELS
from coordination.db import db
from coordination.demo import DemoSummary, load_demo_data
from coordination.demo.minutes import load_minutes
from coordination.demo.people import load_accounts
from coordination.demo.structure import load_agencies_and_forums
from coordination.meetings.models import MeetingStatus
from coordination.minutes.models import (
    FollowUpAction,
    FollowUpStatus,
    Minutes,
    MinutesRevision,
    MinutesStatus,
)
from tests import factories
from tests.test_demo import snapshot


def load_structure_only() -> None:
    """Agencies, forums and accounts, without the demo meetings (and so without minutes)."""
    summary = DemoSummary()
    load_agencies_and_forums(summary)
    load_accounts(summary)


def test_without_meetings_nothing_is_created(app):
    load_structure_only()
    load_minutes(DemoSummary())
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Minutes.id))) == 0


def test_full_demo_has_published_minutes_for_most_past_meetings(app):
    load_demo_data()
    db.session.commit()
    statuses = [m.status for m in db.session.scalars(sa.select(Minutes))]
    assert statuses.count(MinutesStatus.PUBLISHED) >= 50
    assert MinutesStatus.DRAFT in statuses
    assert MinutesStatus.APPROVED in statuses


def test_past_meetings_get_minutes_once(app, login_as):
    load_structure_only()
    bureau, platform = get_forum_by_code("bureau"), get_forum_by_code("platform")
    start = datetime(2024, 1, 9, 10, 0, tzinfo=BRUSSELS)
    for month in range(6):
        factories.meeting(bureau, starts_at=start + timedelta(days=28 * month))
    factories.meeting(platform, starts_at=datetime(2024, 3, 20, 14, 0, tzinfo=BRUSSELS))
    cancelled = factories.meeting(
        bureau,
        starts_at=datetime(2024, 2, 20, 10, 0, tzinfo=BRUSSELS),
        status=MeetingStatus.CANCELLED,
        cancellation_reason="Strike",
    )
    future = factories.meeting(bureau, starts_at=datetime.now(UTC) + timedelta(days=20))
    db.session.commit()

    summary = DemoSummary()
    load_minutes(summary)
    db.session.commit()
    assert summary.created == {"minutes": 7}

    minutes = list(db.session.scalars(sa.select(Minutes)))
    statuses = sorted(m.status.value for m in minutes)
    assert statuses.count("draft") == 1
    assert statuses.count("approved") == 1
    assert statuses.count("published") == 5
    assert {m.meeting_id for m in minutes}.isdisjoint({cancelled.id, future.id})
    for item in minutes:
        assert item.attendance
        assert item.decisions
        assert item.follow_ups
        # Both communities read the demo minutes: written in Dutch and French.
        assert not item.body.missing_official()
        assert "address" not in item.body.en.lower() or "not recorded" in item.body.en
    assert any(revision.change_note for revision in db.session.scalars(sa.select(MinutesRevision)))
    done = db.session.scalars(
        sa.select(FollowUpAction).where(FollowUpAction.status == FollowUpStatus.DONE)
    ).all()
    assert done  # actions due long ago were closed
    assert all(action.minutes.status is MinutesStatus.PUBLISHED for action in done)

    before = snapshot()
    again = DemoSummary()
    load_minutes(again)
    db.session.commit()
    assert again.created == {}
    assert snapshot() == before
