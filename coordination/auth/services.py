"""Authentication operations (no request access: callers pass what they know)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from coordination.audit.services import record_event
from coordination.auth.passwords import hash_password, password_problems, verify_password
from coordination.auth.sessions import end_sessions
from coordination.core.errors import ValidationError
from coordination.core.time import utcnow
from coordination.db import db
from coordination.users.models import User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str, *, ip_address: str | None = None) -> User | None:
    """The active user with these credentials, or None; records the attempt in the audit log.

    The caller cannot tell an unknown e-mail from a wrong password or a deactivated account:
    the login page shows one generic message for all three.
    """
    user = find_user_by_email(email)
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None or not password_ok or not user.active:
        reason = "unknown" if user is None else ("inactive" if password_ok else "password")
        record_event(
            "auth.login_failed",
            actor=user,
            actor_label=normalise_email(email)[:255] or "anonymous",
            changes={"reason": reason},
            ip_address=ip_address,
        )
        return None
    record_login_time(user)
    record_event("auth.login", actor=user, obj=user, ip_address=ip_address)
    return user


def record_login_time(user: User) -> None:
    """Set ``last_login_at`` with a plain UPDATE that leaves the row's ``version`` alone.

    ``version`` guards edits of the account against concurrent edits. A login is not such an
    edit: through the ORM it would bump the version, so that two logins of the same account at
    the same moment (two tabs, a shared team account, a reconnecting client) failed with a
    StaleDataError (a 500) in all but the first. The last login wins instead.
    """
    now = utcnow()
    users = db.metadata.tables[User.__tablename__]  # the Table itself: no ORM versioning
    db.session.execute(
        update(users)
        .where(users.c.id == user.id)
        .values(last_login_at=now)
        # Bookkeeping: no cached result depends on it (core.versions).
        .execution_options(bookkeeping=True)
    )
    # Keep the loaded object in step without marking it dirty (which would flush a versioned
    # UPDATE after all).
    set_committed_value(user, "last_login_at", now)


def change_password(user: User, current: str, new: str, *, actor: User | None = None) -> None:
    """Set a new password after checking the current one; ends the user's other sessions.

    :raise ValidationError: wrong current password or a new password that breaks the rules.
    """
    if not verify_password(user.password_hash, current):
        raise ValidationError(_l("The current password is not correct."))
    set_password(user, new, actor=actor or user)


def set_password(user: User, new: str, *, actor: User | None) -> None:
    """Set a password that satisfies the rules; ends every session of the user (the caller
    opens a new one for the browser that did it).

    :raise ValidationError: when the password breaks a rule (the first reason is given).
    """
    problems = password_problems(new, email=user.email, full_name=user.full_name)
    if problems:
        raise ValidationError(problems[0])
    user.password_hash = hash_password(new)
    end_sessions(user)
    record_event("user.password_changed", actor=actor, obj=user)
