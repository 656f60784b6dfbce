"""Jinja globals and filters shared by every template."""

from __future__ import annotations

from copy import copy
from datetime import date, datetime
from typing import Any, Literal, TypeGuard, get_args

from babel import Locale
from babel.dates import (
    get_date_format,
    get_datetime_format,
    get_time_format,
    tokenize_pattern,
    untokenize_pattern,
)
from babel.numbers import NumberPattern
from flask import Flask
from flask_babel import (
    format_date,
    format_datetime,
    format_percent,
    format_time,
    get_locale,
    to_user_timezone,
)

from coordination.core.i18n import SOURCE_LANGUAGE, babel_locale, current_language
from coordination.core.markdown import render_markdown

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}

#: The named styles of Babel; anything else a template passes is a CLDR pattern.
Style = Literal["short", "medium", "long", "full"]
STYLES: tuple[Style, ...] = get_args(Style)

NARROW_NO_BREAK_SPACE = "\u202f"
NO_BREAK_SPACE = "\u00a0"

#: One token of a CLDR date pattern, as ``babel.dates.tokenize_pattern`` returns it.
PatternToken = tuple[str, str | tuple[str, int]]


def localised(obj: Any, field: str = "name") -> str:
    """``obj.<field>_<lang>`` in the reader's language, falling back to English."""
    if obj is None:
        return ""
    language = current_language()
    return str(getattr(obj, f"{field}_{language}", None) or getattr(obj, f"{field}_en", ""))


# --- dates and times -----------------------------------------------------------------------


#: The one way a page writes a date: the month in words ("3 March 2026", "1er mars 2026"), so
#: that a page never mixes "3 Mar 2026", "03/03/2026" and "3 March 2026". "full" adds the
#: weekday where it matters (a meeting's day); log tables pass "short" for every row.
DATE_STYLE: Style = "long"


def brussels_datetime(value: datetime | None, style: str = DATE_STYLE) -> str:
    """An aware datetime shown in Europe/Brussels, in the reader's language, to the minute.

    Built from the date and the time filters so that both rules hold here too (no seconds,
    "1er" in French), joined the way the locale joins them ("{1}, {0}", or "{1} {0}"). The
    time is always hours and minutes: the longer styles would add the time zone's name.
    """
    if value is None:
        return ""
    if not _is_named_style(style):
        return format_datetime(value, date_pattern_for(value, style))
    joined = str(get_datetime_format(style, locale=_formatting_locale()))
    return (
        joined.replace("'", "")
        .replace("{0}", brussels_time(value))
        .replace("{1}", brussels_date(value, style))
    )


def brussels_date(value: date | datetime | None, style: str = DATE_STYLE) -> str:
    """A date (or the Brussels date of a datetime) in the reader's language."""
    if value is None:
        return ""
    return format_date(value, date_pattern_for(value, style))


def brussels_time(value: datetime | None, style: str = "short") -> str:
    """A time in Europe/Brussels as hours and minutes, whatever the style: 14:30."""
    if value is None:
        return ""
    return format_time(value, _without_seconds(_time_pattern(style)))


def _is_named_style(style: str) -> TypeGuard[Style]:
    return style in STYLES


def _formatting_locale() -> Locale:
    """The request's locale; British English outside any (as the app's English readers)."""
    return get_locale() or Locale.parse(babel_locale(SOURCE_LANGUAGE))


def date_pattern_for(value: date | datetime, style: str) -> str:
    """The pattern that writes ``value``: the style's, without seconds, "1er" if French.

    ``style`` is a named style or a CLDR pattern ("d MMMM y").
    """
    pattern = _without_seconds(_date_pattern(style))
    if _wants_french_first(_local_date(value), pattern):
        pattern = _with_day_written_as_first(pattern)
    return pattern


def _date_pattern(style: str) -> str:
    if not _is_named_style(style):
        return style
    return str(get_date_format(style, locale=_formatting_locale()).pattern)


