"""The month calendar: which month the query string asks for, and the grid of its weeks."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from typing import Any

from babel.dates import get_day_names
from flask_babel import get_locale

from coordination.agencies.models import Forum
from coordination.meetings import queries
from coordination.meetings.models import Meeting
from coordination.users.models import User

MIN_YEAR, MAX_YEAR = 1900, 2200


def month_from_args(args: Mapping[str, str], today: date) -> tuple[int, int, bool]:
    """(year, month, valid) from the query string; today's month when absent or invalid."""
    raw_year, raw_month = args.get("year"), args.get("month")
    if raw_year is None and raw_month is None:
        return today.year, today.month, True
    try:
        year = int(raw_year) if raw_year is not None else today.year
        month = int(raw_month) if raw_month is not None else today.month
    except ValueError:
        return today.year, today.month, False
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return today.year, today.month, False
    return year, month, True


def shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def month_grid(user: User, year: int, month: int, forum: Forum | None) -> dict[str, Any]:
    """The month's weeks (Monday first, as in Belgium) with the meetings ``user`` may see."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    by_day: dict[date, list[Meeting]] = {}
    for meeting in queries.meetings_between(user, weeks[0][0], weeks[-1][-1], forum):
        by_day.setdefault(meeting.local_date, []).append(meeting)
    day_names = get_day_names("wide", locale=get_locale())
    short_names = get_day_names("abbreviated", locale=get_locale())
    previous_month, next_month = shift_month(year, month, -1), shift_month(year, month, 1)
    return {
        "year": year,
        "month": month,
        "month_start": date(year, month, 1),
        "weeks": weeks,
        "by_day": by_day,
        "weekdays": [(day_names[i], short_names[i]) for i in range(7)],
        "previous": date(*previous_month, 1) if previous_month[0] >= MIN_YEAR else None,
        "next": date(*next_month, 1) if next_month[0] <= MAX_YEAR else None,
    }
