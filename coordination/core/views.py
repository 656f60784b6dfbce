"""Site-wide routes (language switch, health) and the friendly error pages."""

from __future__ import annotations

import contextlib

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from coordination.core.actions import commit
from coordination.core.i18n import SESSION_KEY, babel_locale, supported_languages
from coordination.core.urls import safe_next_url
from coordination.db import db

bp = Blueprint("core", __name__)


@bp.get("/language/<code>")
def switch_language(code: str):
    """Switch the interface language from the header's links (NL | FR | EN); remembered for
    the account, or the session.

    A link rather than a form so that every page offers it in one tap, as federal sites do.
    The only thing a forged link can do is show the pages in another of our languages, which
    the same links switch back."""
    if code not in supported_languages():
        flash(_("This language is not available."), "error")
        return redirect(url_for("dashboard.home"))
    session[SESSION_KEY] = code
    if current_user.is_authenticated:
        from coordination.users.services import set_preferred_language

        commit(lambda: set_preferred_language(current_user, code))
    return redirect(safe_next_url(request.args.get("next")) or url_for("dashboard.home"))


@bp.get("/health")
def health():
    """Liveness and database reachability for the load balancer."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


def _render_error(code: int, description: str | None = None):
    return render_template("errors/error.html", code=code, description=description), code


def reject_nul_bytes():
    """Refuse a path or parameter containing a NUL byte: no database stores it, no user types it."""
    values = [request.path, *request.args.values(), *request.form.values()]
    if any("\x00" in value for value in values):
        return _render_error(400, _("The request contains characters that are not allowed."))
    return None


#: What an HTML form sends: every write of the platform is a form.
FORM_ENCODINGS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def refuse_other_encodings():
    """Refuse a write whose body is not a form (JSON, XML, raw text): the forms read only what
    a browser sends, so nothing else can reach a validator that expects text (415)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    has_body = bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", ""
    )
    if has_body and request.mimetype not in FORM_ENCODINGS:
        return _render_error(415, _("This page only accepts what its form sends."))
    return None


#: When to try again after the database failed to answer (seconds).
RETRY_AFTER = 30

#: sqlite3's words for a database it cannot reach or write now (busy, gone, disk).
_SQLITE_UNAVAILABLE = ("locked", "unable to open", "disk i/o", "readonly", "database is full")


def database_unavailable(error: DBAPIError) -> bool:
    """Whether the database could not be reached or did not answer in time (503), as opposed
    to a mistake in a statement (500)."""
    if error.connection_invalidated:
        return True
    original = error.orig
    if type(original).__module__.startswith("psycopg"):
        # Connection refused or lost, server shutting down, statement or lock timeout.
        return isinstance(error, OperationalError)
    return isinstance(error, OperationalError) and any(
        words in str(original).lower() for words in _SQLITE_UNAVAILABLE
    )


def unavailable_response():
    """A 503 that needs no database: JSON for the load balancer's health check, else a page
    in the language the browser asks for (the user's own is in the database)."""
    headers = {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}
    if request.path == "/health":
        return {"status": "unavailable", "database": "not answering"}, 503, headers
    language = request.accept_languages.best_match(
        current_app.config["LANGUAGES"], default=current_app.config["BABEL_DEFAULT_LOCALE"]
    )
    with force_locale(babel_locale(language)):
        page = render_template("errors/unavailable.html", language=language)
    return page, 503, headers


def register_error_handlers(app: Flask) -> None:
    app.before_request(refuse_other_encodings)
    app.before_request(reject_nul_bytes)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        db.session.rollback()
        return _render_error(
            400, _("Your form expired or was sent from elsewhere. Please go back and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        if error.code is None or error.code < 400:
            return error
        response = error.get_response()
        body, code = _render_error(error.code)
        # Keep the headers the exception carries (Allow on 405, Retry-After on 429).
        kept = [
            (name, value)
            for name, value in response.headers
            if name in ("Allow", "Retry-After") or name.startswith("X-RateLimit")
        ]
        return body, code, kept

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        if not database_unavailable(error):
            return unexpected_error(error)
        current_app.logger.error("database unavailable on %s %s: %s", request.method,
                                 request.path, error.orig)  # fmt: skip
        with contextlib.suppress(DBAPIError):
            db.session.rollback()
        return unavailable_response()

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _render_error(500)
