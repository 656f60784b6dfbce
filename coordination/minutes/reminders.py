"""Reminders to the owners of follow-up actions that fall due, as many days ahead as the
forum's reminder days (the daily ``flask minutes remind``).

Only actions of published minutes (before publication nobody outside the secretariat knows
they exist), still open or in progress, and once per action. The e-mail names the meeting and
the due date, never the action's text: like the minutes' own e-mails, it carries no content.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager

from coordination.agencies.models import MAX_REMINDER_DAYS, Forum
from coordination.core.time import to_brussels
from coordination.core.urls import absolute_url
from coordination.db import db
from coordination.meetings.models import Meeting
from coordination.minutes.models import FollowUpAction, FollowUpStatus, Minutes, MinutesStatus
from coordination.notifications.services import enqueue_for_users
from coordination.users.models import User

OPEN = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)


def actions_to_remind(now: datetime) -> list[FollowUpAction]:
    """Open actions of published minutes due from today on, within their forum's reminder
    days, whose owners were not reminded yet."""
    today = to_brussels(now).date()
    candidates = db.session.scalars(
        select(FollowUpAction)
        .join(FollowUpAction.minutes)
        .join(Minutes.meeting)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(
            FollowUpAction.status.in_(OPEN),
            FollowUpAction.due_reminded_at.is_(None),
            FollowUpAction.due_date >= today,
            FollowUpAction.due_date <= today + timedelta(days=MAX_REMINDER_DAYS),
            Minutes.status == MinutesStatus.PUBLISHED,
            Forum.reminder_days > 0,
        )
        .options(
            contains_eager(FollowUpAction.minutes)
            .contains_eager(Minutes.meeting)
            .contains_eager(Meeting.forum)
        )
        .order_by(FollowUpAction.due_date, FollowUpAction.id)
    )
    return [
        action
        for action in candidates
        if action.due_date is not None
        and (action.due_date - today).days <= action.minutes.meeting.forum.reminder_days
    ]


def send_follow_up_reminders(now: datetime) -> int:
    """E-mail the active users of each owner agency about its actions falling due; returns
    how many e-mails were queued."""
    sent = 0
    for action in actions_to_remind(now):
        owners = list(
            db.session.scalars(
                select(User).where(User.agency_id == action.owner_agency_id, User.active.is_(True))
            )
        )
        meeting = action.minutes.meeting
        sent += len(
            enqueue_for_users(
                owners,
                "follow_up_due",
                reason=f"follow_up.due:{action.id}",
                action=action,
                meeting=meeting,
                forum=meeting.forum,
                link=absolute_url("minutes.show", minutes_id=action.minutes_id),
            )
        )
        # Bookkeeping: no version bump under the feet of someone marking the action done.
        db.session.execute(
            update(FollowUpAction).where(FollowUpAction.id == action.id).values(due_reminded_at=now)
        )
    return sent
