"""Read-only aggregates across domains (no models live here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from coordination.agencies.models import Agency, Forum, ForumMembership
from coordination.db import db
from coordination.users.models import User


@dataclass(frozen=True)
class AdminCounts:
    active_users: int
    inactive_users: int
    active_agencies: int


def admin_counts() -> AdminCounts:
    """Figures for the secretariat's home page, in one statement."""
    row = db.session.execute(
        select(
            select(func.count(User.id)).where(User.active.is_(True)).scalar_subquery(),
            select(func.count(User.id)).where(User.active.is_(False)).scalar_subquery(),
            select(func.count(Agency.id)).where(Agency.active.is_(True)).scalar_subquery(),
        )
    ).one()
    return AdminCounts(active_users=row[0], inactive_users=row[1], active_agencies=row[2])


def forums_of_agency_on(agency_id: int, day: date) -> list[tuple[Forum, ForumMembership]]:
    """The forums an agency sits in on ``day``, with the membership."""
    rows = db.session.execute(
        select(Forum, ForumMembership)
        .join(ForumMembership, ForumMembership.forum_id == Forum.id)
        .where(
            ForumMembership.agency_id == agency_id,
            ForumMembership.since <= day,
            (ForumMembership.until.is_(None)) | (ForumMembership.until >= day),
        )
        .order_by(Forum.political.desc(), Forum.code)
    ).all()
    return [(forum, membership) for forum, membership in rows]
