"""Brussels wall-clock times on the nights the clocks change (point 7 of the security review).

On the last Sunday of March the clocks go from 02:00 to 03:00: 02:00-02:59 does not exist.
On the last Sunday of October they go back from 03:00 to 02:00: 02:00-02:59 happens twice.
Such times are refused with a message naming the date and the change, and a series never
changes the length of a meeting on such a night without saying so.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from coordination.audit.models import AuditEvent
from coordination.core.time import (
    BRUSSELS,
    AmbiguousLocalTime,
    NonexistentLocalTime,
    brussels_to_utc,
    minutes_between,
)
from coordination.db import db
from coordination.meetings import services
from coordination.meetings.models import Meeting, MeetingSeries
from coordination.meetings.recurrence import ClockChangeError, clock_change_conflict, localise
from tests import factories
from tests.meetings.conftest import NOW, TODAY

SPRING_SWITCH = date(2026, 3, 29)
AUTUMN_SWITCH = date(2026, 10, 25)

GAP_MESSAGE = (
    "29 March 2026 at 02:30 does not exist in Brussels: clocks go from 02:00 to 03:00 that "
    "night. Choose another time."
)
OVERLAP_MESSAGE = (
    "25 October 2026 at 02:30 happens twice in Brussels: clocks go back from 03:00 to 02:00 "
    "that night. Choose another time."
)


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


# --- converting a wall-clock time ------------------------------------------------------------


def test_a_time_in_the_spring_gap_is_refused_with_the_change_named():
    with pytest.raises(NonexistentLocalTime) as refused:
        brussels_to_utc(SPRING_SWITCH, time(2, 30))
    assert str(refused.value.message) == GAP_MESSAGE


def test_a_time_in_the_repeated_autumn_hour_is_refused_with_the_change_named():
    with pytest.raises(AmbiguousLocalTime) as refused:
        brussels_to_utc(AUTUMN_SWITCH, time(2, 30))
    assert str(refused.value.message) == OVERLAP_MESSAGE


@pytest.mark.parametrize(
    ("day", "at", "refusal"),
    [
        (SPRING_SWITCH, time(2, 0), NonexistentLocalTime),
        (SPRING_SWITCH, time(2, 59), NonexistentLocalTime),
        (AUTUMN_SWITCH, time(2, 0), AmbiguousLocalTime),
        (AUTUMN_SWITCH, time(2, 59), AmbiguousLocalTime),
    ],
)
def test_the_whole_hour_is_refused(day, at, refusal):
    with pytest.raises(refusal):
        brussels_to_utc(day, at)


@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        (SPRING_SWITCH, time(1, 59), datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),
        (SPRING_SWITCH, time(3, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        (AUTUMN_SWITCH, time(1, 59), datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),
        (AUTUMN_SWITCH, time(3, 0), datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
        (SPRING_SWITCH + timedelta(days=1), time(2, 30), datetime(2026, 3, 30, 0, 30, tzinfo=UTC)),
    ],
)
def test_the_minutes_around_the_change_still_convert(day, at, expected):
    assert brussels_to_utc(day, at) == expected


def test_the_date_in_the_message_is_written_in_the_users_language(app):
    with (
        app.test_request_context(),
        force_locale("nl"),
        pytest.raises(NonexistentLocalTime) as refused,
    ):
        brussels_to_utc(SPRING_SWITCH, time(2, 30))
    assert refused.value.day == SPRING_SWITCH
    assert (refused.value.change.before, refused.value.change.after) == (time(2), time(3))
    assert "29 maart 2026" in str(refused.value)


# --- one-off meetings: refused in the form, on the time field ------------------------------


@pytest.fixture
def secretariat(client, login_as, world):
    return login_as(world["secretariat"])


def one_off(day: date, start: str, end: str) -> dict[str, str]:
    return {
        "forum": "bureau", "title-nl": "Night meeting", "day": day.isoformat(),
        "start_time": start, "end_time": end, "place-nl": "FPS Justice, Brussels",
    }  # fmt: skip


def test_a_one_off_meeting_in_the_spring_gap_is_refused(secretariat):
    response = secretariat.post("/meetings/new", data=one_off(SPRING_SWITCH, "02:30", "04:00"))
    assert response.status_code == 400
    page = response.data.decode()
    assert GAP_MESSAGE in page
    assert 'id="start_time-error"' in page
    assert count(Meeting) == 0


def test_a_one_off_meeting_in_the_repeated_autumn_hour_is_refused(secretariat):
    response = secretariat.post("/meetings/new", data=one_off(AUTUMN_SWITCH, "02:30", "04:00"))
    assert response.status_code == 400
    page = response.data.decode()
    assert OVERLAP_MESSAGE in page
    assert 'id="start_time-error"' in page
    assert count(Meeting) == 0


def test_a_one_off_meeting_ending_in_the_gap_is_refused_on_its_end(secretariat):
    response = secretariat.post("/meetings/new", data=one_off(SPRING_SWITCH, "01:00", "02:30"))
    assert response.status_code == 400
    page = response.data.decode()
    assert GAP_MESSAGE in page
    assert 'id="end_time-error"' in page
    assert 'id="start_time-error"' not in page
    assert count(Meeting) == 0


def test_the_service_refuses_too_when_the_form_is_bypassed(secretariat, world, monkeypatch):
    """The view's own conversion raises a domain error: a 400 under the form, never a 500."""
    monkeypatch.setattr("coordination.meetings.forms.MeetingForm.validate_start_time", None)
    response = secretariat.post("/meetings/new", data=one_off(SPRING_SWITCH, "02:30", "04:00"))
    assert response.status_code == 400
    assert GAP_MESSAGE in response.data.decode()
    assert count(Meeting) == 0


