"""Time helpers: stored in UTC, shown and entered in Europe/Brussels.

Twice a year a Brussels wall-clock time names no single instant: on the last Sunday of March
the clocks go from 02:00 to 03:00 (02:00-02:59 does not exist), on the last Sunday of October
they go back from 03:00 to 02:00 (02:00-02:59 happens twice). :func:`brussels_to_utc` refuses
both with a message that names the date and the change, instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from coordination.core.errors import ValidationError
from coordination.core.templating import date_pattern_for

BRUSSELS = ZoneInfo("Europe/Brussels")
#: Language of a message built outside a request (a CLI command, a test without a request).
_FALLBACK_LOCALE = "en"


@dataclass(frozen=True)
class ClockChange:
    """A switch of the Brussels clocks: at ``instant`` (UTC) the wall clock, which read
    ``before``, reads ``after`` (02:00 -> 03:00 in spring, 03:00 -> 02:00 in autumn)."""

    instant: datetime
    before: time
    after: time


class LocalTimeError(ValidationError):
    """A Brussels wall-clock time that names no single instant; the message says why."""

    def __init__(self, message: object, *, day: date, at: time, change: ClockChange) -> None:
        super().__init__(message)
        self.day = day
        self.at = at
        self.change = change


class NonexistentLocalTime(LocalTimeError):
    """The time falls in the hour the clocks skip in spring."""


class AmbiguousLocalTime(LocalTimeError):
    """The time falls in the hour that happens twice in autumn."""


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def today_brussels() -> date:
    """Today's date as it is in Brussels (what a deadline means to the users)."""
    return utcnow().astimezone(BRUSSELS).date()


def to_brussels(value: datetime) -> datetime:
    """An aware datetime converted to Brussels local time."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(BRUSSELS)


def brussels_to_utc(day: date, at: time) -> datetime:
    """A Brussels wall-clock time on a given day, as aware UTC.

    zoneinfo would silently pick an instant for the two impossible cases (PEP 495: the first
    of a repeated time, and for a skipped time the instant the clocks jump to, so that 02:30
    became 03:30 CEST); a meeting must not move or change length without the user knowing.

    :raise NonexistentLocalTime: for a time the clocks skip that day.
    :raise AmbiguousLocalTime: for a time that happens twice that day.
    """
    wall = datetime.combine(day, at.replace(tzinfo=None))
    earlier, later = (wall.replace(tzinfo=BRUSSELS, fold=fold) for fold in (0, 1))
    if earlier.utcoffset() == later.utcoffset():
        return earlier.astimezone(UTC)
    # The two folds disagree only in a gap or an overlap; a time that exists (twice) comes
    # back unchanged from a round trip through UTC, a skipped one does not.
    change = _clock_change_around(wall)
    if earlier.astimezone(UTC).astimezone(BRUSSELS).replace(tzinfo=None) == wall:
        raise AmbiguousLocalTime(
            _l(
                "%(day)s at %(time)s happens twice in Brussels: clocks go back from "
                "%(before)s to %(after)s that night. Choose another time.",
                **_message_parts(day, at, change),
            ),
            day=day,
            at=at,
            change=change,
        )
    raise NonexistentLocalTime(
        _l(
            "%(day)s at %(time)s does not exist in Brussels: clocks go from %(before)s to "
            "%(after)s that night. Choose another time.",
            **_message_parts(day, at, change),
        ),
        day=day,
        at=at,
        change=change,
    )


def clock_change_between(start: datetime, end: datetime) -> ClockChange | None:
    """The switch of the Brussels clocks between two aware instants, or None without one.

    Found to the minute by bisection on the UTC offset (zoneinfo does not publish its
    transitions). Assumes at most one switch in between: they are months apart.
    """
    before, after = _offset(start), _offset(end)
    if before == after:
        return None
    low, high = 0, -(-(end - start) // timedelta(minutes=1))  # whole minutes, rounded up
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(start + timedelta(minutes=middle)) == before:
            low = middle
        else:
            high = middle
    instant = (start + timedelta(minutes=high)).astimezone(UTC)
    return ClockChange(
        instant=instant,
        before=(instant + before).time(),
        after=instant.astimezone(BRUSSELS).time(),
    )


def format_clock(at: time) -> str:
    """A wall-clock time as Belgians write it in every language: 02:15."""
    return f"{at:%H:%M}"


def format_day(day: date) -> str:
    """A date written out in the user's language: 29 March 2026, 29 maart 2026, 29 mars 2026.

    French writes the first of a month "1er avril 2026", the way the pages do. Outside a request
    (a CLI command) in English. The "long" format is not used: in English it writes
    "March 29, 2026".
    """
    pattern = date_pattern_for(day, "d MMMM y")
    return format_date(day, pattern, locale=get_locale() or _FALLBACK_LOCALE)


def _offset(moment: datetime) -> timedelta:
    offset = moment.astimezone(BRUSSELS).utcoffset()
    if offset is None:  # never for a ZoneInfo zone; this is for the type checker
        raise ValueError("Europe/Brussels gave no UTC offset")
    return offset


def _clock_change_around(wall: datetime) -> ClockChange:
    """The switch that makes ``wall`` (naive, in a gap or an overlap) impossible.

    A day either side holds that switch and no other.
    """
    as_utc = wall.replace(tzinfo=UTC)
    change = clock_change_between(as_utc - timedelta(days=1), as_utc + timedelta(days=1))
    if change is None:  # only reached if zoneinfo contradicted itself
        raise ValueError(f"no clock change around {wall.isoformat()}")
    return change


def _message_parts(day: date, at: time, change: ClockChange) -> dict[str, str]:
    return {
        "day": format_day(day),
        "time": format_clock(at),
        "before": format_clock(change.before),
        "after": format_clock(change.after),
    }


def local_naive_to_utc(value: datetime) -> datetime:
    """A naive datetime typed by a user in Brussels, as aware UTC.

    :raise LocalTimeError: as :func:`brussels_to_utc`.
    """
    return brussels_to_utc(value.date(), value.time())


def utc_to_local_naive(value: datetime) -> datetime:
    """An aware datetime as the naive Brussels wall time (for form fields)."""
    return to_brussels(value).replace(tzinfo=None)


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from start to end."""
    return int((end - start) / timedelta(minutes=1))
