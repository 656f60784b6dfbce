"""Recurrence rules: validation, presets, and wall-clock times that survive DST switches."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordination.core.time import BRUSSELS
from coordination.db import db
from coordination.meetings.models import Meeting
from coordination.meetings.recurrence import (
    PRESET_ADVANCED,
    PRESET_MONTHLY,
    PRESET_WEEKLY,
    RecurrenceError,
    build_monthly_rule,
    build_weekly_rule,
    clock_change_conflict,
    localise,
    occurrence_dates,
    parse_rule,
    preset_of,
)

# The 2026 switches: last Sunday of March (29th) and of October (25th).
SPRING_SWITCH = date(2026, 3, 29)
AUTUMN_SWITCH = date(2026, 10, 25)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=2TU"),
        ("rrule:freq=monthly;byday=2tu", "FREQ=MONTHLY;BYDAY=2TU"),
        ("FREQ=MONTHLY;BYMONTH=10,3;BYDAY=3TH", "FREQ=MONTHLY;BYMONTH=3,10;BYDAY=3TH"),
        ("FREQ=YEARLY;BYMONTH=3,10;BYDAY=3TH;", "FREQ=YEARLY;BYMONTH=3,10;BYDAY=3TH"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
        ("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", "FREQ=WEEKLY;BYDAY=MO"),
        (
            "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231T235959Z",
            "FREQ=MONTHLY;UNTIL=20271231;BYDAY=-1FR",
        ),
        ("FREQ=MONTHLY;COUNT=10;BYMONTHDAY=15", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=15"),
        ("FREQ=MONTHLY;BYDAY=TU,WE;BYSETPOS=1", "FREQ=MONTHLY;BYDAY=TU,WE;BYSETPOS=1"),
    ],
)
def test_valid_rules_are_normalised(text, normalised):
    assert parse_rule(text).text == normalised


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a recurrence rule"),
        ("BYDAY=2TU", "needs a frequency"),
        ("FREQ=SECONDLY", "more often than daily"),
        ("FREQ=MINUTELY;INTERVAL=5", "more often than daily"),
        ("FREQ=HOURLY", "more often than daily"),
        ("FREQ=FORTNIGHTLY", "Unknown frequency"),
        ("FREQ=MONTHLY;COUNT=3;UNTIL=20270101", "not both"),
        ("FREQ=MONTHLY;INTERVAL=0", "out of range"),
        ("FREQ=MONTHLY;INTERVAL=1000", "too large"),
        ("FREQ=DAILY;INTERVAL=-1", "whole number"),
        ("FREQ=DAILY;INTERVAL=2,3", "whole number"),
        ("FREQ=MONTHLY;COUNT=100000", "at most"),
        ("FREQ=MONTHLY;BYDAY=9TU", "out of range"),
        ("FREQ=WEEKLY;BYDAY=2TU", "numbered weekday"),
        ("FREQ=MONTHLY;BYDAY=TUESDAY", "BYDAY must list"),
        ("FREQ=MONTHLY;BYMONTH=13", "out of range"),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", "never produces"),
        ("FREQ=DAILY;BYMONTHDAY=1", "needs FREQ=MONTHLY"),
        ("FREQ=MONTHLY;BYWEEKNO=3", "needs FREQ=YEARLY"),
        ("FREQ=DAILY", "more than 110 meetings"),
        ("FREQ=MONTHLY;BYHOUR=10", "start time"),
        ("FREQ=MONTHLY;DTSTART=20260101", "Unsupported part"),
        ("FREQ=MONTHLY;FREQ=WEEKLY", "appears twice"),
        ("FREQ=MONTHLY;UNTIL=tomorrow", "UNTIL must be a date"),
        ("FREQ=MONTHLY;UNTIL=20261340", "UNTIL must be a date"),
        ("garbage", "NAME=VALUE"),
        ("FREQ=MONTHLY;;=;", "NAME=VALUE"),
        ("FREQ=" + "MONTHLY" * 50, "too long"),
        ("FREQ=MONTHLY;WKST=XX", "WKST"),
    ],
)
def test_bad_rules_are_refused_with_a_clear_message(app, text, message):
    with pytest.raises(RecurrenceError) as refused:
        parse_rule(text)
    assert message in str(refused.value.message)


def _utc_hour(day: date, start: time = time(10, 0)) -> int:
    return localise(day, start, 150)[0].astimezone(UTC).hour


def test_meetings_after_each_dst_switch_stay_at_ten_in_brussels():
    days = occurrence_dates(
        "FREQ=WEEKLY;BYDAY=MO,TU",
        starts_on=date(2026, 3, 1),
        start_time=time(10, 0),
        first=date(2026, 3, 1),
        last=date(2026, 11, 30),
    )
    for switch in (SPRING_SWITCH, AUTUMN_SWITCH):
        monday, tuesday = switch + timedelta(days=1), switch + timedelta(days=2)
        assert monday in days
        assert tuesday in days
    for day in days:
        start, end = localise(day, time(10, 0), 150)
        assert start.astimezone(BRUSSELS).time() == time(10, 0)
        assert end.astimezone(BRUSSELS).time() == time(12, 30)
    # The UTC instant moves with the switch; the Brussels wall clock does not.
    assert _utc_hour(date(2026, 3, 24)) == 9  # CET, before the spring switch
    assert _utc_hour(date(2026, 3, 30)) == 8  # CEST, the Monday after
    assert _utc_hour(date(2026, 3, 31)) == 8  # CEST, the Tuesday after
    assert _utc_hour(date(2026, 10, 20)) == 8  # CEST, before the autumn switch
    assert _utc_hour(date(2026, 10, 26)) == 9  # CET, the Monday after
    assert _utc_hour(date(2026, 10, 27)) == 9  # CET, the Tuesday after


def test_stored_meetings_keep_their_wall_clock_across_dst(make_series):
    series = make_series(
        rrule="FREQ=WEEKLY;BYDAY=MO,TU", starts_on=date(2026, 3, 16), ends_on=date(2026, 11, 3)
    )
    db.session.expire_all()
    meetings = db.session.scalars(db.select(Meeting).where(Meeting.series_id == series.id)).all()
    local = {m.local_date: m.starts_at.astimezone(BRUSSELS) for m in meetings}
    for switch in (SPRING_SWITCH, AUTUMN_SWITCH):
        for offset in (1, 2):
            day = switch + timedelta(days=offset)
            assert local[day].time() == time(10, 0), day
            assert local[day].date() == day
    assert {value.time() for value in local.values()} == {time(10, 0)}


def test_the_bureau_and_platform_presets():
    bureau = build_monthly_rule(2, "TU")
    platform = build_monthly_rule(3, "TH", [10, 3])
    assert bureau == "FREQ=MONTHLY;BYDAY=2TU"
    assert platform == "FREQ=MONTHLY;BYMONTH=3,10;BYDAY=3TH"
    days = occurrence_dates(
        platform, starts_on=date(2021, 1, 1), start_time=time(14, 0),
        first=date(2025, 1, 1), last=date(2026, 12, 31),
    )  # fmt: skip
    assert days == [date(2025, 3, 20), date(2025, 10, 16), date(2026, 3, 19), date(2026, 10, 15)]
    assert preset_of(bureau).kind == PRESET_MONTHLY
    assert preset_of(platform).months == (3, 10)
    assert preset_of(build_weekly_rule("WE", 2)).kind == PRESET_WEEKLY
    assert preset_of(build_weekly_rule("WE", 2)).interval == 2
    assert preset_of("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1").kind == PRESET_ADVANCED


def test_until_is_an_inclusive_date_and_ends_on_caps_the_series():
    days = occurrence_dates(
        "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260310",
        starts_on=date(2026, 1, 1), start_time=time(10, 0),
        first=date(2026, 1, 1), last=date(2026, 12, 31),
    )  # fmt: skip
    assert days == [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10)]
    capped = occurrence_dates(
        "FREQ=MONTHLY;BYDAY=2TU",
        starts_on=date(2026, 1, 1), start_time=time(10, 0),
        first=date(2026, 1, 1), last=date(2026, 12, 31), ends_on=date(2026, 2, 10),
    )  # fmt: skip
    assert capped == [date(2026, 1, 13), date(2026, 2, 10)]


def test_count_is_anchored_on_the_series_start_whatever_the_window():
    days = occurrence_dates(
        "FREQ=MONTHLY;COUNT=3;BYDAY=2TU",
        starts_on=date(2026, 1, 1), start_time=time(10, 0),
        first=date(2026, 2, 1), last=date(2026, 12, 31),
    )  # fmt: skip
    assert days == [date(2026, 2, 10), date(2026, 3, 10)]


RULES = st.one_of(
    st.builds(
        lambda day, interval: f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={day}",
        st.sampled_from(["MO", "TU", "WE", "TH", "FR"]),
        st.integers(1, 4),
    ),
    st.builds(
        lambda ordinal, day: f"FREQ=MONTHLY;BYDAY={ordinal}{day}",
        st.sampled_from([1, 2, 3, 4, -1]),
        st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
    ),
    st.builds(
        lambda months, ordinal, day: (
            f"FREQ=YEARLY;BYMONTH={','.join(map(str, sorted(months)))};BYDAY={ordinal}{day}"
        ),
        st.sets(st.integers(1, 12), min_size=1, max_size=4),
        st.sampled_from([1, 2, -1]),
        st.sampled_from(["MO", "TU", "SU"]),
    ),
    st.builds(lambda monthday: f"FREQ=MONTHLY;BYMONTHDAY={monthday}", st.integers(1, 28)),
    st.builds(lambda interval: f"FREQ=DAILY;INTERVAL={interval}", st.integers(7, 60)),
)
#: Meeting hours: the spring gap (02:00-03:00) is no time for a meeting.
TIMES = st.builds(time, st.integers(6, 21), st.sampled_from([0, 15, 30, 45]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rule=RULES,
    start=st.dates(date(2019, 1, 1), date(2032, 12, 31)),
    at=TIMES,
    minutes=st.integers(15, 480),
)
def test_every_occurrence_is_at_the_wall_clock_start_time(rule, start, at, minutes):
    days = occurrence_dates(
        rule, starts_on=start, start_time=at, first=start, last=start + timedelta(days=800)
    )
    for day in days:
        if clock_change_conflict(day, at, minutes) is not None:
            continue  # a night the clocks change under it: refused (test_clock_changes.py)
        starts_at, ends_at = localise(day, at, minutes)
        assert starts_at.tzinfo is UTC
        local_start = starts_at.astimezone(BRUSSELS)
        assert local_start.date() == day
        assert local_start.time() == at
        expected_end = datetime.combine(day, at) + timedelta(minutes=minutes)
        assert ends_at.astimezone(BRUSSELS).replace(tzinfo=None) == expected_end
