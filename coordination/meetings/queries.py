"""Read-only queries of the meetings pages: what a user may see, in a bounded number of
statements whatever the number of meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from coordination.agencies.models import Forum, ForumMembership
from coordination.auth.policy import forum_visibility_condition, reads_everything
from coordination.db import db
from coordination.meetings.models import AgendaItem, Meeting, MeetingSeries, MeetingStatus
from coordination.users.models import User


def forum_by_code(code: str) -> Forum | None:
    return db.session.scalar(select(Forum).where(Forum.code == code.strip().lower()))


def all_forums() -> list[Forum]:
    return list(db.session.scalars(select(Forum).order_by(Forum.political.desc(), Forum.code)))


def visible_forums(user: User) -> list[Forum]:
    """The forums whose meetings the user may see at some date (their agency's history)."""
    query = select(Forum).order_by(Forum.political.desc(), Forum.code)
    if not reads_everything(user):
        query = query.where(
            Forum.id.in_(
                select(ForumMembership.forum_id).where(ForumMembership.agency_id == user.agency_id)
            )
        )
    return list(db.session.scalars(query))


def visible_meetings(user: User) -> Select:
    """Meetings the user may see (the SQL twin of the ``meetings.view`` rule)."""
    return select(Meeting).where(
        forum_visibility_condition(user, Meeting.forum_id, Meeting.local_date)
    )


def forum_meetings(user: User, forum: Forum, *, upcoming: bool, now: datetime) -> Select:
    """Upcoming (soonest first, including those under way) or past (latest first) meetings."""
    query = visible_meetings(user).where(Meeting.forum_id == forum.id)
    if upcoming:
        return query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at, Meeting.id)
    return query.where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc(), Meeting.id.desc())


def meetings_between(
    user: User, first: date, last: date, forum: Forum | None = None
) -> list[Meeting]:
    """Visible meetings whose Brussels date falls between ``first`` and ``last`` inclusive."""
    query = (
        visible_meetings(user)
        .where(Meeting.local_date >= first, Meeting.local_date <= last)
        .options(selectinload(Meeting.forum))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if forum is not None:
        query = query.where(Meeting.forum_id == forum.id)
    return list(db.session.scalars(query))


def next_meetings(user: User, now: datetime, limit: int = 5) -> list[Meeting]:
    """The user's next visible meetings (cancelled ones included, so the news is seen)."""
    return list(
        db.session.scalars(
            visible_meetings(user)
            .where(Meeting.ends_at >= now, Meeting.status != MeetingStatus.HELD)
            .options(selectinload(Meeting.forum))
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        )
    )


def meeting_for_page(meeting_id: int) -> Meeting | None:
    """A meeting with its forum, series, agenda (and presenters) and documents."""
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.forum),
            selectinload(Meeting.series),
            selectinload(Meeting.agenda_items).selectinload(AgendaItem.presenting_agency),
            selectinload(Meeting.documents),
        )
    )


def list_series() -> list[MeetingSeries]:
    return list(
        db.session.scalars(
            select(MeetingSeries)
            .options(selectinload(MeetingSeries.forum))
            .order_by(MeetingSeries.forum_id, MeetingSeries.starts_on, MeetingSeries.id)
        )
    )


@dataclass(frozen=True)
class PlanningGap:
    """A forum whose planned meetings stop before the planning horizon."""

    forum: Forum
    #: Its last scheduled meeting's date, None when it has none ahead.
    last_planned: date | None


#: The secretariat is told when a forum has no meeting planned this far ahead.
PLANNING_HORIZON = relativedelta(months=3)


def planning_gaps(today: date) -> list[PlanningGap]:
    """The forums with no scheduled meeting more than three months ahead (one statement)."""
    last = (
        select(Meeting.forum_id, func.max(Meeting.local_date).label("last_planned"))
        .where(Meeting.status == MeetingStatus.SCHEDULED, Meeting.local_date >= today)
        .group_by(Meeting.forum_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Forum, last.c.last_planned)
        .outerjoin(last, last.c.forum_id == Forum.id)
        .order_by(Forum.political.desc(), Forum.code)
    )
    gaps = [PlanningGap(forum=row[0], last_planned=row[1]) for row in rows]
    limit = today + PLANNING_HORIZON
    return [gap for gap in gaps if gap.last_planned is None or gap.last_planned < limit]