def _time_pattern(style: str) -> str:
    if not _is_named_style(style):
        return style
    return str(get_time_format(style, locale=_formatting_locale()).pattern)


def _is_seconds(token: PatternToken) -> bool:
    kind, value = token
    return kind == "field" and isinstance(value, tuple) and value[0] in ("s", "S")


def _without_seconds(pattern: str) -> str:
    """``pattern`` without its seconds and their separator: "HH:mm:ss z" -> "HH:mm z".

    Babel's "medium", "long" and "full" times all show seconds, which nobody here needs;
    dropping them from the locale's own pattern keeps each language's order and separators.
    """
    kept: list[PatternToken] = []
    for token in tokenize_pattern(pattern):
        if _is_seconds(token):
            if kept and kept[-1] in (("chars", ":"), ("chars", ".")):
                kept.pop()  # the separator before the seconds goes with them
            continue
        kept.append(token)
    return untokenize_pattern(kept)


def _local_date(value: date | datetime) -> date:
    """The calendar date the reader sees: a datetime's date in Brussels, not in UTC."""
    if isinstance(value, datetime):
        return to_user_timezone(value).date()
    return value


def _spells_the_month(pattern: str) -> bool:
    """Whether ``pattern`` writes the month's name in full (MMMM, LLLL): "janvier", not "01"."""
    return any(
        kind == "field" and isinstance(value, tuple) and value[0] in ("M", "L") and value[1] >= 4
        for kind, value in tokenize_pattern(pattern)
    )


def _wants_french_first(day: date, pattern: str) -> bool:
    """French writes the first of a month as an ordinal: "1er janvier", but "2 janvier"."""
    return current_language() == "fr" and day.day == 1 and _spells_the_month(pattern)


def _with_day_written_as_first(pattern: str) -> str:
    """``pattern`` with its day field replaced by the literal "1er" (Babel has no ordinals).

    Working on the pattern's tokens, not on the formatted text, leaves the year and any
    other "1" alone.
    """
    tokens: list[PatternToken] = [
        ("chars", "1er")
        if kind == "field" and isinstance(value, tuple) and value[0] == "d"
        else (kind, value)
        for kind, value in tokenize_pattern(pattern)
    ]
    return untokenize_pattern(tokens)


def iso_datetime(value: datetime | None) -> str:
    """Machine-readable timestamp for ``<time datetime=...>``."""
    return value.isoformat() if value is not None else ""


# --- percentages ---------------------------------------------------------------------------


def percent(value: float, digits: int = 0) -> str:
    """A share as a percentage in the reader's language, with at most ``digits`` decimals.

    25 %, 33,3 % in French (narrow no-break space), 25%, 33,3% in Dutch, 33.3% in English.
    """
    text = format_percent(value, _percent_pattern(digits))
    if current_language() == "fr":
        text = _with_narrow_space_before_percent_sign(text)
    return text


def _percent_pattern(digits: int) -> NumberPattern:
    """The locale's own percent pattern (its spacing and grouping), with up to ``digits``
    decimals: a pattern written by hand such as "#,##0.#%" loses the French space."""
    pattern = copy(_formatting_locale().percent_formats[None])  # never change CLDR's shared one
    pattern.frac_prec = (0, digits)
    return pattern


def _with_narrow_space_before_percent_sign(text: str) -> str:
    """French typography puts a narrow no-break space before "%"; CLDR's data has a wide one."""
    return text.replace(NO_BREAK_SPACE + "%", NARROW_NO_BREAK_SPACE + "%")


def register_template_helpers(app: Flask) -> None:
    from coordination.core.labels import value_label

    app.jinja_env.globals.update(
        current_language=current_language,
        language_names=LANGUAGE_NAMES,
    )
    app.jinja_env.filters.update(
        localised=localised,
        datetime=brussels_datetime,
        date=brussels_date,
        time=brussels_time,
        isodatetime=iso_datetime,
        markdown=render_markdown,
        value_label=value_label,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
