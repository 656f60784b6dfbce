"""Site-wide routes (language switch, health) and the friendly error pages."""

from __future__ import annotations

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
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from coordination.core.actions import commit
from coordination.core.forms import LanguageForm
from coordination.core.i18n import SESSION_KEY
from coordination.core.urls import safe_next_url
from coordination.db import db

bp = Blueprint("core", __name__)


@bp.post("/language")
def set_language():
    """Switch the interface language; remembered for the account, or the session."""
    form = LanguageForm()
    if not form.validate_on_submit():
        flash(_("This language is not available."), "error")
        return redirect(url_for("dashboard.home"))
    session[SESSION_KEY] = form.language.data
    if current_user.is_authenticated:
        from coordination.users.services import set_preferred_language

        commit(lambda: set_preferred_language(current_user, form.language.data))
    return redirect(safe_next_url(form.next.data) or url_for("dashboard.home"))


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


def register_error_handlers(app: Flask) -> None:
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

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _render_error(500)
