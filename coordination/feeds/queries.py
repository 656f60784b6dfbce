"""Read-only queries behind the feeds: token lookup, visible forums, fingerprints, rows.

Visibility always comes from the policy's SQL conditions (``forum_visibility_condition`` and
``member_forum_condition``), so that a feed never lists a meeting or a place its owner may not
see on the site.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date

from sqlalchemy import Row, case, exists, func, or_, select, true
from sqlalchemy.orm import contains_eager, selectinload

from coordination.agencies.models import Forum, ForumMembership
from coordination.auth.policy import (
    forum_visibility_condition,
    member_forum_condition,
    reads_everything,
)
from coordination.core.texts import Texts
from coordination.db import db
from coordination.feeds.models import FeedToken
from coordination.feeds.services import hash_token, looks_like_token
from coordination.meetings.models import AgendaItem, Meeting, MeetingStatus
from coordination.users.models import User


def window_start(today: date) -> date:
    """The first Brussels date a feed shows a cancelled meeting: the same day a year ago
    (28 February for 29). Meetings that took place, or will, stay in the feed for good: a
    subscriber's calendar keeps its history, as it would have kept an invitation."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def find_feed_token(token: str) -> FeedToken | None:
    """The token row of an active account, with its user; None for anything else.

    Unknown, revoked and deactivated-account tokens are indistinguishable here on purpose.
    Malformed tokens do not reach the database.
    """
    if not looks_like_token(token):
        return None
    # The feeds' states come in the same statement: a 304 costs this and one aggregate.
    return (
        db.session.execute(
            select(FeedToken)
            .join(FeedToken.user)
            .outerjoin(FeedToken.states)
            .options(contains_eager(FeedToken.user), contains_eager(FeedToken.states))
            .where(FeedToken.token_hash == hash_token(token), User.active.is_(True))
        )
        .unique()
        .scalar_one_or_none()
    )


def _sits_in_forum(user: User):
    """SQL condition on ``Forum``: the user reads this forum, now or in the past."""
    if reads_everything(user):
        return true()
    return exists(
        select(ForumMembership.id).where(
            ForumMembership.agency_id == user.agency_id,
            ForumMembership.forum_id == Forum.id,
        )
    )


def visible_forums(user: User) -> list[Forum]:
    """The forums whose meetings the user may see (at least for some dates)."""
    return list(
        db.session.scalars(
            select(Forum).where(_sits_in_forum(user)).order_by(Forum.political.desc(), Forum.code)
        )
    )


def visible_forum(user: User, code: str) -> Forum | None:
    """The forum with this code if the user may see its meetings, else None."""
    return db.session.scalar(select(Forum).where(Forum.code == code, _sits_in_forum(user)))


def _place_visible(user: User):
    """SQL twin of the ``meetings.view_place`` rule."""
    return or_(
        Meeting.place_confidential.is_(False),
        member_forum_condition(user, Meeting.forum_id, Meeting.local_date),
    )


def _visible_in_window(user: User, start: date, forum_id: int | None) -> list:
    conditions = [
        forum_visibility_condition(user, Meeting.forum_id, Meeting.local_date),
        or_(Meeting.local_date >= start, Meeting.status != MeetingStatus.CANCELLED),
    ]
    if forum_id is not None:
        conditions.append(Meeting.forum_id == forum_id)
    return conditions


def content_fingerprints(user: User, start: date) -> dict[int, str]:
    """A fingerprint per forum of everything a feed of ``user`` shows, in one statement.

    Per visible meeting: its id and ``version`` (bumped by every ORM update), ``updated_at``,
    whether the user may see its place, and its agenda (count, versions, ids, newest item);
    per forum: its ``version`` (names are in the feed). Any change to what the feed would
    contain changes the fingerprint, without loading a single meeting.
    """
    per_meeting = (
        select(
            Meeting.id.label("id"),
            Meeting.forum_id.label("forum_id"),
            Meeting.version.label("version"),
            Meeting.updated_at.label("updated_at"),
            case((_place_visible(user), 1), else_=0).label("place"),
            func.count(AgendaItem.id).label("item_count"),
            func.coalesce(func.sum(AgendaItem.version), 0).label("item_versions"),
            func.coalesce(func.sum(AgendaItem.id), 0).label("item_ids"),
            func.max(AgendaItem.created_at).label("item_created"),
        )
        .outerjoin(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(*_visible_in_window(user, start, None))
        .group_by(Meeting.id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            per_meeting.c.forum_id,
            Forum.version,
            func.count(per_meeting.c.id),
            func.sum(per_meeting.c.id),
            func.sum(per_meeting.c.version),
            func.max(per_meeting.c.updated_at),
            func.sum(per_meeting.c.place),
            func.sum(per_meeting.c.item_count),
            func.sum(per_meeting.c.item_versions),
            func.sum(per_meeting.c.item_ids),
            func.max(per_meeting.c.item_created),
        )
        .join(Forum, Forum.id == per_meeting.c.forum_id)
        .group_by(per_meeting.c.forum_id, Forum.version)
    ).all()
    return {row[0]: hashlib.sha256(repr(tuple(row)).encode()).hexdigest() for row in rows}


def meeting_rows(user: User, start: date, forum_id: int | None = None) -> list[Row]:
    """The meetings of a feed, oldest first, with what the feed needs and nothing more.

    Rows carry ``forum_id``, ``local_date`` and ``place_confidential``, so the policy's
    rules can be asked about them like about a ``Meeting``.
    """
    return list(
        db.session.execute(
            select(
                Meeting.id,
                Meeting.uid,
                Meeting.title,
                Meeting.forum_id,
                Meeting.local_date,
                Meeting.starts_at,
                Meeting.ends_at,
                Meeting.status,
                Meeting.sequence,
                Meeting.place,
                Meeting.place_confidential,
                Meeting.online_url,
                Meeting.cancellation_reason,
                Meeting.created_at,
                Meeting.calendar_changed_at,
            )
            .where(*_visible_in_window(user, start, forum_id))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def agenda_headlines(
    user: User, start: date, forum_id: int | None = None
) -> dict[int, list[Texts]]:
    """Agenda item titles per meeting of a feed, in agenda order; one statement for all."""
    rows = db.session.execute(
        select(AgendaItem.meeting_id, AgendaItem.title)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(*_visible_in_window(user, start, forum_id))
        .order_by(AgendaItem.meeting_id, AgendaItem.position, AgendaItem.id)
    )
    headlines: dict[int, list[Texts]] = defaultdict(list)
    for meeting_id, title in rows:
        headlines[meeting_id].append(title)
    return headlines


def forums_by_id() -> dict[int, Forum]:
    return {forum.id: forum for forum in db.session.scalars(select(Forum))}


def users_with_feed_tokens() -> list[tuple[User, FeedToken]]:
    """Every account with a calendar address, for the secretariat."""
    rows = db.session.execute(
        select(User, FeedToken)
        .join(FeedToken, FeedToken.user_id == User.id)
        .options(selectinload(User.agency))
        .order_by(User.email)
    )
    return [(user, token) for user, token in rows]
