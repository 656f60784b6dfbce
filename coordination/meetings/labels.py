"""Translatable names of agenda item types, ordinals, and readable recurrence patterns."""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import get_day_names, get_month_names
from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.core.labels import Labels
from coordination.core.time import format_day, today_brussels
from coordination.meetings.models import AgendaItemKind, MeetingSeries, ReplyAnswer
from coordination.meetings.recurrence import (
    FIRST_OCCURRENCE_WITHIN_DAYS,
    PRESET_MONTHLY,
    PRESET_WEEKLY,
    WEEKDAYS,
    occurrence_dates,
    preset_of,
)

ORDINAL_LABELS = {
    1: _l("first"),
    2: _l("second"),
    3: _l("third"),
    4: _l("fourth"),
    -1: _l("last"),
}

KIND_LABELS = Labels(
    AgendaItemKind,
    {
        AgendaItemKind.INFORMATION: _l("Information"),
        AgendaItemKind.DISCUSSION: _l("Discussion"),
        AgendaItemKind.DECISION: _l("Decision"),
    },
)

REPLY_LABELS = Labels(
    ReplyAnswer,
    {
        ReplyAnswer.ATTENDING: _l("Attending"),
        ReplyAnswer.NOT_ATTENDING: _l("Not attending"),
        ReplyAnswer.SUBSTITUTE: _l("Substitute"),
    },
)


#: How many of its next dates describe a pattern that has no sentence.
DATES_DESCRIBING_A_PATTERN = 3


def describe_series_pattern(series: MeetingSeries, today: date | None = None) -> str:
    """The series' pattern in words: a sentence for the patterns the simple form builds, else
    its next dates (a calendar-notation rule is for specialists, never shown on a page)."""
    sentence = describe_rule(series.rrule)
    if sentence is not None:
        return sentence
    start = max(today or today_brussels(), series.starts_on)
    upcoming = occurrence_dates(
        series.rrule,
        starts_on=series.starts_on,
        start_time=series.start_time,
        first=start,
        last=start + timedelta(days=FIRST_OCCURRENCE_WITHIN_DAYS),
        ends_on=series.ends_on,
    )[:DATES_DESCRIBING_A_PATTERN]
    if not upcoming:
        return _("A pattern of its own, with no date to come")
    dates = format_list([format_day(day) for day in upcoming], locale=get_locale())
    return _("A pattern of its own; next: %(dates)s", dates=dates)


def describe_rule(rule_text: str) -> str | None:
    """A sentence for the rules the simple form builds; None for any other pattern."""
    preset = preset_of(rule_text)
    locale = get_locale()
    if preset.weekday is None:
        return None
    weekday = get_day_names("wide", locale=locale)[WEEKDAYS.index(preset.weekday)]
    if preset.kind == PRESET_WEEKLY:
        if preset.interval == 1:
            return _("Every week on %(weekday)s", weekday=weekday)
        return ngettext(
            "Every %(num)d week on %(weekday)s",
            "Every %(num)d weeks on %(weekday)s",
            preset.interval,
            weekday=weekday,
        )
    if preset.kind == PRESET_MONTHLY and preset.ordinal is not None:
        ordinal = str(ORDINAL_LABELS[preset.ordinal])
        if not preset.months:
            return _("Every month on the %(ordinal)s %(weekday)s", ordinal=ordinal, weekday=weekday)
        month_names = get_month_names("wide", locale=locale)
        months = format_list([month_names[m] for m in preset.months], locale=locale)
        return _(
            "In %(months)s, on the %(ordinal)s %(weekday)s",
            months=months,
            ordinal=ordinal,
            weekday=weekday,
        )
    return None
