"""Time helpers: stored in UTC, shown and entered in Europe/Brussels."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


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

    zoneinfo resolves the two ambiguous cases as PEP 495 says: on the autumn switch the
    repeated hour takes its first (summer-time) occurrence, and a wall time inside the spring
    gap lands on the instant the clocks jump to (02:30 becomes 03:30 CEST).
    """
    return datetime.combine(day, at, tzinfo=BRUSSELS).astimezone(UTC)


def local_naive_to_utc(value: datetime) -> datetime:
    """A naive datetime typed by a user in Brussels, as aware UTC."""
    return brussels_to_utc(value.date(), value.time())


def utc_to_local_naive(value: datetime) -> datetime:
    """An aware datetime as the naive Brussels wall time (for form fields)."""
    return to_brussels(value).replace(tzinfo=None)


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from start to end."""
    return int((end - start) / timedelta(minutes=1))
