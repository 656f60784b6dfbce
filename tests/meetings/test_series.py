"""Series: materialisation, extension (idempotent), and edits that spare past and hand-edited
meetings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from coordination.audit.models import AuditEvent
from coordination.core.errors import ConflictError
from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS, brussels_to_utc
from coordination.db import db
from coordination.meetings import services
from coordination.meetings.models import Meeting, MeetingStatus
from coordination.meetings.recurrence import RecurrenceError
from tests.meetings.conftest import NOW, TODAY


def meetings_of(series) -> list[Meeting]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Meeting).where(Meeting.series_id == series.id).order_by(Meeting.starts_at)
        )
    )


def snapshot(series) -> list[tuple]:
    return [
        (m.id, m.occurrence_date, m.starts_at, m.ends_at, m.status, m.sequence, m.version, m.uid)
        for m in meetings_of(series)
    ]


def edit(series, world, **changes):
    arguments = {
        "expected_version": series.version,
        "title": series.title,
        "rrule": series.rrule,
        "starts_on": series.starts_on,
        "ends_on": series.ends_on,
        "start_time": series.start_time,
        "duration_minutes": series.duration_minutes,
        "place": series.place,
        "place_confidential": series.place_confidential,
        "online_url": series.online_url,
        "actor": world["secretariat"],
        "now": NOW,
        "notify_members": False,
    }
    arguments.update(changes)
    result = services.update_series(series, **arguments)
    db.session.commit()
    return result


def test_a_series_materialises_its_meetings_twelve_months_ahead(make_series):
    series = make_series()
    meetings = meetings_of(series)
    assert series.materialised_until == date(2027, 6, 1)
    assert [m.local_date for m in meetings][:3] == [
        date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10),
    ]  # fmt: skip
    assert meetings[-1].local_date == date(2027, 5, 11)
    assert len(meetings) == 17
    assert all(m.status is MeetingStatus.SCHEDULED and m.sequence == 0 for m in meetings)
    assert len({m.uid for m in meetings}) == len(meetings)
    assert all(m.occurrence_date == m.local_date for m in meetings)
    assert {m.starts_at.astimezone(BRUSSELS).time() for m in meetings} == {time(10, 0)}
    assert {m.ends_at.astimezone(BRUSSELS).time() for m in meetings} == {time(12, 30)}


def test_the_end_of_a_series_caps_its_meetings(make_series):
    series = make_series(ends_on=date(2026, 4, 30))
    assert [m.local_date for m in meetings_of(series)] == [
        date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14),
    ]  # fmt: skip


def test_extend_is_idempotent(make_series):
    series = make_series()
    before = snapshot(series)
    for _ in range(2):
        report = services.extend_all_series(TODAY)
        db.session.commit()
        assert report.created == 0
        assert snapshot(series) == before

    later = TODAY + timedelta(days=92)  # 1 September 2026
    first = services.extend_all_series(later)
    db.session.commit()
    after_first = snapshot(series)
    assert first.created == 3  # June, July and August 2027
    assert after_first[: len(before)] == before
    second = services.extend_all_series(later)
    db.session.commit()
    assert second.created == 0
    assert snapshot(series) == after_first
    assert db.session.get(type(series), series.id).materialised_until == date(2027, 9, 1)


def test_extend_refuses_an_absurd_horizon(app):
    with pytest.raises(Exception, match="between 1 and 60 months"):
        services.extend_all_series(TODAY, months=0)


def test_changing_the_time_moves_only_future_meetings_nobody_edited(make_series, world):
    series = make_series()
    meetings = meetings_of(series)
    past = [m for m in meetings if m.starts_at < NOW]
    future = [m for m in meetings if m.starts_at > NOW]
    moved_by_hand, cancelled_by_hand, edited_by_hand = future[1], future[2], future[3]
    services.reschedule_meeting(
        moved_by_hand, expected_version=moved_by_hand.version,
        starts_at=brussels_to_utc(date(2026, 8, 12), time(9, 0)),
        ends_at=brussels_to_utc(date(2026, 8, 12), time(11, 0)),
        place="Egmont Palace", actor=world["secretariat"], now=NOW, notify_members=False,
    )  # fmt: skip
    services.cancel_meeting(
        cancelled_by_hand, expected_version=cancelled_by_hand.version, reason="Summer recess",
        actor=world["secretariat"], now=NOW, notify_members=False,
    )  # fmt: skip
    services.update_meeting_details(
        edited_by_hand, expected_version=edited_by_hand.version, title="Special bureau",
        place="FPS Justice, Brussels", actor=world["secretariat"], now=NOW, notify_members=False,
    )  # fmt: skip
    db.session.commit()
    hand_edited = {m.id: (m.starts_at, m.place, m.title, m.status, m.sequence) for m in
                   (moved_by_hand, cancelled_by_hand, edited_by_hand)}  # fmt: skip
    past_before = {m.id: (m.starts_at, m.ends_at, m.place, m.sequence, m.version) for m in past}

    change = edit(series, world, start_time=time(14, 0), duration_minutes=120, place="Room 2")

    after = {m.id: m for m in meetings_of(series)}
    for meeting_id, values in past_before.items():
        m = after[meeting_id]
        assert (m.starts_at, m.ends_at, m.place, m.sequence, m.version) == values
    for meeting_id, values in hand_edited.items():
        m = after[meeting_id]
        assert (m.starts_at, m.place, m.title, m.status, m.sequence) == values
    untouched_ids = set(past_before) | set(hand_edited)
    changed = [m for m in after.values() if m.id not in untouched_ids]
    assert changed
    assert {m.id for m in change.moved} == {m.id for m in changed}
    for m in changed:
        assert m.starts_at.astimezone(BRUSSELS).time() == time(14, 0)
        assert m.ends_at.astimezone(BRUSSELS).time() == time(16, 0)
        assert m.place == Texts.same("Room 2")
        assert m.sequence == 1
        assert m.detached is False
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "meeting_series.update")
    ).changes["start_time"] == ["10:00:00", "14:00:00"]


def test_changing_the_rule_cancels_dropped_dates_and_creates_new_ones(make_series, world):
    series = make_series()
    past_before = [(m.id, m.starts_at, m.status) for m in meetings_of(series) if m.starts_at < NOW]

    change = edit(series, world, rrule="FREQ=MONTHLY;BYDAY=3TH")

    meetings = meetings_of(series)
    assert [(m.id, m.starts_at, m.status) for m in meetings if m.starts_at < NOW] == past_before
    tuesdays = [m for m in meetings if m.starts_at > NOW and m.local_date.weekday() == 1]
    thursdays = [m for m in meetings if m.starts_at > NOW and m.local_date.weekday() == 3]
    assert tuesdays
    assert all(m.status is MeetingStatus.CANCELLED for m in tuesdays)
    assert all(m.sequence == 1 and m.cancellation_reason for m in tuesdays)
    assert thursdays[0].local_date == date(2026, 6, 18)
    assert all(m.status is MeetingStatus.SCHEDULED for m in thursdays)
    assert len(change.cancelled) == len(tuesdays)
    assert len(change.added) == len(thursdays)

    # Back to the second Tuesday: the cancelled dates come back, the Thursdays go.
    series = db.session.get(type(series), series.id)
    edit(series, world, rrule="FREQ=MONTHLY;BYDAY=2TU")
    meetings = {m.id: m for m in meetings_of(series)}
    for old in tuesdays:
        assert meetings[old.id].status is MeetingStatus.SCHEDULED
        assert meetings[old.id].cancellation_reason is None
        assert meetings[old.id].sequence == 2
    assert all(meetings[m.id].status is MeetingStatus.CANCELLED for m in thursdays)


def test_a_title_change_renames_future_meetings_without_touching_calendars(make_series, world):
    series = make_series()
    change = edit(series, world, title="Operational bureau")
    assert not change.touches_calendars
    meetings = meetings_of(series)
    assert {str(m.title) for m in meetings if m.starts_at > NOW} == {"Operational bureau"}
    assert {str(m.title) for m in meetings if m.starts_at < NOW} == {"Bureau — monthly meeting"}
    assert {m.sequence for m in meetings} == {0}


def test_shortening_a_series_cancels_its_later_meetings(make_series, world):
    series = make_series()
    change = edit(series, world, ends_on=date(2026, 9, 30))
    later = [m for m in meetings_of(series) if m.local_date > date(2026, 9, 30)]
    assert later
    assert all(m.status is MeetingStatus.CANCELLED for m in later)
    assert len(change.cancelled) == len(later)


def test_a_stale_series_form_changes_nothing(make_series, world):
    series = make_series()
    before = snapshot(series)
    with pytest.raises(ConflictError):
        edit(series, world, expected_version=series.version - 1, start_time=time(15, 0))
    db.session.rollback()
    assert snapshot(series) == before


def test_an_invalid_rule_changes_nothing(make_series, world):
    series = make_series()
    with pytest.raises(RecurrenceError):
        edit(series, world, rrule="FREQ=SECONDLY")
    db.session.rollback()
    assert db.session.get(type(series), series.id).rrule == "FREQ=MONTHLY;BYDAY=2TU"


def test_a_series_in_the_past_is_history(make_series, world):
    series = make_series(starts_on=date(2021, 1, 1), ends_on=date(2021, 12, 31))
    assert len(meetings_of(series)) == 12
    assert all(m.starts_at < datetime(2022, 1, 1, tzinfo=UTC) for m in meetings_of(series))


def test_lengthening_an_ended_series_creates_its_new_meetings(make_series, world):
    series = make_series(ends_on=date(2026, 7, 31))
    assert meetings_of(series)[-1].local_date == date(2026, 7, 14)
    change = edit(series, world, ends_on=date(2026, 12, 31))
    days = [m.local_date for m in meetings_of(series)]
    assert days[-5:] == [
        date(2026, 8, 11), date(2026, 9, 8), date(2026, 10, 13), date(2026, 11, 10),
        date(2026, 12, 8),
    ]  # fmt: skip
    assert len(change.added) == 5
    assert len(days) == len(set(days))
