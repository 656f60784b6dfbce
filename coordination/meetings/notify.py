"""Who is told about a meeting, and the e-mails they get (through the persistent outbox).

Recipients are the active accounts of the agencies that sit in the forum (members and
observers) on the meeting's date. E-mails carry the date, time, title and a link; never a
confidential place, never an online-meeting link, never an agenda item's description.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.agencies.models import Agency, ForumMembership
from coordination.core.urls import absolute_url
from coordination.db import db
from coordination.meetings import invitations
from coordination.meetings.links import meeting_url
from coordination.meetings.models import Meeting, MeetingSeries
from coordination.notifications.models import OutboxMessage
from coordination.notifications.services import enqueue_for_users
from coordination.users.models import User


def forum_recipients(forum_id: int, first_day: date, last_day: date | None = None) -> list[User]:
    """Active users whose agency sat in the forum on some day from ``first_day`` to ``last_day``.

    With only ``first_day``: the users of the agencies that sat in the forum on that day.
    """
    last_day = last_day or first_day
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.agency_id.in_(
                    select(ForumMembership.agency_id).where(
                        ForumMembership.forum_id == forum_id,
                        ForumMembership.overlaps(first_day, last_day),
                    )
                ),
            )
            .options(selectinload(User.agency).selectinload(Agency.memberships))
            .order_by(User.email)
        )
    )


def notify_meeting(
    meeting: Meeting,
    template: str,
    *,
    reason: str,
    invitation_method: str | None = None,
    html: Callable[[User], str] | None = None,
    **context: object,
) -> list[OutboxMessage]:
    """E-mail every member of the meeting's forum (on the meeting's date) about it, with an
    invitation for their calendar (:mod:`.invitations`) when ``invitation_method`` is given,
    and ``html(person)`` as the HTML of each e-mail if given."""
    db.session.flush()
    users = forum_recipients(meeting.forum_id, meeting.local_date)
    calendar = None
    if invitation_method is not None:
        calendar = partial(invitations.invitation, meeting, method=invitation_method)
    return enqueue_for_users(
        users,
        template,
        reason=f"{reason}:{meeting.id}",
        calendar=calendar,
        html=html,
        meeting=meeting,
        link=meeting_url(meeting, absolute=True),
        **context,
    )


def _sat_in(agency: Agency, meeting: Meeting) -> bool:
    """Did the agency sit in the meeting's forum on its date (memberships already loaded)?"""
    return any(
        membership.forum_id == meeting.forum_id and membership.covers(meeting.local_date)
        for membership in agency.memberships
    )


def notify_series(
    series: MeetingSeries,
    template: str,
    *,
    reason: str,
    meetings: Iterable[Meeting],
    cancelled: Iterable[Meeting] = (),
) -> list[OutboxMessage]:
    """One e-mail per member about a whole series, listing only the meetings each may see.

    An agency that joins the forum later is told only about the meetings from its first day.
    """
    db.session.flush()
    meetings = sorted(meetings, key=lambda m: m.starts_at)
    cancelled = sorted(cancelled, key=lambda m: m.starts_at)
    every = meetings + cancelled
    if not every:
        return []
    days = [m.local_date for m in every]
    users = forum_recipients(series.forum_id, min(days), max(days))
    by_agency: dict[int, list[User]] = defaultdict(list)
    for user in users:
        if user.agency_id is not None:
            by_agency[user.agency_id].append(user)
    messages: list[OutboxMessage] = []
    for agency_users in by_agency.values():
        agency = agency_users[0].agency
        if agency is None:
            continue
        visible = [m for m in meetings if _sat_in(agency, m)]
        visible_cancelled = [m for m in cancelled if _sat_in(agency, m)]
        if not visible and not visible_cancelled:
            continue
        messages += enqueue_for_users(
            agency_users,
            template,
            reason=f"{reason}:{series.id}",
            series=series,
            meetings=[(m, meeting_url(m, absolute=True)) for m in visible],
            cancelled=[(m, meeting_url(m, absolute=True)) for m in visible_cancelled],
            link=absolute_url("meetings.index", forum=series.forum.code),
        )
    return messages
