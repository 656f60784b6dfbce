"""Dates, times and percentages as each language writes them (the template filters)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask_babel import force_locale

from coordination.core.i18n import babel_locale
from coordination.core.templating import (
    brussels_date,
    brussels_datetime,
    brussels_time,
    percent,
)
from coordination.core.time import format_day
from coordination.dashboard.views import format_share, format_signed_share

#: 14:30:15 in Brussels (summer time): the seconds must never show.
AFTERNOON = datetime(2026, 9, 1, 12, 30, 15, tzinfo=UTC)
STYLES = ["short", "medium", "long", "full"]
LANGUAGES = ["nl", "fr", "en"]
NARROW_NO_BREAK_SPACE = "\u202f"


@contextmanager
def reading_in(app: Flask, language: str) -> Iterator[None]:
    """A request whose reader uses ``language`` ("en" formats as British English)."""
    with app.test_request_context(), force_locale(babel_locale(language)):
        yield


# --- no seconds ----------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_times_show_hours_and_minutes_only(app, language, style):
    with reading_in(app, language):
        shown = brussels_time(AFTERNOON, style)
    assert shown.startswith("14:30")
    assert "14:30:15" not in shown


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_datetimes_show_hours_and_minutes_only(app, language, style):
    with reading_in(app, language):
        shown = brussels_datetime(AFTERNOON, style)
    assert "14:30" in shown
    assert "14:30:15" not in shown


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        ("nl", "medium", "1 sep 2026, 14:30"),
        ("nl", "short", "01-09-2026, 14:30"),
        ("fr", "medium", "1 sept. 2026, 14:30"),
        ("fr", "short", "01/09/2026 14:30"),
        ("en", "medium", "1 Sept 2026, 14:30"),
        ("en", "short", "01/09/2026, 14:30"),
    ],
)
def test_the_datetime_styles_of_the_templates_keep_each_locales_order(
    app, language, style, expected
):
    with reading_in(app, language):
        assert brussels_datetime(AFTERNOON, style) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_default_time_filter_is_the_plain_clock(app, language):
    with reading_in(app, language):
        assert brussels_time(AFTERNOON) == "14:30"


def test_a_custom_pattern_loses_its_seconds_too(app):
    with reading_in(app, "nl"):
        assert brussels_time(AFTERNOON, "HH:mm:ss") == "14:30"


# --- the first of the month in French --------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "style", "expected"),
    [
        (date(2026, 1, 1), "long", "1er janvier 2026"),
        (date(2026, 9, 1), "full", "mardi 1er septembre 2026"),
        (date(2026, 1, 2), "long", "2 janvier 2026"),
        (date(2001, 1, 1), "long", "1er janvier 2001"),  # the year's "1" stays as it is
        (date(2026, 1, 1), "d MMMM y", "1er janvier 2026"),
        (date(2026, 1, 1), "short", "01/01/2026"),  # numeric dates take no ordinal
    ],
)
def test_french_writes_the_first_of_the_month_as_an_ordinal(app, day, style, expected):
    with reading_in(app, "fr"):
        assert brussels_date(day, style) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("nl", "1 januari 2026"), ("en", "1 January 2026")]
)
def test_dutch_and_english_keep_the_cardinal(app, language, expected):
    with reading_in(app, language):
        assert brussels_date(date(2026, 1, 1), "long") == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "1er mars 2026"), ("nl", "1 maart 2026"), ("en", "1 March 2026")],
)
def test_messages_outside_the_templates_write_the_first_like_the_pages(app, language, expected):
    """A clock-change message names its day with ``format_day``: the same rule as the pages."""
    with reading_in(app, language):
        assert format_day(date(2026, 3, 1)) == expected


def test_the_ordinal_follows_the_brussels_date_not_the_utc_one(app):
    half_past_midnight_in_brussels = datetime(2026, 8, 31, 22, 30, tzinfo=UTC)
    with reading_in(app, "fr"):
        assert brussels_date(half_past_midnight_in_brussels, "long") == "1er septembre 2026"
        assert brussels_datetime(half_past_midnight_in_brussels, "long").startswith(
            "1er septembre 2026, 00:30"
        )


# --- percentages -----------------------------------------------------------------------------


def test_french_percentages_have_a_narrow_no_break_space(app):
    with reading_in(app, "fr"):
        assert percent(0.45) == f"45{NARROW_NO_BREAK_SPACE}%"
        assert percent(0.333, digits=1) == f"33,3{NARROW_NO_BREAK_SPACE}%"
        assert format_share(0.625) == f"62,5{NARROW_NO_BREAK_SPACE}%"
        assert format_signed_share(-0.35) == f"\u221235{NARROW_NO_BREAK_SPACE}%"


@pytest.mark.parametrize(("language", "expected"), [("nl", "45%"), ("en", "45%")])
def test_dutch_and_english_percentages_are_unchanged(app, language, expected):
    with reading_in(app, language):
        assert percent(0.45) == expected


def test_percent_shows_at_most_the_digits_asked(app):
    with reading_in(app, "nl"):
        assert percent(0.333) == "33%"
        assert percent(0.333, digits=1) == "33,3%"
        assert percent(0.25, digits=1) == "25%"  # no trailing ",0"