def test_rescheduling_into_the_gap_is_refused_before_the_confirmation(secretariat, world):
    meeting = factories.meeting(
        world["bureau"], starts_at=brussels_to_utc(date(2026, 12, 15), time(10))
    )
    db.session.commit()
    before = (meeting.starts_at, meeting.ends_at, meeting.version)
    response = secretariat.post(
        f"/meetings/{meeting.id}/reschedule",
        data={
            "day": SPRING_SWITCH.isoformat(), "start_time": "02:30", "end_time": "04:00",
            "version": str(meeting.version), "confirmed": "yes",
        },
    )  # fmt: skip
    assert response.status_code == 400
    assert GAP_MESSAGE in response.data.decode()
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert (meeting.starts_at, meeting.ends_at, meeting.version) == before


# --- series: a pattern that hits a clock change is refused, naming the first date ---------


def test_a_series_in_the_gap_is_refused_naming_the_first_night(make_series):
    with pytest.raises(ClockChangeError) as refused:
        make_series(rrule="FREQ=MONTHLY;BYDAY=-1SU", start_time=time(2, 15), duration_minutes=75)
    message = str(refused.value.message)
    assert message.startswith("29 March 2026 at 02:15 does not exist in Brussels")
    assert "clocks go from 02:00 to 03:00 that night" in message
    db.session.rollback()
    assert count(MeetingSeries) == 0
    assert count(Meeting) == 0


def test_a_series_ending_in_the_repeated_hour_is_refused(make_series):
    with pytest.raises(ClockChangeError) as refused:
        make_series(
            rrule="FREQ=MONTHLY;BYDAY=-1SU",
            starts_on=date(2026, 4, 1),
            start_time=time(1, 0),
            duration_minutes=90,
        )
    assert str(refused.value.message).startswith(
        "25 October 2026 at 02:30 happens twice in Brussels"
    )


