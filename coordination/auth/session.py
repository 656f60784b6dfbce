"""Flask-Login wiring: the session cookie's secret maps back to a user through the server-side
session (``auth.sessions``), so that a session ended on the server ends everywhere."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, login_user

from coordination.auth.sessions import note_seen, session_for, start_session
from coordination.core.time import utcnow
from coordination.users.models import User

#: Where the session's row id is kept in the cookie (to mark "this device" on the account page).
SESSION_ROW_KEY = "session_row"


def load_user(secret: str) -> User | None:
    """The user of an open session; None when it was ended, idles too long, or the account is
    deactivated."""
    now = utcnow()
    found = session_for(secret, now=now, idle_limit=current_app.permanent_session_lifetime)
    if found is None or not found.user.active:
        return None
    note_seen(found, now=now, ip_address=request.remote_addr)
    if session.get(SESSION_ROW_KEY) != found.id:
        session[SESSION_ROW_KEY] = found.id
    return found.user


def sign_in(user: User) -> None:
    """Open a server-side session for ``user`` in this browser (after every check passed)."""
    secret = start_session(
        user, ip_address=request.remote_addr, user_agent=request.headers.get("User-Agent")
    )
    login_user(user)
    # Flask-Login keeps the user's id; the cookie keeps the session's secret instead.
    session["_user_id"] = secret
    session.permanent = True


def current_session_secret() -> str | None:
    value = session.get("_user_id")
    return value if isinstance(value, str) else None


def configure_login_manager(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # Our own sessions end on the server; Flask-Login's IP/agent hash would only log out
    # travellers whose address changes.
    login_manager.session_protection = None
    login_manager.user_loader(load_user)
