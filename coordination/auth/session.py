"""Flask-Login wiring: how a session id maps back to a user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from coordination.db import db
from coordination.users.models import User


def load_user(session_id: str) -> User | None:
    """The user of a session id ``"<user id>:<epoch>"``; None when it no longer holds.

    A changed epoch (password change, deactivation) ends the session; so does deactivation.
    """
    user_id, _, epoch = session_id.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_epoch != int(epoch):
        return None
    return user


def configure_login_manager(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
