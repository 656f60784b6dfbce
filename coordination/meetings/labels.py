"""Translatable names of agenda item types, ordinals, and readable recurrence rules."""

from __future__ import annotations

from babel.dates import get_day_names, get_month_names
from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.core.labels import Labels
from coordination.meetings.models import AgendaItemKind, ReplyAnswer
from coordination.meetings.recurrence import (
    PRESET_MONTHLY,
    PRESET_WEEKLY,
    WEEKDAYS,
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


def describe_rule(rule_text: str) -> str:
    """A sentence for the rules the simple form builds; the RRULE itself otherwise."""
    preset = preset_of(rule_text)
    locale = get_locale()
    if preset.weekday is None:
        return rule_text
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
    return rule_text