@pytest.mark.parametrize(
    ("starts_on", "message"),
    [
        (
            date(2026, 1, 1),
            "On 29 March 2026 the meeting from 01:30 to 03:30 would last 60 minutes instead "
            "of 120: clocks go from 02:00 to 03:00 during it. Choose another time.",
        ),
        (
            date(2026, 4, 1),
            "On 25 October 2026 the meeting from 01:30 to 03:30 would last 180 minutes instead "
            "of 120: clocks go from 03:00 to 02:00 during it. Choose another time.",
        ),
    ],
)
def test_a_series_never_silently_shortens_or_lengthens_a_meeting(make_series, starts_on, message):
    """01:30-03:30 exists on both nights, but lasts one hour in spring and three in autumn."""
    with pytest.raises(ClockChangeError) as refused:
        make_series(
            rrule="FREQ=MONTHLY;BYDAY=-1SU",
            starts_on=starts_on,
            start_time=time(1, 30),
            duration_minutes=120,
        )
    assert str(refused.value.message) == message
    db.session.rollback()
    assert count(Meeting) == 0


def test_a_series_at_ten_keeps_its_wall_clock_and_length_on_both_nights(make_series):
    series = make_series(rrule="FREQ=MONTHLY;BYDAY=-1SU", start_time=time(10, 0))
    db.session.expire_all()
    meetings = {
        m.local_date: m
        for m in db.session.scalars(select(Meeting).where(Meeting.series_id == series.id))
    }
    for night in (SPRING_SWITCH, AUTUMN_SWITCH):
        meeting = meetings[night]
        assert meeting.starts_at.astimezone(BRUSSELS).time() == time(10, 0)
        assert meeting.ends_at.astimezone(BRUSSELS).time() == time(12, 30)
        assert minutes_between(meeting.starts_at, meeting.ends_at) == 150
    assert {minutes_between(m.starts_at, m.ends_at) for m in meetings.values()} == {150}


def test_changing_a_series_into_the_repeated_hour_is_refused(make_series, world):
    series = make_series()
    before = [
        (m.id, m.starts_at, m.ends_at, m.status, m.sequence)
        for m in db.session.scalars(select(Meeting).order_by(Meeting.id))
    ]
    with pytest.raises(ClockChangeError) as refused:
        services.update_series(
            series, expected_version=series.version, title=series.title,
            rrule="FREQ=MONTHLY;BYDAY=-1SU", starts_on=series.starts_on,
            start_time=time(2, 15), duration_minutes=75, actor=world["secretariat"], now=NOW,
            place=series.place, notify_members=False,
        )  # fmt: skip
    # The past March night is not checked: only the meetings the change would touch are.
    assert str(refused.value.message).startswith(
        "25 October 2026 at 02:15 happens twice in Brussels"
    )
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(MeetingSeries, series.id).start_time == time(10, 0)
    after = [
        (m.id, m.starts_at, m.ends_at, m.status, m.sequence)
        for m in db.session.scalars(select(Meeting).order_by(Meeting.id))
    ]
    assert after == before


def test_extending_skips_a_night_beyond_the_checked_horizon_and_says_so(make_series):
    """Created in June 2026, the series was checked up to June 2027; 26 March 2028 is a
    switch night that only the extension reaches: it is skipped, reported and audited."""
    series = make_series(
        rrule="FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=26",
        starts_on=date(2026, 4, 1),
        start_time=time(2, 30),
        duration_minutes=60,
    )
    assert [m.local_date for m in series.meetings] == [date(2027, 3, 26)]
    report = services.extend_all_series(date(2027, 6, 1))
    db.session.commit()
    assert report.created == 0
    assert [(s.series_id, s.day) for s in report.skipped] == [(series.id, date(2028, 3, 26))]
    assert str(report.skipped[0].reason).startswith(
        "26 March 2028 at 02:30 does not exist in Brussels"
    )
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "meeting_series.skip_clock_change")
    )
    assert event is not None
    assert event.changes["skipped"] == ["2028-03-26"]
    again = services.extend_all_series(date(2027, 6, 1))
    assert again.skipped == []
    db.session.expire_all()
    days = db.session.scalars(select(Meeting.local_date).where(Meeting.series_id == series.id))
    assert list(days) == [date(2027, 3, 26)]


