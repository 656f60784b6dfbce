"""Account operations."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from coordination.agencies.models import Agency
from coordination.audit.services import changes_of, record_event
from coordination.auth.passwords import hash_password, password_problems
from coordination.auth.services import find_user_by_email, normalise_email
from coordination.auth.setup_links import SETUP_LINK_DAYS, make_setup_token
from coordination.core.errors import ValidationError
from coordination.core.urls import absolute_url
from coordination.db import db
from coordination.notifications.services import enqueue_for_users
from coordination.users.models import Role, User
from coordination.users.signals import user_deactivated


def _check_agency_for_role(role: Role, agency: Agency | None) -> None:
    if role is not Role.SECRETARIAT and agency is None:
        raise ValidationError(_l("Every account except the secretariat's belongs to an agency."))


def create_user(
    *,
    email: str,
    full_name: str,
    role: Role,
    password: str | None,
    agency: Agency | None = None,
    locale: str | None = None,
    actor: User | None = None,
) -> User:
    """Create an account; without a password, nobody can log in until a setup link is used.

    :raise ValidationError: e-mail already used, agency missing for the role, weak password.
    """
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise ValidationError(_l("An account with this e-mail address already exists."))
    _check_agency_for_role(role, agency)
    if password is None:
        # A hash of a random secret nobody knows: the account waits for its setup link.
        password = secrets.token_urlsafe(32)
    else:
        problems = password_problems(password, email=email, full_name=full_name)
        if problems:
            raise ValidationError(problems[0])
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        agency=agency,
        locale=locale or None,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    record_event("user.create", actor=actor, obj=user, changes={"role": user.role.value})
    return user


def update_user(
    user: User,
    *,
    email: str,
    full_name: str,
    role: Role,
    agency: Agency | None,
    locale: str | None,
    actor: User | None,
) -> User:
    """Change an account's details.

    :raise ValidationError: e-mail taken by another account, agency missing for the role.
    """
    email = normalise_email(email)
    other = find_user_by_email(email)
    if other is not None and other.id != user.id:
        raise ValidationError(_l("An account with this e-mail address already exists."))
    _check_agency_for_role(role, agency)
    user.email = email
    user.full_name = full_name.strip()
    user.role = role
    user.agency = agency
    user.locale = locale or None
    changes = changes_of(user)
    if changes:
        record_event("user.update", actor=actor, obj=user, changes=changes)
    return user


def send_password_setup_link(user: User, *, actor: User | None, reason: str) -> None:
    """E-mail the user a one-time link to choose a password (invitation or reset).

    :raise ValidationError: for a deactivated account.
    """
    if not user.active:
        raise ValidationError(_l("A deactivated account cannot receive a password link."))
    link = absolute_url("auth.setup_password", token=make_setup_token(user))
    template = "account_invitation" if reason == "invitation" else "password_reset"
    enqueue_for_users([user], template, reason=f"user.{reason}:{user.id}", link=link,
                      days=SETUP_LINK_DAYS)  # fmt: skip
    record_event(f"user.{reason}_sent", actor=actor, obj=user)


def deactivate_user(user: User, *, actor: User | None) -> None:
    """Deactivate an account: it cannot log in, its sessions and feed stop working."""
    if not user.active:
        return
    user.active = False
    record_event("user.deactivate", actor=actor, obj=user)
    user_deactivated.send(user, actor=actor)


def reactivate_user(user: User, *, actor: User | None) -> None:
    """Let a deactivated account log in again."""
    if user.active:
        return
    user.active = True
    record_event("user.reactivate", actor=actor, obj=user)


def set_preferred_language(user: User, locale: str | None) -> None:
    """Remember the user's interface language (None: follow the browser).

    A plain UPDATE that leaves ``version`` alone: two language changes at once (two tabs, a
    double click) are not conflicting edits of the account; the last one wins.
    """
    users = db.metadata.tables[User.__tablename__]  # the Table itself: no ORM versioning
    db.session.execute(update(users).where(users.c.id == user.id).values(locale=locale or None))
    set_committed_value(user, "locale", locale or None)


def list_users() -> list[User]:
    """All accounts with their agency, for the secretariat's list."""
    return list(
        db.session.scalars(
            select(User).options(selectinload(User.agency)).order_by(User.active.desc(), User.email)
        )
    )
