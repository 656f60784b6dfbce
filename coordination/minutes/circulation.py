"""Circulating draft minutes to the forum's members, their comments per section, and approval at
a later meeting or by written procedure (see :mod:`coordination.minutes.workflow`)."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import exists, func, select
from sqlalchemy.orm import contains_eager

from coordination.agencies.models import ForumMembership, MembershipRole
from coordination.audit.services import record_event
from coordination.auth.policy import is_secretariat, member_forum_condition
from coordination.core.errors import NotAllowed, ValidationError
from coordination.core.time import brussels_to_utc, to_brussels
from coordination.core.urls import absolute_url
from coordination.db import db, utcnow
from coordination.meetings.models import Meeting, MeetingStatus
from coordination.minutes.models import Minutes, MinutesComment, MinutesStatus
from coordination.minutes.services import check_transition_to, enter_status
from coordination.minutes.standing_items import put_approval_on_next_agenda
from coordination.notifications.services import enqueue_for_users
from coordination.users.models import User

COMMENT_MAX = 4000
RESOLUTION_MAX = 1000
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def sections_of(text: str) -> list[str]:
    """The headings of a Markdown text, in order: what a comment may point to."""
    return list(dict.fromkeys(match.group(1) for match in _HEADING.finditer(text or "")))


def circulated_for_comment(user: User, *, limit: int = 20) -> list[Minutes]:
    """The draft minutes circulated to ``user``'s agency as a member of their forum on the
    meeting date, earliest deadline first (one statement). Empty for the secretariat, which
    answers the comments: it finds every draft in the list of minutes."""
    if is_secretariat(user) or user.agency_id is None:
        return []
    return list(
        db.session.scalars(
            select(Minutes)
            .join(Minutes.meeting)
            .options(contains_eager(Minutes.meeting).joinedload(Meeting.forum))
            .where(
                Minutes.status == MinutesStatus.CIRCULATED,
                member_forum_condition(user, Meeting.forum_id, Meeting.local_date),
            )
            .order_by(Minutes.comments_until, Meeting.starts_at, Minutes.id)
            .limit(limit)
        )
    )


def member_representatives(minutes: Minutes) -> list[User]:
    """The active users of the agencies that sat in the forum as members on the meeting date:
    who reads and comments on the circulated draft."""
    meeting = minutes.meeting
    member = exists(
        select(ForumMembership.id).where(
            ForumMembership.agency_id == User.agency_id,
            ForumMembership.forum_id == meeting.forum_id,
            ForumMembership.role == MembershipRole.MEMBER,
            ForumMembership.covers(meeting.local_date),
        )
    )
    return list(
        db.session.scalars(select(User).where(User.active.is_(True), member).order_by(User.id))
    )


def circulate_minutes(
    minutes: Minutes,
    *,
    comments_until: date | None,
    actor: User | None,
    at: datetime | None = None,
    expected_version: int | None = None,
    notify: bool = True,
) -> int:
    """Send the draft to the forum's member representatives for comments until a deadline,
    and put its approval first on the agenda of the forum's next meeting.

    Returns the number of e-mails queued (they leave only if the transaction commits).

    :raise NotAllowed: unless the minutes are a draft with a text.
    :raise ValidationError: without a deadline, or one in the past.
    :raise ConflictError: when the minutes changed since the page was loaded.
    """
    moment = at or utcnow()
    name = check_transition_to(minutes, MinutesStatus.CIRCULATED, expected_version=expected_version)
    if not minutes.body.has_official():
        raise NotAllowed(_l("Write the text of the minutes before circulating them."))
    if comments_until is None:
        raise ValidationError(_l("Give the date until which the members can comment."))
    if comments_until < to_brussels(moment).date():
        raise ValidationError(_l("The date for comments cannot be in the past."))
    minutes.circulated_at = moment
    minutes.comments_until = comments_until
    put_approval_on_next_agenda(minutes, actor, moment)
    enter_status(
        minutes,
        MinutesStatus.CIRCULATED,
        transition=name,
        actor=actor,
        comments_until=comments_until.isoformat(),
    )
    if not notify:
        return 0
    meeting = minutes.meeting
    return len(
        enqueue_for_users(
            member_representatives(minutes),
            "minutes_circulated",
            reason=f"minutes.circulate:{minutes.id}:{moment.isoformat()}",
            meeting=meeting,
            forum=meeting.forum,
            until=comments_until,
            link=absolute_url("minutes.show", minutes_id=minutes.id),
        )
    )


def recall_minutes(
    minutes: Minutes, *, actor: User | None, expected_version: int | None = None
) -> None:
    """Take circulated minutes back: a private draft again (the comments stay).

    :raise NotAllowed: unless the minutes are circulated.
    """
    name = check_transition_to(minutes, MinutesStatus.DRAFT, expected_version=expected_version)
    enter_status(minutes, MinutesStatus.DRAFT, transition=name, actor=actor)


def approving_meetings(minutes: Minutes, *, now: datetime | None = None) -> list[Meeting]:
    """The forum's meetings that may approve ``minutes``: after theirs, started, not cancelled;
    the one whose agenda carries the approval first."""
    meetings = list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.forum_id == minutes.meeting.forum_id,
                Meeting.starts_at > minutes.meeting.starts_at,
                Meeting.starts_at <= (now or utcnow()),
                Meeting.status != MeetingStatus.CANCELLED,
            )
            .order_by(Meeting.starts_at.desc())
            .limit(10)
        )
    )
    carrying = minutes.approval_item.meeting_id if minutes.approval_item else None
    return sorted(meetings, key=lambda meeting: meeting.id != carrying)


def check_approval(
    minutes: Minutes,
    *,
    at_meeting: Meeting | None,
    written_on: date | None,
    now: datetime | None = None,
) -> None:
    """Approval happens at a later meeting of the forum, or by written procedure once the
    members had until the deadline to comment; every comment is resolved first.

    :raise ValidationError: neither or both ways given; a meeting that cannot approve; a
        written procedure closed before the deadline or in the future.
    :raise NotAllowed: comments are still open.
    """
    if (at_meeting is None) == (written_on is None):
        raise ValidationError(
            _l(
                "Choose the meeting that approved the minutes, "
                "or the date of the written procedure."
            )
        )
    if at_meeting is not None and at_meeting not in approving_meetings(minutes, now=now):
        raise ValidationError(
            _l("Minutes are approved at a later meeting of the same forum that has taken place.")
        )
    today = to_brussels(now or utcnow()).date()
    if written_on is not None and not ((minutes.comments_until or today) <= written_on <= today):
        raise ValidationError(
            _l("A written procedure closes after the date for comments and not in the future.")
        )
    still_open = db.session.scalar(
        select(func.count(MinutesComment.id)).where(
            MinutesComment.minutes_id == minutes.id, MinutesComment.resolved_at.is_(None)
        )
    )
    if still_open:
        raise NotAllowed(
            ngettext(
                "%(num)d comment is still open: resolve it before approving the minutes.",
                "%(num)d comments are still open: resolve them before approving the minutes.",
                still_open,
            )
        )


def approve_minutes(
    minutes: Minutes,
    *,
    actor: User | None,
    at_meeting: Meeting | None = None,
    written_on: date | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """Record the approval of circulated minutes, at ``at_meeting`` or by a written procedure
    closed on ``written_on`` (see :func:`check_approval`); the text is frozen.

    :raise NotAllowed: unless the minutes are circulated with a text and their comments
        resolved.
    :raise ValidationError: see :func:`check_approval`.
    :raise ConflictError: when the minutes changed since the page was loaded.
    """
    moment = at or utcnow()
    name = check_transition_to(minutes, MinutesStatus.APPROVED, expected_version=expected_version)
    if not minutes.body.has_official():
        raise NotAllowed(_l("Write the text of the minutes before approving them."))
    check_approval(minutes, at_meeting=at_meeting, written_on=written_on, now=moment)
    minutes.approved_by = actor
    minutes.approved_at_meeting = at_meeting
    minutes.approved_at = (
        at_meeting.starts_at if at_meeting else brussels_to_utc(written_on or moment.date(), time())
    )
    enter_status(
        minutes,
        MinutesStatus.APPROVED,
        transition=name,
        actor=actor,
        at_meeting=at_meeting.id if at_meeting else None,
        written_procedure=written_on.isoformat() if written_on else None,
    )


# --- comments --------------------------------------------------------------------------------


def add_comment(
    minutes: Minutes,
    *,
    section: str,
    body: str,
    author: User,
    at: datetime | None = None,
) -> MinutesComment:
    """A member representative's comment on a section of the circulated draft.

    :raise NotAllowed: unless the minutes are circulated and the deadline has not passed.
    :raise ValidationError: an empty or too long comment, or a section the text does not have.
    """
    moment = at or utcnow()
    if minutes.status is not MinutesStatus.CIRCULATED:
        raise NotAllowed(_l("Comments are taken while the draft is circulated."))
    if minutes.comments_until is None or to_brussels(moment).date() > minutes.comments_until:
        raise NotAllowed(_l("The date for comments has passed."))
    text = (body or "").strip()
    if not text:
        raise ValidationError(_l("Write your comment."))
    if len(text) > COMMENT_MAX:
        raise ValidationError(_l("The comment is too long (at most 4000 characters)."))
    section = (section or "").strip()
    if section and section not in _all_sections(minutes):
        raise ValidationError(_l("Choose a section of the text."))
    comment = MinutesComment(
        minutes=minutes,
        section=section,
        body=text,
        author=author,
        agency_id=author.agency_id,
        created_at=moment,
    )
    db.session.add(comment)
    db.session.flush()
    record_event("minutes.comment", actor=author, obj=minutes, changes={"comment_id": comment.id})
    return comment


def _all_sections(minutes: Minutes) -> set[str]:
    return {
        heading
        for language in ("nl", "fr", "en")
        for heading in sections_of(minutes.body.get(language) or "")
    }


def resolve_comment(
    comment: MinutesComment, *, resolution: str, actor: User | None, at: datetime | None = None
) -> None:
    """The secretariat says what it did about a comment; the comment is closed.

    :raise NotAllowed: once the minutes are approved, or for a comment already resolved.
    :raise ValidationError: without a word on what was done, or too long.
    """
    if comment.minutes.status not in (MinutesStatus.DRAFT, MinutesStatus.CIRCULATED):
        raise NotAllowed(_l("The minutes are approved: their comments are closed."))
    if comment.is_resolved:
        raise NotAllowed(_l("This comment is already resolved."))
    text = (resolution or "").strip()
    if not text:
        raise ValidationError(_l("Say what was done about the comment."))
    if len(text) > RESOLUTION_MAX:
        raise ValidationError(_l("The answer is too long (at most 1000 characters)."))
    comment.resolution = text
    comment.resolved_at = at or utcnow()
    comment.resolved_by = actor
    db.session.flush()
    record_event(
        "minutes.comment_resolve",
        actor=actor,
        obj=comment.minutes,
        changes={"comment_id": comment.id, "resolution": text},
    )
