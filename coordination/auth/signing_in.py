"""The steps of signing in that follow a correct password: the second factor where the user
has one (or must have one), then a server-side session, the known-device cookie and the
user's language. Shared by the login, the password-setup link and the password change.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import ngettext
from werkzeug.wrappers import Response

from coordination.auth import second_factor
from coordination.auth.guards import mark_authenticated_now
from coordination.auth.session import sign_in
from coordination.auth.sessions import remember_device
from coordination.auth.throttle import seconds
from coordination.core.actions import commit_bookkeeping
from coordination.core.i18n import SESSION_KEY
from coordination.core.time import utcnow
from coordination.db import db
from coordination.users.models import User

#: The long-lived cookie of a browser where its owner signed in (``auth.throttle``).
DEVICE_COOKIE = "coordination_device"
DEVICE_COOKIE_AGE = timedelta(days=400)
#: Between the password and the second factor: who, since when, where to go next.
PENDING_KEY = "pending_sign_in"
PENDING_LIFETIME = timedelta(minutes=10)


def continue_sign_in(user: User, next_url: str | None) -> Response:
    """After a correct password: the second factor if the user has (or needs) one, else in."""
    if second_factor.confirmed_factor(user) is None and not second_factor.is_required(user):
        return finish_sign_in(user, next_url)
    session.clear()
    session[PENDING_KEY] = {
        "user": user.id,
        "at": int(utcnow().timestamp()),
        "next": next_url or "",
    }
    commit_bookkeeping()  # the audit record of the password step
    if second_factor.confirmed_factor(user) is None:
        return redirect(url_for("security.enrol"))
    return redirect(url_for("security.second_factor_page"))


def pending_user() -> tuple[User, str | None] | None:
    """The user between password and second factor, if that step is recent enough."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    started, user_id = pending.get("at"), pending.get("user")
    if not isinstance(started, int) or not isinstance(user_id, int):
        return None
    if utcnow().timestamp() - started > PENDING_LIFETIME.total_seconds():
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    return user, pending.get("next") or None


def finish_sign_in(user: User, next_url: str | None) -> Response:
    """Open the session and go on to ``next_url`` (the home page by default)."""
    device = open_session(user)
    return remember_browser(redirect(next_url or url_for("dashboard.home")), device)


def open_session(user: User) -> str | None:
    """The server-side session in this browser, in the user's language; committed.

    Returns a new device secret when this browser is not yet known for the user.
    """
    session.clear()
    sign_in(user)
    mark_authenticated_now()
    if user.locale:
        session[SESSION_KEY] = user.locale
    device = remember_device(user, request.cookies.get(DEVICE_COOKIE), now=utcnow())
    commit_bookkeeping()
    return device


def remember_browser(response: Response, device: str | None) -> Response:
    """Give the browser its known-device cookie (``auth.throttle``) when it got a new one."""
    if device is not None:
        response.set_cookie(
            DEVICE_COOKIE,
            device,
            max_age=int(DEVICE_COOKIE_AGE.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    return response


def too_many_attempts(template: str, wait: timedelta, **context: object):
    """The page again, saying how long to wait (429, with Retry-After)."""
    count = seconds(wait)
    if count >= 120:
        minutes = -(-count // 60)
        message = ngettext(
            "Too many attempts. Wait %(num)d minute before trying again.",
            "Too many attempts. Wait %(num)d minutes before trying again.",
            minutes,
        )
    else:
        message = ngettext(
            "Too many attempts. Wait %(num)d second before trying again.",
            "Too many attempts. Wait %(num)d seconds before trying again.",
            count,
        )
    flash(message, "error")
    response = current_app.make_response((render_template(template, **context), 429))
    response.headers["Retry-After"] = str(count)
    return response
