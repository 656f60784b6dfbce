"""View guards built on the policy: ``authorize`` and the recent-login requirement."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from coordination.auth.policy import Action, can
from coordination.db import db

M = TypeVar("M")

AUTH_TIME_KEY = "authenticated_at"


def authorize(action: Action, obj: Any = None, *, hide: bool = False) -> None:
    """Abort unless the current user may perform ``action`` on ``obj``.

    :raise 404: when ``hide`` is set: the user must not learn that the object exists.
    :raise 403: otherwise.
    """
    if not can(current_user, action, obj):
        abort(404 if hide else 403)


def load_authorized(
    model: type[M], object_id: int, action: Action, *, hide: bool = False, **options: Any
) -> M:
    """The object, if the current user may perform ``action`` on it (flaskr's ``get_post``).

    ``options`` go to ``Session.get`` (eager loading).

    :raise 404: when it does not exist, or when ``hide`` is set and the user may not: they
        must not learn that it exists.
    :raise 403: when the user may see it but not do this.
    """
    obj = db.get_or_404(model, object_id, **options)
    authorize(action, obj, hide=hide)
    return obj


def mark_authenticated_now() -> None:
    """Remember when the user last proved their password (login or re-authentication)."""
    session[AUTH_TIME_KEY] = int(time.time())


def login_is_recent() -> bool:
    window = current_app.config["REAUTHENTICATION_WINDOW"].total_seconds()
    authenticated_at = session.get(AUTH_TIME_KEY)
    return isinstance(authenticated_at, int) and time.time() - authenticated_at <= window


def recent_password_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Ask for the password again when the last proof of it is older than the window
    (``REAUTHENTICATION_WINDOW``), then come back: for changing a password or an account."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not login_is_recent():
            return redirect(url_for("auth.reauthenticate", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper
