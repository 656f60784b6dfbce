"""One meeting: schedule, reschedule, cancel, mark held, edit; sequence and optimistic locking."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from coordination.audit.models import AuditEvent
from coordination.core.errors import ConflictError, NotAllowed, ValidationError
from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS, brussels_to_utc
from coordination.db import db
from coordination.meetings import services
from coordination.meetings.models import Meeting, MeetingStatus
from tests import factories
from tests.meetings.conftest import NOW


@pytest.fixture
def meeting(world):
    obj = factories.meeting(world["bureau"], starts_at=brussels_to_utc(date(2026, 7, 14), time(10)))
    db.session.commit()
    return obj


def actions(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)))


def test_schedule_a_one_off_meeting(world):
    meeting = services.schedule_meeting(
        world["platform"],
        title="  Extraordinary platform  ",
        starts_at=brussels_to_utc(date(2026, 10, 26), time(14)),
        ends_at=brussels_to_utc(date(2026, 10, 26), time(16, 30)),
        place="Egmont Palace",
        online_url="https://meet.example.org/platform",
        actor=world["secretariat"],
        now=NOW,
        notify_members=False,
    )
    db.session.commit()
    assert meeting.title == Texts.same("Extraordinary platform")
    assert meeting.series_id is None
    assert meeting.local_date == date(2026, 10, 26)
    assert meeting.starts_at.astimezone(BRUSSELS).hour == 14
    assert meeting.uid.endswith("@localhost")
    assert meeting.sequence == 0
    assert actions("meeting.schedule")[0].object_id == meeting.id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "Title is required"),
        ({"ends_at": brussels_to_utc(date(2026, 7, 14), time(9))}, "end after it starts"),
        ({"ends_at": brussels_to_utc(date(2026, 7, 16), time(9))}, "at most 24 hours"),
        ({"online_url": "javascript:alert(1)"}, "https://"),
        ({"online_url": "http://meet.example.org"}, "https://"),
        ({"place": "x" * 301}, "at most 300"),
    ],
)
def test_schedule_refuses_bad_input(world, changes, message):
    arguments = {
        "title": "Bureau",
        "starts_at": brussels_to_utc(date(2026, 7, 14), time(10)),
        "ends_at": brussels_to_utc(date(2026, 7, 14), time(12)),
        "actor": world["secretariat"],
        "now": NOW,
    }
    arguments.update(changes)
    with pytest.raises(ValidationError) as refused:
        services.schedule_meeting(world["bureau"], **arguments)
    assert message in str(refused.value.message)


def test_reschedule_detaches_and_bumps_the_sequence(meeting, world):
    new_start = brussels_to_utc(date(2026, 7, 15), time(14))
    services.reschedule_meeting(
        meeting, expected_version=meeting.version, starts_at=new_start,
        ends_at=new_start + timedelta(hours=2), place="Room 7.12", actor=world["secretariat"],
        now=NOW, notify_members=False,
    )  # fmt: skip
    db.session.commit()
    assert meeting.local_date == date(2026, 7, 15)
    assert meeting.detached is True
    assert meeting.sequence == 1
    event = actions("meeting.reschedule")[0]
    assert set(event.changes) >= {"starts_at", "ends_at", "local_date", "place_nl"}


def test_reschedule_to_the_same_time_and_place_is_refused(meeting, world):
    with pytest.raises(ValidationError, match="Nothing would change"):
        services.reschedule_meeting(
            meeting, expected_version=meeting.version, starts_at=meeting.starts_at,
            ends_at=meeting.ends_at, place=meeting.place, actor=world["secretariat"], now=NOW,
        )  # fmt: skip


def test_cancel_needs_a_reason_and_counts_as_a_change(meeting, world):
    with pytest.raises(ValidationError, match="Reason is required"):
        services.cancel_meeting(
            meeting, expected_version=meeting.version, reason="  ", actor=None, now=NOW
        )
    db.session.rollback()
    services.cancel_meeting(
        meeting, expected_version=meeting.version, reason="Public holiday", actor=None, now=NOW,
        notify_members=False,
    )  # fmt: skip
    db.session.commit()
    assert meeting.status is MeetingStatus.CANCELLED
    assert meeting.cancellation_reason == "Public holiday"
    assert meeting.sequence == 1
    with pytest.raises(NotAllowed):
        services.cancel_meeting(
            meeting, expected_version=meeting.version, reason="again", actor=None, now=NOW
        )
    with pytest.raises(NotAllowed):
        services.reschedule_meeting(
            meeting, expected_version=meeting.version, starts_at=meeting.starts_at,
            ends_at=meeting.ends_at + timedelta(minutes=5), actor=None, now=NOW,
        )  # fmt: skip


def test_mark_held_only_once_started(meeting, world):
    with pytest.raises(NotAllowed, match="once it has started"):
        services.mark_meeting_held(meeting, expected_version=meeting.version, actor=None, now=NOW)
    after = meeting.starts_at + timedelta(minutes=1)
    services.mark_meeting_held(meeting, expected_version=meeting.version, actor=None, now=after)
    db.session.commit()
    assert meeting.status is MeetingStatus.HELD
    assert meeting.sequence == 1
    with pytest.raises(NotAllowed):
        services.mark_meeting_held(meeting, expected_version=meeting.version, actor=None, now=after)


def test_details_change_detaches_and_place_changes_bump_the_sequence(meeting, world):
    changed = services.update_meeting_details(
        meeting, expected_version=meeting.version, title="Bureau (special)",
        place=meeting.place, actor=None, now=NOW, notify_members=False,
    )  # fmt: skip
    db.session.commit()
    assert changed is True
    assert meeting.detached is True
    assert meeting.sequence == 0  # a title is not a calendar change
    services.update_meeting_details(
        meeting, expected_version=meeting.version, title="Bureau (special)", place="Shelter",
        place_confidential=True, actor=None, now=NOW, notify_members=False,
    )  # fmt: skip
    db.session.commit()
    assert meeting.sequence == 1
    assert meeting.place_confidential is True
    unchanged = services.update_meeting_details(
        meeting, expected_version=meeting.version, title="Bureau (special)", place="Shelter",
        place_confidential=True, actor=None, now=NOW,
    )  # fmt: skip
    assert unchanged is False


def test_a_stale_version_is_a_conflict_and_nothing_is_overwritten(meeting, world):
    seen_version = meeting.version
    services.update_meeting_details(
        meeting, expected_version=seen_version, title="Changed by Alice", place=meeting.place,
        actor=None, now=NOW,
    )  # fmt: skip
    db.session.commit()
    with pytest.raises(ConflictError, match="Someone else changed"):
        services.update_meeting_details(
            meeting, expected_version=seen_version, title="Changed by Bob", place=meeting.place,
            actor=None, now=NOW,
        )  # fmt: skip
    db.session.rollback()
    assert str(db.session.get(Meeting, meeting.id).title) == "Changed by Alice"


@pytest.mark.commits
def test_a_concurrent_write_is_caught_at_flush(database_url, meeting, world):
    """Two sessions load the same version; the second write fails instead of overwriting."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    with Session(db.engine) as other:
        theirs = other.get(Meeting, meeting.id)
        theirs.title = Texts.same("Written by the other session")
        other.commit()
    meeting.title = Texts.same("Written by this session")
    with pytest.raises(StaleDataError):
        db.session.commit()
    db.session.rollback()
    assert str(db.session.get(Meeting, meeting.id).title) == "Written by the other session"
