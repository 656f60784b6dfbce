"""Factories for minutes (the lead folds them into tests/factories.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from coordination.agencies.models import Agency
from coordination.core.texts import Texts
from coordination.core.time import today_brussels
from coordination.db import db
from coordination.meetings.models import Meeting
from coordination.minutes.models import (
    Attendance,
    Attendee,
    AttendeeRole,
    Decision,
    FollowUpAction,
    FollowUpStatus,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesStatus,
    Presence,
)
from coordination.users.models import User

BODY = "## Cases and trends\n\nThe NRM received 12 referrals.\n"
APPROVED_AT = datetime(2024, 6, 11, 10, 0, tzinfo=UTC)
PUBLISHED_AT = datetime(2024, 6, 13, 9, 0, tzinfo=UTC)


def minutes(
    meeting_: Meeting,
    *,
    status: MinutesStatus = MinutesStatus.DRAFT,
    body: str = BODY,
    author: User | None = None,
    language: str = "nl",
) -> Minutes:
    """Minutes in the given status with one revision (published if the minutes are), the text
    written in ``language`` only."""
    published = status is MinutesStatus.PUBLISHED
    obj = Minutes(
        meeting=meeting_, status=status, body=Texts(**{language: body}), created_by=author
    )
    if status is MinutesStatus.CIRCULATED:
        obj.circulated_at = APPROVED_AT
        obj.comments_until = today_brussels() + timedelta(days=7)
    elif status is not MinutesStatus.DRAFT:
        obj.approved_by = author
        obj.approved_at = APPROVED_AT
    if published:
        obj.published_by = author
        obj.published_at = PUBLISHED_AT
    obj.revisions.append(
        MinutesRevision(
            number=1,
            language=language,
            body=body,
            author=author,
            published=published,
            published_at=PUBLISHED_AT if published else None,
        )
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def revision(
    minutes_: Minutes,
    body: str,
    *,
    published: bool = False,
    change_note: str | None = None,
    language: str = "nl",
) -> MinutesRevision:
    """Another revision of ``language``; also becomes the minutes' current text in it."""
    obj = MinutesRevision(
        minutes=minutes_,
        number=len(minutes_.revisions) + 1,
        language=language,
        body=body,
        published=published,
        published_at=PUBLISHED_AT if published else None,
        change_note=change_note,
    )
    minutes_.body = replace(minutes_.body, **{language: body})
    db.session.add(obj)
    db.session.flush()
    return obj


def attendance(minutes_: Minutes, agency_: Agency, presence: Presence = Presence.PRESENT):
    obj = Attendance(minutes=minutes_, agency=agency_, presence=presence)
    db.session.add(obj)
    db.session.flush()
    return obj


def attendee(
    minutes_: Minutes,
    agency_: Agency,
    name: str = "Jan Peeters",
    role: AttendeeRole = AttendeeRole.PRESENT,
) -> Attendee:
    obj = Attendee(minutes=minutes_, agency=agency_, name=name, role=role)
    db.session.add(obj)
    db.session.flush()
    return obj


def decision(minutes_: Minutes, text: str = "The bureau adopts the NRM report.") -> Decision:
    obj = Decision(minutes=minutes_, position=len(minutes_.decisions) + 1, text=Texts.coerce(text))
    db.session.add(obj)
    db.session.flush()
    return obj


def follow_up(
    minutes_: Minutes,
    owner: Agency,
    description: str = "Send the shelter capacity figures to the secretariat",
    *,
    due_date: date | None = date(2024, 7, 1),
    status: FollowUpStatus = FollowUpStatus.OPEN,
) -> FollowUpAction:
    obj = FollowUpAction(
        minutes=minutes_,
        owner_agency=owner,
        description=Texts.coerce(description),
        due_date=due_date,
        status=status,
        closed_at=PUBLISHED_AT if status is FollowUpStatus.DONE else None,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def comment(
    minutes_: Minutes, author: User, body: str = "Please add the figures."
) -> MinutesComment:
    obj = MinutesComment(minutes=minutes_, body=body, author=author, agency_id=author.agency_id)
    db.session.add(obj)
    db.session.flush()
    return obj
