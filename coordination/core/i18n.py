"""Language selection: user preference, then the session, then Accept-Language."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

SESSION_KEY = "language"

#: The language of the messages in the code and templates: it needs no catalog.
SOURCE_LANGUAGE = "en"

#: Formatting conventions of each language. The English readers are Belgian officials, so dates
#: and times follow British English: day before month, a 24-hour clock, weeks from Monday.
FORMAT_LOCALES = {"en": "en_GB"}


def babel_locale(language: str) -> str:
    """The Babel locale that translates and formats for ``language`` ("en" -> "en_GB")."""
    return FORMAT_LOCALES.get(language, language)


def missing_catalogs(
    languages: Iterable[str], directories: Iterable[str], domain: str = "messages"
) -> list[Path]:
    """The compiled catalogs (``.mo``) that no translation directory holds, one per language.

    Flask-Babel falls back to English without a word when a catalog is missing, so the app
    checks at start-up instead (the ``.mo`` files are built, not committed).
    """
    folders = [Path(directory) for directory in directories]
    missing = []
    for language in languages:
        if language == SOURCE_LANGUAGE:
            continue
        relative = Path(babel_locale(language), "LC_MESSAGES", f"{domain}.mo")
        if not any((folder / relative).is_file() for folder in folders):
            missing.append(folders[0] / relative)
    return missing


def supported_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """The locale of this request (Flask-Babel's locale selector)."""
    return babel_locale(_request_language())


def _request_language() -> str:
    languages = supported_languages()
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_language() -> str:
    """The two-letter code of the language in use ("nl", "fr" or "en")."""
    locale = get_locale()
    return locale.language if locale is not None else "en"
