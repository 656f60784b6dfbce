"""Operations on agencies, forums and memberships."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from coordination.agencies.models import (
    MAX_REMINDER_DAYS,
    SHORT_NAME_LENGTH,
    Agency,
    AgencyKind,
    Forum,
    ForumMembership,
    MembershipRole,
)
from coordination.audit.services import changes_of, record_event
from coordination.core.errors import ValidationError, check_version
from coordination.core.texts import Texts, checked_texts
from coordination.db import db
from coordination.users.models import User


def get_agency_by_code(code: str) -> Agency | None:
    return db.session.scalar(select(Agency).where(Agency.code == code.strip().upper()))


def get_forum_by_code(code: str) -> Forum | None:
    return db.session.scalar(select(Forum).where(Forum.code == code.strip().lower()))


def list_agencies(*, active_only: bool = False) -> list[Agency]:
    query = select(Agency).options(selectinload(Agency.memberships)).order_by(Agency.code)
    if active_only:
        query = query.where(Agency.active.is_(True))
    return list(db.session.scalars(query))


def list_forums() -> list[Forum]:
    return list(
        db.session.scalars(
            select(Forum)
            .options(selectinload(Forum.memberships).selectinload(ForumMembership.agency))
            .order_by(Forum.political.desc(), Forum.code)
        )
    )


def get_forum_with_members(forum_id: int) -> Forum | None:
    """A forum with its memberships and their agencies loaded in two queries."""
    return db.session.scalar(
        select(Forum)
        .where(Forum.id == forum_id)
        .options(selectinload(Forum.memberships).selectinload(ForumMembership.agency))
    )


def create_agency(
    *,
    code: str,
    kind: AgencyKind,
    name_nl: str,
    name_fr: str,
    name_en: str,
    actor: User | None,
    short_name: Texts | str | None = None,
) -> Agency:
    """Create an agency.

    :raise ValidationError: when the short code is already taken, or a short name is too
        long.
    """
    code = code.strip().upper()
    short_name = _checked_short_name(short_name)
    if get_agency_by_code(code) is not None:
        raise ValidationError(_l("An agency with this short code already exists."))
    agency = Agency(
        code=code, kind=kind, name_nl=name_nl.strip(), name_fr=name_fr.strip(),
        name_en=name_en.strip(), short_name=short_name, active=True,
    )  # fmt: skip
    db.session.add(agency)
    db.session.flush()
    record_event("agency.create", actor=actor, obj=agency, changes={"code": code})
    return agency


def update_agency(
    agency: Agency,
    *,
    kind: AgencyKind,
    name_nl: str,
    name_fr: str,
    name_en: str,
    short_name: Texts | str | None,
    active: bool,
    actor: User | None,
) -> Agency:
    """Change an agency's names, short names, kind or active flag (its code is stable).

    :raise ValidationError: a short name is too long.
    """
    agency.short_name = _checked_short_name(short_name)
    agency.kind = kind
    agency.name_nl = name_nl.strip()
    agency.name_fr = name_fr.strip()
    agency.name_en = name_en.strip()
    agency.active = active
    changes = changes_of(agency)
    if changes:
        record_event("agency.update", actor=actor, obj=agency, changes=changes)
    return agency


def _checked_short_name(short_name: Texts | str | None) -> Texts:
    """Optional (the code stands in for a missing one), each language within the column."""
    return checked_texts(
        short_name, label=_l("Short name"), max_length=SHORT_NAME_LENGTH, required=False
    )


def _overlaps(membership: ForumMembership, since: date, until: date | None) -> bool:
    ends_before = until is not None and until < membership.since
    starts_after = membership.until is not None and since > membership.until
    return not (ends_before or starts_after)


def add_membership(
    forum: Forum,
    agency: Agency,
    *,
    since: date,
    until: date | None = None,
    role: MembershipRole = MembershipRole.MEMBER,
    actor: User | None,
) -> ForumMembership:
    """Seat an agency in a forum for a period.

    :raise ValidationError: the period is reversed or overlaps an existing membership.
    """
    if until is not None and until < since:
        raise ValidationError(_l("The end date must not be before the start date."))
    for existing in forum.memberships:
        if existing.agency_id == agency.id and _overlaps(existing, since, until):
            raise ValidationError(
                _l("This agency already sits in this forum during part of that period.")
            )
    membership = ForumMembership(forum=forum, agency=agency, since=since, until=until, role=role)
    db.session.add(membership)
    db.session.flush()
    record_event(
        "membership.create",
        actor=actor,
        obj=membership,
        changes={"forum": forum.code, "agency": agency.code, "since": since.isoformat()},
    )
    return membership


def end_membership(membership: ForumMembership, *, until: date, actor: User | None) -> None:
    """Record that an agency left a forum on ``until`` (history is kept, never deleted).

    :raise ValidationError: the end date is before the start of the membership.
    """
    if until < membership.since:
        raise ValidationError(_l("The end date must not be before the start date."))
    membership.until = until
    record_event(
        "membership.end", actor=actor, obj=membership, changes={"until": until.isoformat()}
    )


def forums_of_agency(agency: Agency, day: date) -> list[Forum]:
    """The forums the agency sits in on ``day``."""
    return [m.forum for m in agency.memberships if m.covers(day)]


def set_reminder_days(
    forum: Forum, days: int, *, expected_version: int | None, actor: User | None
) -> Forum:
    """How many days ahead the forum's reminders go (0: none).

    :raise ConflictError: the forum changed since the form was shown.
    :raise ValidationError: a number of days out of range.
    """
    check_version(forum, expected_version)
    if not 0 <= days <= MAX_REMINDER_DAYS:
        raise ValidationError(_l("Choose between 0 and %(max)d days.", max=MAX_REMINDER_DAYS))
    forum.reminder_days = days
    changes = changes_of(forum)
    if changes:
        record_event("forum.reminders", actor=actor, obj=forum, changes=changes)
    return forum


def agencies_in_forum_on(forum_id: int, day: date) -> list[Agency]:
    """Agencies that sat in the forum (member or observer) on ``day``, by code."""
    return list(
        db.session.scalars(
            select(Agency)
            .where(
                exists(
                    select(ForumMembership.id).where(
                        ForumMembership.agency_id == Agency.id,
                        ForumMembership.forum_id == forum_id,
                        ForumMembership.covers(day),
                    )
                )
            )
            .order_by(Agency.code)
        )
    )


def set_overseen(authority: Agency, agencies: list[Agency], *, actor: User | None) -> None:
    """Say which agencies fall under ``authority`` (a minister's cabinet): its minister sees
    their measures first.

    :raise ValidationError: the authority named among the agencies it oversees.
    """
    if authority in agencies:
        raise ValidationError(_l("An agency cannot be under its own authority."))
    before = [agency.code for agency in authority.overseen]
    authority.overseen = sorted(agencies, key=lambda agency: agency.code)
    db.session.flush()
    after = [agency.code for agency in authority.overseen]
    if before != after:
        record_event(
            "agency.oversight", actor=actor, obj=authority, changes={"overseen": [before, after]}
        )
