"""One-time links to set a password (invitations and resets sent by the secretariat).

The link is signed with the application's secret key and carries the user id and a digest
of the current password hash: once the password is set, the hash changes and the link stops
working (single use). Links expire after ``SETUP_LINK_DAYS`` days.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from coordination.db import db
from coordination.users.models import User

SETUP_LINK_DAYS = 7
_SALT = "coordination.account-setup"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _password_digest(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def make_setup_token(user: User) -> str:
    """A signed token that lets ``user`` choose a password once."""
    return str(_serializer().dumps({"user": user.id, "password": _password_digest(user)}))


def user_for_setup_token(token: str) -> User | None:
    """The active user the token was made for, or None if invalid, expired or already used."""
    try:
        payload = _serializer().loads(token, max_age=SETUP_LINK_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
        return None
    user = db.session.get(User, payload["user"])
    if user is None or not user.active:
        return None
    if not secrets.compare_digest(str(payload.get("password", "")), _password_digest(user)):
        return None
    return user
