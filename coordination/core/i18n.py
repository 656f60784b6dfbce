"""Language selection: user preference, then the session, then Accept-Language."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

SESSION_KEY = "language"

#: Formatting conventions of each language. The English readers are Belgian officials, so dates
#: and times follow British English: day before month, a 24-hour clock, weeks from Monday.
FORMAT_LOCALES = {"en": "en_GB"}


def babel_locale(language: str) -> str:
    """The Babel locale that translates and formats for ``language`` ("en" -> "en_GB")."""
    return FORMAT_LOCALES.get(language, language)


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
