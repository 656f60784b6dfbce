"""Password hashing and the rules a new password must satisfy."""

from __future__ import annotations

from functools import cache
from importlib import resources

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

#: A hash of nothing in particular, checked when the e-mail is unknown so that a failed login
#: takes as long whether or not the account exists.
_TIMING_DUMMY_HASH = generate_password_hash("not-a-real-password-just-for-timing")


def hash_password(password: str) -> str:
    """A salted hash with the configured method (scrypt, Werkzeug's current default).

    Only the test configuration lowers the cost, so that hundreds of test accounts are quick.
    """
    method = "scrypt"
    if has_app_context():
        method = current_app.config.get("PASSWORD_HASH_METHOD", method)
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; constant work whether or not the account exists."""
    if not password_hash:
        check_password_hash(_TIMING_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)


@cache
def common_passwords() -> frozenset[str]:
    """Well-known passwords (from public breach lists), refused whatever their length."""
    text = resources.files("coordination.auth").joinpath("data/common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problems(password: str, *, email: str = "", full_name: str = "") -> list[object]:
    """Reasons why a new password is refused (lazy-translated); empty when it is acceptable."""
    problems: list[object] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(_l("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(_l("Use at most %(count)d characters.", count=MAX_PASSWORD_LENGTH))
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) <= 3:
        problems.append(_l("This password is too common or too easy to guess."))
    local_part = email.split("@", 1)[0].lower()
    name_parts = [part for part in full_name.lower().split() if len(part) >= 4]
    if (len(local_part) >= 4 and local_part in lowered) or any(p in lowered for p in name_parts):
        problems.append(_l("Do not use your name or e-mail address in your password."))
    return problems
