"""Recurrence rules (RFC 5545 RRULE) evaluated in Brussels wall-clock time.

Pure functions over python-dateutil's rrule. A rule is evaluated with a NAIVE local start
(the Brussels wall clock) and each occurrence is localised with zoneinfo afterwards: a meeting
at 10:00 stays at 10:00 in Brussels across daylight-saving switches, its UTC instant moves.

Rules are validated here, part by part, before dateutil ever sees them: dateutil accepts
rules that never end (``INTERVAL=0``), explode (``FREQ=SECONDLY``) or fail with an
``IndexError``; none of that may reach a form or the database.

On the nights the clocks change a meeting cannot always keep both its wall-clock times and
its length: 02:15 does not exist on the last Sunday of March and happens twice on the last
Sunday of October, and a 01:30-03:30 meeting would last one hour or three.
:func:`clock_change_conflict` tells which occurrence is affected and why;
:func:`check_clock_changes` refuses a pattern that has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

# python-dateutil ships no type information (types-python-dateutil is not a dependency).
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l

from coordination.core.errors import ValidationError
from coordination.core.time import (
    LocalTimeError,
    brussels_to_utc,
    clock_change_between,
    format_clock,
    format_day,
    minutes_between,
)

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
#: Largest INTERVAL per frequency: beyond these a "series" is no longer a rhythm.
MAX_INTERVAL = {"DAILY": 366, "WEEKLY": 52, "MONTHLY": 24, "YEARLY": 5}
MAX_COUNT = 500
#: Twice a week at most: a forum that would meet more often is a typo, not a series.
MAX_OCCURRENCES_PER_YEAR = 110
#: A rule must produce a meeting within this many days of its first day.
FIRST_OCCURRENCE_WITHIN_DAYS = 3 * 366

_ALLOWED_PARTS = {
    "FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS",
    "BYWEEKNO", "BYYEARDAY", "WKST",
}  # fmt: skip
#: The time of day comes from the series' start time, never from the rule.
_TIME_PARTS = {"BYHOUR", "BYMINUTE", "BYSECOND"}
_INT_LIST = re.compile(r"^[+-]?\d{1,3}(,[+-]?\d{1,3})*$")
_BYDAY_ITEM = re.compile(r"^([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
#: Longest length of each month (February in a leap year).
_LONGEST_MONTH = dict(enumerate((31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), start=1))
_UNTIL = re.compile(r"^(\d{8})(T\d{6}Z?)?$")


class RecurrenceError(ValidationError):
    """The recurrence rule is not acceptable; the message says why."""


class ClockChangeError(RecurrenceError):
    """On ``day`` a meeting of the pattern would not keep its wall-clock times and its length
    because the clocks change that night; the message names the date and the change.

    ``on_end`` tells which time to correct: the start when False, else the end (the end does
    not exist or happens twice, or the length would change).
    """

    def __init__(self, message: object, *, day: date, on_end: bool) -> None:
        super().__init__(message)
        self.day = day
        self.on_end = on_end


@dataclass(frozen=True)
class Rule:
    """A validated rule: ``text`` is the normalised RRULE, ``until`` its last day if any."""

    text: str
    until: date | None

    def __str__(self) -> str:
        return self.text


def _ints(value: str, name: str, low: int, high: int, *, signed: bool = True) -> list[int]:
    if not _INT_LIST.match(value):
        raise RecurrenceError(_l("%(part)s must be a list of numbers.", part=name))
    numbers = [int(item) for item in value.split(",")]
    for number in numbers:
        if number == 0 or abs(number) < low or abs(number) > high or (number < 0 and not signed):
            raise RecurrenceError(
                _l("%(part)s contains a value out of range: %(value)s", part=name, value=number)
            )
    return numbers


def _number(value: str, name: str) -> int:
    if not re.fullmatch(r"\d{1,7}", value):
        raise RecurrenceError(_l("%(part)s must be a whole number.", part=name))
    number = int(value)
    if number < 1:
        raise RecurrenceError(
            _l("%(part)s contains a value out of range: %(value)s", part=name, value=number)
        )
    return number


def _split(text: str) -> dict[str, str]:
    cleaned = (text or "").strip()
    if cleaned.upper().startswith("RRULE:"):
        cleaned = cleaned[6:]
    cleaned = cleaned.strip().strip(";").upper()
    if not cleaned:
        raise RecurrenceError(_l("Enter a recurrence rule, e.g. FREQ=MONTHLY;BYDAY=2TU."))
    if len(cleaned) > 255:
        raise RecurrenceError(_l("The recurrence rule is too long."))
    parts: dict[str, str] = {}
    for chunk in cleaned.split(";"):
        name, sep, value = chunk.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise RecurrenceError(
                _l("The recurrence rule is not valid: write NAME=VALUE parts separated by ;.")
            )
        if name in _TIME_PARTS:
            raise RecurrenceError(
                _l("The time of day comes from the series' start time; remove %(part)s.", part=name)
            )
        if name not in _ALLOWED_PARTS:
            raise RecurrenceError(_l("Unsupported part in the rule: %(part)s.", part=name))
        if name in parts:
            raise RecurrenceError(_l("%(part)s appears twice in the rule.", part=name))
        parts[name] = value
    return parts


def parse_rule(text: str) -> Rule:
    """Validate an RRULE string and return it normalised.

    :raise RecurrenceError: missing or unsupported FREQ, COUNT together with UNTIL, intervals or
        values out of range, parts that set the time of day, rules that never produce a
        meeting or produce absurdly many, and anything that is not a rule at all.
    """
    parts = _split(text)
    freq = parts.get("FREQ")
    if freq is None:
        raise RecurrenceError(_l("The rule needs a frequency (FREQ), e.g. FREQ=MONTHLY."))
    if freq in ("HOURLY", "MINUTELY", "SECONDLY"):
        raise RecurrenceError(
            _l("Meetings cannot repeat more often than daily (FREQ=%(freq)s).", freq=freq)
        )
    if freq not in FREQUENCIES:
        raise RecurrenceError(_l("Unknown frequency: %(freq)s.", freq=freq))
    if "COUNT" in parts and "UNTIL" in parts:
        raise RecurrenceError(_l("A rule may end with COUNT or with UNTIL, not both."))
    if freq in ("DAILY", "WEEKLY"):
        # dateutil would walk day by day to the year 9999 when such a filter can never match.
        for name in ("BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS"):
            if name in parts:
                raise RecurrenceError(_l("%(part)s needs FREQ=MONTHLY or FREQ=YEARLY.", part=name))

    normalised: list[str] = [f"FREQ={freq}"]
    if "INTERVAL" in parts:
        interval = _number(parts["INTERVAL"], "INTERVAL")
        if interval > MAX_INTERVAL[freq]:
            raise RecurrenceError(
                _l(
                    "INTERVAL=%(interval)s is too large for %(freq)s (at most %(maximum)s).",
                    interval=interval,
                    freq=freq,
                    maximum=MAX_INTERVAL[freq],
                )
            )
        if interval != 1:
            normalised.append(f"INTERVAL={interval}")
    if "COUNT" in parts:
        count = _number(parts["COUNT"], "COUNT")
        if count > MAX_COUNT:
            raise RecurrenceError(_l("COUNT may be at most %(maximum)s.", maximum=MAX_COUNT))
        normalised.append(f"COUNT={count}")
    until: date | None = None
    if "UNTIL" in parts:
        match = _UNTIL.match(parts["UNTIL"])
        try:
            until = datetime.strptime(match.group(1), "%Y%m%d").date() if match else None  # noqa: DTZ007 - a calendar date
        except ValueError:
            until = None
        if until is None:
            raise RecurrenceError(_l("UNTIL must be a date such as 20261231."))
        normalised.append(f"UNTIL={until:%Y%m%d}")
    if "BYMONTH" in parts:
        months = _ints(parts["BYMONTH"], "BYMONTH", 1, 12, signed=False)
        normalised.append("BYMONTH=" + ",".join(str(m) for m in sorted(set(months))))
    if "BYWEEKNO" in parts:
        if freq != "YEARLY":
            raise RecurrenceError(_l("%(part)s needs FREQ=YEARLY.", part="BYWEEKNO"))
        _ints(parts["BYWEEKNO"], "BYWEEKNO", 1, 53)
        normalised.append(f"BYWEEKNO={parts['BYWEEKNO']}")
    if "BYYEARDAY" in parts:
        if freq != "YEARLY":
            raise RecurrenceError(_l("%(part)s needs FREQ=YEARLY.", part="BYYEARDAY"))
        _ints(parts["BYYEARDAY"], "BYYEARDAY", 1, 366)
        normalised.append(f"BYYEARDAY={parts['BYYEARDAY']}")
    if "BYMONTHDAY" in parts:
        monthdays = _ints(parts["BYMONTHDAY"], "BYMONTHDAY", 1, 31)
        in_months = (
            _ints(parts["BYMONTH"], "BYMONTH", 1, 12) if "BYMONTH" in parts else list(range(1, 13))
        )
        if not any(abs(day) <= _LONGEST_MONTH[m] for day in monthdays for m in in_months):
            raise RecurrenceError(_l("This rule never produces a meeting."))
        normalised.append(f"BYMONTHDAY={parts['BYMONTHDAY']}")
    if "BYDAY" in parts:
        normalised.append("BYDAY=" + _byday(parts["BYDAY"], freq, "BYMONTH" in parts))
    if "BYSETPOS" in parts:
        _ints(parts["BYSETPOS"], "BYSETPOS", 1, 366)
        normalised.append(f"BYSETPOS={parts['BYSETPOS']}")
    if "WKST" in parts:
        if parts["WKST"] not in WEEKDAYS:
            raise RecurrenceError(_l("WKST must be a weekday such as MO."))
        normalised.append(f"WKST={parts['WKST']}")

    rule = Rule(";".join(normalised), until)
    _check_produces_sensible_dates(rule)
    return rule


def _byday(value: str, freq: str, has_bymonth: bool) -> str:
    items = value.split(",")
    for item in items:
        match = _BYDAY_ITEM.match(item)
        if match is None:
            raise RecurrenceError(
                _l("BYDAY must list weekdays such as TU or 2TU (second Tuesday).")
            )
        if match.group(2) is None:
            continue
        ordinal = int(match.group(2))
        if freq in ("DAILY", "WEEKLY"):
            raise RecurrenceError(
                _l("A numbered weekday (such as 2TU) needs FREQ=MONTHLY or FREQ=YEARLY.")
            )
        limit = 5 if freq == "MONTHLY" or has_bymonth else 53
        if not 1 <= ordinal <= limit:
            raise RecurrenceError(_l("BYDAY contains a value out of range: %(value)s", value=item))
    return ",".join(items)


def _rrule(rule: Rule, dtstart: datetime):
    # UNTIL is applied by the callers as a date (inclusive), which is what users mean by it;
    # dateutil would compare it with the start time of day and drop the last meeting.
    text = ";".join(part for part in rule.text.split(";") if not part.startswith("UNTIL="))
    try:
        return rrulestr(text, dtstart=dtstart)
    except (ValueError, TypeError, IndexError, KeyError, OverflowError) as error:
        raise RecurrenceError(_l("The recurrence rule is not valid.")) from error


def _check_produces_sensible_dates(rule: Rule) -> None:
    start = datetime(2024, 1, 1, 10, 0)  # noqa: DTZ001 - wall-clock arithmetic on purpose
    parsed = _rrule(rule, start)
    try:
        first_year = parsed.between(start, start + timedelta(days=366), inc=True)
        if not first_year:
            later = parsed.between(
                start, start + timedelta(days=FIRST_OCCURRENCE_WITHIN_DAYS), inc=True
            )
            if not later:
                raise RecurrenceError(_l("This rule never produces a meeting."))
    except (ValueError, IndexError, OverflowError) as error:
        raise RecurrenceError(_l("The recurrence rule is not valid.")) from error
    if len(first_year) > MAX_OCCURRENCES_PER_YEAR:
        raise RecurrenceError(
            _l(
                "This rule produces more than %(maximum)s meetings a year.",
                maximum=MAX_OCCURRENCES_PER_YEAR,
            )
        )


def occurrence_dates(
    rule: Rule | str,
    *,
    starts_on: date,
    start_time: time,
    first: date,
    last: date,
    ends_on: date | None = None,
) -> list[date]:
    """The Brussels dates on which the rule falls, from ``first`` to ``last`` inclusive.

    The rule is anchored on ``starts_on`` at ``start_time`` (wall clock): COUNT and INTERVAL
    count from there, whatever window is asked for.
    """
    parsed_rule = rule if isinstance(rule, Rule) else parse_rule(rule)
    limits = [last] + [d for d in (ends_on, parsed_rule.until) if d is not None]
    last = min(limits)
    first = max(first, starts_on)
    if last < first:
        return []
    dtstart = datetime.combine(starts_on, start_time)
    parsed = _rrule(parsed_rule, dtstart)
    window_start = datetime.combine(first, time.min)
    window_end = datetime.combine(last, time.max)
    return [moment.date() for moment in parsed.between(window_start, window_end, inc=True)]


def localise(day: date, at: time, duration_minutes: int) -> tuple[datetime, datetime]:
    """Start and end of a meeting as aware UTC, from a Brussels date and wall-clock time.

    The end is computed on the wall clock too: a 10:00-12:30 meeting ends at 12:30 even on a
    day the clocks change. A meeting during which the clocks change keeps its wall-clock
    times and so lasts an hour less or more: the series services refuse or skip such an
    occurrence first (:func:`clock_change_conflict`).

    :raise LocalTimeError: when the start or the end does not exist or happens twice.
    """
    local_end = datetime.combine(day, at) + timedelta(minutes=duration_minutes)
    return brussels_to_utc(day, at), brussels_to_utc(local_end.date(), local_end.time())


def clock_change_conflict(day: date, at: time, duration_minutes: int) -> ClockChangeError | None:
    """Why a meeting on ``day`` from ``at`` for ``duration_minutes`` cannot keep both its
    Brussels wall-clock times and its length, or None when it can.

    Three reasons, all on a night the clocks change: its start, or its end, does not exist or
    happens twice; or the clocks change while it is on (a 01:30-03:30 meeting would last 60
    minutes in spring and 180 in autumn).
    """
    local_end = datetime.combine(day, at) + timedelta(minutes=duration_minutes)
    try:
        starts_at = brussels_to_utc(day, at)
    except LocalTimeError as error:
        return ClockChangeError(error.message, day=day, on_end=False)
    try:
        ends_at = brussels_to_utc(local_end.date(), local_end.time())
    except LocalTimeError as error:
        return ClockChangeError(error.message, day=day, on_end=True)
    # Without a change in between, the real length is the wall-clock length.
    change = clock_change_between(starts_at, ends_at)
    if change is None:
        return None
    return ClockChangeError(
        _l(
            "On %(day)s the meeting from %(start)s to %(end)s would last %(actual)s minutes "
            "instead of %(planned)s: clocks go from %(before)s to %(after)s during it. "
            "Choose another time.",
            day=format_day(day),
            start=format_clock(at),
            end=format_clock(local_end.time()),
            actual=minutes_between(starts_at, ends_at),
            planned=duration_minutes,
            before=format_clock(change.before),
            after=format_clock(change.after),
        ),
        day=day,
        on_end=True,
    )


def check_clock_changes(
    rule: Rule | str,
    *,
    starts_on: date,
    start_time: time,
    duration_minutes: int,
    first: date,
    last: date,
    ends_on: date | None = None,
) -> None:
    """Refuse a pattern that meets, from ``first`` to ``last``, on a night when one of its
    meetings cannot keep its wall-clock times and its length.

    :raise ClockChangeError: naming the first such date and the change of the clocks.
    :raise RecurrenceError: for a rule that is not acceptable.
    """
    days = occurrence_dates(
        rule, starts_on=starts_on, start_time=start_time, first=first, last=last,
        ends_on=ends_on,
    )  # fmt: skip
    for day in days:
        conflict = clock_change_conflict(day, start_time, duration_minutes)
        if conflict is not None:
            raise conflict


# --- presets -------------------------------------------------------------------------------

#: Ordinals offered by the "Nth weekday of the month" preset (-1 is the last one).
ORDINALS = (1, 2, 3, 4, -1)

PRESET_MONTHLY = "monthly"
PRESET_WEEKLY = "weekly"
PRESET_ADVANCED = "advanced"


def build_monthly_rule(ordinal: int, weekday: str, months: list[int] | None = None) -> str:
    """ "Every month (or only in ``months``) on the Nth weekday": e.g. the second Tuesday.

    :raise RecurrenceError: for an ordinal or weekday that is not offered.
    """
    if ordinal not in ORDINALS or weekday not in WEEKDAYS:
        raise RecurrenceError(_l("Choose which weekday of the month."))
    rule = f"FREQ=MONTHLY;BYDAY={ordinal}{weekday}"
    if months:
        if any(not 1 <= month <= 12 for month in months):
            raise RecurrenceError(_l("Choose months between January and December."))
        rule = f"FREQ=MONTHLY;BYMONTH={','.join(str(m) for m in sorted(set(months)))};" + (
            f"BYDAY={ordinal}{weekday}"
        )
    return parse_rule(rule).text


def build_weekly_rule(weekday: str, interval: int = 1) -> str:
    """ "Every ``interval`` weeks on ``weekday``".

    :raise RecurrenceError: for an unknown weekday or an interval out of range.
    """
    if weekday not in WEEKDAYS:
        raise RecurrenceError(_l("Choose a weekday."))
    rule = f"FREQ=WEEKLY;BYDAY={weekday}"
    if interval != 1:
        rule = f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={weekday}"
    return parse_rule(rule).text


@dataclass(frozen=True)
class Preset:
    """The simple-form reading of a rule, when it has one."""

    kind: str
    ordinal: int | None = None
    weekday: str | None = None
    months: tuple[int, ...] = ()
    interval: int = 1


_MONTHLY = re.compile(
    r"^FREQ=MONTHLY(?:;BYMONTH=([\d,]+))?;BYDAY=(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$"
)
_WEEKLY = re.compile(r"^FREQ=WEEKLY(?:;INTERVAL=(\d+))?;BYDAY=(MO|TU|WE|TH|FR|SA|SU)$")


def preset_of(rule_text: str) -> Preset:
    """Which simple form produced ``rule_text`` (for editing and describing a series)."""
    match = _MONTHLY.match(rule_text)
    if match:
        months = tuple(int(m) for m in match.group(1).split(",")) if match.group(1) else ()
        return Preset(PRESET_MONTHLY, int(match.group(2)), match.group(3), months)
    match = _WEEKLY.match(rule_text)
    if match:
        return Preset(PRESET_WEEKLY, weekday=match.group(2), interval=int(match.group(1) or 1))
    return Preset(PRESET_ADVANCED)
