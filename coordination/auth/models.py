"""What signing in leaves on the server: sessions, known devices, throttles, second factors.

Secrets that travel in cookies (a session, a device) are stored as their SHA-256 only: a copy
of the database opens nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.db import Model, intpk, str255, utcnow
from coordination.users.models import User


class CookieSecretMixin:
    """A user's browser, recognised by the secret it keeps in a cookie (stored as its SHA-256
    only, like every secret that travels in cookies)."""

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the secret kept in the cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the browser last came back with its cookie; a session's is noted a few minutes
    #: precise (a write per request would cost every page).
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserSession(CookieSecretMixin, Model):
    """One signed-in browser: ended by logout, a password change, deactivation or the
    secretariat, whatever copies of its cookie exist."""

    __tablename__ = "user_sessions"

    #: The client address when last seen (behind PROXY_FIX_X_FOR proxies: the real client).
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str255 | None]
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class KnownDevice(CookieSecretMixin, Model):
    """A browser where the user signed in before (a long-lived cookie): an attacker guessing
    the password elsewhere never slows the owner down there."""

    __tablename__ = "known_devices"


class LoginThrottle(Model):
    """Failed attempts counted under one key (an address at an IP, an IP, a device, a second
    factor): past a few free attempts each failure doubles the wait before the next one."""

    __tablename__ = "login_throttles"

    #: e.g. "account-ip:<e-mail>:<ip>", "ip:<ip>", "device:<user id>:<device id>".
    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    blocked_until: Mapped[datetime | None]


class SecondFactor(Model):
    """A user's authenticator app (TOTP, RFC 6238): required for the secretariat, who publish
    to every agency; available to everyone."""

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: The shared secret (base32). The app needs it in clear to check codes.
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None while the user has not yet typed a first code from the app.
    confirmed_at: Mapped[datetime | None]
    #: The 30-second step of the last code accepted: a code works once.
    last_used_step: Mapped[int | None]

    user: Mapped[User] = relationship()


class RecoveryCode(Model):
    """A one-time code for the day the phone is lost (stored as its SHA-256: the codes are
    random, long enough that a fast hash is safe)."""

    __tablename__ = "recovery_codes"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None]
