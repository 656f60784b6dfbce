"""Jinja globals and filters shared by every template."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_date, format_datetime, format_time

from coordination.core.i18n import current_language
from coordination.core.markdown import render_markdown

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}


def localised(obj: Any, field: str = "name") -> str:
    """``obj.<field>_<lang>`` in the reader's language, falling back to English."""
    if obj is None:
        return ""
    language = current_language()
    return str(getattr(obj, f"{field}_{language}", None) or getattr(obj, f"{field}_en", ""))


def brussels_datetime(value: datetime | None, style: str = "medium") -> str:
    """An aware datetime shown in Europe/Brussels, in the reader's language."""
    if value is None:
        return ""
    return format_datetime(value, style)


def brussels_date(value: date | datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    return format_date(value, style)


def brussels_time(value: datetime | None, style: str = "short") -> str:
    if value is None:
        return ""
    return format_time(value, style)


def iso_datetime(value: datetime | None) -> str:
    """Machine-readable timestamp for ``<time datetime=...>``."""
    return value.isoformat() if value is not None else ""


def register_template_helpers(app: Flask) -> None:
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
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
