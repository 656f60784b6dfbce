"""Sessions that end on the server: logout, a password change, deactivation and the
secretariat's "sign out everywhere" end every copy of a session cookie at once.

The cookie carries a random secret (Flask-Login's user id); the database keeps its SHA-256
with the device, the address and when it was last seen, which users see on their account page.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from coordination.auth.models import KnownDevice, UserSession
from coordination.core.time import utcnow
from coordination.db import db
from coordination.users.models import User
from coordination.users.signals import user_deactivated

#: A session's "last seen" is written at most this often (not on every request).
LAST_SEEN_PRECISION = timedelta(minutes=5)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


def start_session(user: User, *, ip_address: str | None, user_agent: str | None) -> str:
    """Open a session for ``user``; returns the secret for the cookie (shown nowhere else)."""
    secret = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user=user,
            token_hash=digest(secret),
            ip_address=ip_address,
            user_agent=(user_agent or "")[:255] or None,
        )
    )
    return secret


def session_for(secret: str, *, now: datetime, idle_limit: timedelta) -> UserSession | None:
    """The open session of this cookie secret, or None (unknown, ended, or idle too long)."""
    found = db.session.scalar(
        select(UserSession)
        .where(UserSession.token_hash == digest(secret), UserSession.ended_at.is_(None))
        # One statement per request for who is asking, with the agency the policy reads.
        .options(joinedload(UserSession.user).joinedload(User.agency))
    )
    if found is None or found.last_seen_at < now - idle_limit:
        return None
    return found


def note_seen(found: UserSession, *, now: datetime, ip_address: str | None) -> None:
    """Remember when and from where the session was last used, a few minutes precise.

    A plain UPDATE: two tabs of one session never conflict over it.
    """
    if found.last_seen_at > now - LAST_SEEN_PRECISION and found.ip_address == ip_address:
        return
    sessions = db.metadata.tables[UserSession.__tablename__]
    db.session.execute(
        update(sessions)
        .where(sessions.c.id == found.id)
        .values(last_seen_at=now, ip_address=ip_address)
    )


def end_session(secret: str) -> None:
    """End the session of this cookie secret (logout)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == digest(secret), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_sessions(user: User, *, session_id: int | None = None) -> int:
    """End the user's open sessions (one of them with ``session_id``); returns how many."""
    condition = [UserSession.user_id == user.id, UserSession.ended_at.is_(None)]
    if session_id is not None:
        condition.append(UserSession.id == session_id)
    result = db.session.execute(
        update(UserSession).where(*condition).values(ended_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0) or 0)


def open_sessions(user: User, *, now: datetime, idle_limit: timedelta) -> list[UserSession]:
    """The user's sessions still open, the most recently used first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.last_seen_at >= now - idle_limit,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def _end_sessions_of_deactivated(user: User, **_extra: object) -> None:
    end_sessions(user)


# A deactivated account is signed out everywhere, in the same transaction.
user_deactivated.connect(_end_sessions_of_deactivated, weak=False)


# --- known devices ----------------------------------------------------------------------------


def device_owner(secret: str | None) -> int | None:
    """The user who signed in on the browser with this device cookie, if any."""
    if not secret:
        return None
    return db.session.scalar(
        select(KnownDevice.user_id).where(KnownDevice.token_hash == digest(secret))
    )


def remember_device(user: User, secret: str | None, *, now: datetime) -> str | None:
    """Know this browser for ``user`` from now on; returns a new cookie secret when the
    browser had none (or one of another account), None when its cookie stays."""
    if secret and device_owner(secret) == user.id:
        db.session.execute(
            update(KnownDevice)
            .where(KnownDevice.token_hash == digest(secret))
            .values(last_seen_at=now)
        )
        return None
    fresh = secrets.token_urlsafe(32)
    db.session.add(KnownDevice(user_id=user.id, token_hash=digest(fresh), last_seen_at=now))
    return fresh