def test_the_series_form_puts_the_refusal_on_the_time_field(secretariat):
    form = {
        "forum": "bureau", "title-nl": "Night series", "pattern": "advanced",
        "ordinal": "2", "weekday": "TU", "interval": "1", "rrule": "FREQ=MONTHLY;BYDAY=-1SU",
        "starts_on": "2026-01-01", "ends_on": "", "start_time": "02:15", "end_time": "03:30",
        "place-nl": "", "online_url": "",
    }  # fmt: skip
    response = secretariat.post("/meetings/series/new", data=form)
    assert response.status_code == 400
    page = response.data.decode()
    assert "29 March 2026 at 02:15 does not exist in Brussels" in page
    assert 'id="start_time-error"' in page
    assert count(MeetingSeries) == 0
    assert count(Meeting) == 0


def test_editing_a_series_into_a_shorter_night_is_refused_on_the_end_field(secretariat, world):
    series = services.create_series(
        world["bureau"], title="Bureau", rrule="FREQ=MONTHLY;BYDAY=2TU", starts_on=TODAY,
        start_time=time(10), duration_minutes=60, actor=world["secretariat"], today=TODAY,
        notify_members=False,
    )  # fmt: skip
    db.session.commit()
    form = {
        "title-nl": "Bureau", "pattern": "advanced", "ordinal": "2", "weekday": "TU",
        "interval": "1", "rrule": "FREQ=MONTHLY;BYDAY=-1SU", "starts_on": "2026-01-01",
        "ends_on": "", "start_time": "01:30", "end_time": "03:30", "place-nl": "",
        "online_url": "", "version": str(series.version),
    }  # fmt: skip
    response = secretariat.post(f"/meetings/series/{series.id}/edit", data=form)
    assert response.status_code == 400
    page = response.data.decode()
    assert "would last" in page
    assert 'id="end_time-error"' in page
    db.session.expire_all()
    assert db.session.get(MeetingSeries, series.id).rrule == "FREQ=MONTHLY;BYDAY=2TU"


# --- the property: a meeting keeps its wall clock AND its length, or is refused -----------


def _switch_nights() -> st.SearchStrategy[date]:
    """The last Sunday of March or October of a year, give or take a day."""

    def last_sunday(year: int, month: int) -> date:
        day = date(year, month, 31)
        return day - timedelta(days=(day.weekday() + 1) % 7)

    return st.builds(
        lambda year, month, offset: last_sunday(year, month) + timedelta(days=offset),
        st.integers(2000, 2037),
        st.sampled_from([3, 10]),
        st.sampled_from([-1, 0, 0, 0, 1]),
    )


def _offsets(wall: datetime) -> set[timedelta | None]:
    """The UTC offsets zoneinfo gives a wall time with either fold: two in a gap or overlap."""
    return {wall.replace(tzinfo=BRUSSELS, fold=fold).utcoffset() for fold in (0, 1)}


@settings(max_examples=300, deadline=None)
@given(
    day=_switch_nights(),
    minute_of_day=st.integers(0, 24 * 60 - 1),
    minutes=st.integers(1, 24 * 60),
)
def test_a_meeting_keeps_its_wall_clock_and_its_length_or_is_refused(day, minute_of_day, minutes):
    at = time(minute_of_day // 60, minute_of_day % 60)
    local_start = datetime.combine(day, at)
    local_end = local_start + timedelta(minutes=minutes)
    start_offsets, end_offsets = _offsets(local_start), _offsets(local_end)
    # Refused exactly when a time has no single offset or the offset changes in between.
    troubled = len(start_offsets) > 1 or len(end_offsets) > 1 or start_offsets != end_offsets
    assert (clock_change_conflict(day, at, minutes) is not None) == troubled
    if troubled:
        return
    starts_at, ends_at = localise(day, at, minutes)
    assert starts_at.astimezone(BRUSSELS).replace(tzinfo=None) == local_start
    assert ends_at.astimezone(BRUSSELS).replace(tzinfo=None) == local_end
    assert minutes_between(starts_at, ends_at) == minutes
