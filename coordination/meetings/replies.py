"""Who comes to a meeting: each invited person's answer, and reminders to those who have not
answered.

Invited are the active accounts of the agencies that sit in the forum on the meeting's date
(:func:`.notify.forum_recipients`, the same people as the e-mails). A person answers
"attending", "not attending" or "sending a substitute" (a name, and an agency that sits in the
forum that day), from the meeting page or from the signed link of the invitation, which needs
no login and works until the meeting ends. Answering again replaces the answer: one per person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from coordination.agencies.models import MAX_REMINDER_DAYS, Agency, Forum
from coordination.agencies.services import agencies_in_forum_on
from coordination.audit.services import record_event
from coordination.core.errors import NotAllowed, ValidationError
from coordination.core.time import to_brussels
from coordination.core.urls import absolute_url
from coordination.db import db
from coordination.meetings.models import Meeting, MeetingReply, MeetingStatus, ReplyAnswer
from coordination.meetings.notify import forum_recipients
from coordination.notifications.models import OutboxMessage
from coordination.notifications.services import enqueue_for_users
from coordination.users.models import User

_SALT = "coordination.meeting-reply"
SUBSTITUTE_NAME_MAX = 200


# --- the signed link ---------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def reply_token(meeting: Meeting, user: User) -> str:
    """The token of ``user``'s reply link for ``meeting`` (it names both, signed)."""
    return str(_serializer().dumps([meeting.id, user.id]))


def reply_link(meeting: Meeting, user: User) -> str:
    """The absolute address of ``user``'s reply page for ``meeting`` (for an e-mail)."""
    return absolute_url("meetings.reply_by_link", token=reply_token(meeting, user))


def invitation_of_token(token: str) -> tuple[Meeting, User] | None:
    """The meeting and the active person a reply token was made for, or None (a forged or
    mangled token, a deleted meeting, a deactivated account). Whether the person may still
    answer is the policy's and :func:`check_open` 's question."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(payload, list) and len(payload) == 2):
        return None
    meeting_id, user_id = payload
    if not (isinstance(meeting_id, int) and isinstance(user_id, int)):
        return None
    meeting, user = db.session.get(Meeting, meeting_id), db.session.get(User, user_id)
    if meeting is None or user is None or not user.active:
        return None
    return meeting, user


# --- answering --------------------------------------------------------------------------------


def replies_open(meeting: Meeting, now: datetime) -> bool:
    """Answers are taken until the meeting ends, unless it is cancelled."""
    return meeting.status is MeetingStatus.SCHEDULED and meeting.ends_at > now


def check_open(meeting: Meeting, now: datetime) -> None:
    """:raise NotAllowed: the meeting is over or cancelled: no answer is taken any more."""
    if meeting.status is MeetingStatus.CANCELLED:
        raise NotAllowed(_l("This meeting is cancelled: no answer is needed."))
    if not replies_open(meeting, now):
        raise NotAllowed(_l("This meeting has taken place: answers are closed."))


def reply_of(meeting: Meeting, user: User) -> MeetingReply | None:
    return db.session.scalar(
        select(MeetingReply).where(
            MeetingReply.meeting_id == meeting.id, MeetingReply.user_id == user.id
        )
    )


def substitute_agencies(meeting: Meeting) -> list[Agency]:
    """The agencies a substitute may come from: those sitting in the forum that day."""
    return agencies_in_forum_on(meeting.forum_id, meeting.local_date)


def answer_invitation(
    meeting: Meeting,
    user: User,
    *,
    answer: ReplyAnswer | str,
    now: datetime,
    substitute_name: str | None = None,
    substitute_agency: Agency | None = None,
) -> MeetingReply:
    """Record ``user``'s answer to the meeting's invitation, replacing an earlier one.

    A substitute comes from the person's own agency unless another one sitting in the forum
    that day is named.

    :raise NotAllowed: the meeting is over or cancelled.
    :raise ValidationError: a substitute without a name, or from an agency not in the forum.
    """
    check_open(meeting, now)
    answer = ReplyAnswer(answer)
    name, agency = None, None
    if answer is ReplyAnswer.SUBSTITUTE:
        name = (substitute_name or "").strip()
        if not name:
            raise ValidationError(_l("Give the name of the person who comes in your place."))
        if len(name) > SUBSTITUTE_NAME_MAX:
            raise ValidationError(_l("The name is too long (at most 200 characters)."))
        agency = substitute_agency or user.agency
        if agency is None or agency not in substitute_agencies(meeting):
            raise ValidationError(_l("This agency does not sit in the forum on that day."))
    reply = reply_of(meeting, user)
    if reply is None:
        reply = MeetingReply(meeting=meeting, user=user)
        db.session.add(reply)
    reply.answer = answer
    reply.substitute_name = name
    reply.substitute_agency = agency
    reply.answered_at = now
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same person answered at the same moment elsewhere
        raise NotAllowed(_l("Your answer was just recorded from elsewhere: look again.")) from None
    record_event(
        "meeting.reply",
        actor=user,
        obj=meeting,
        changes={"answer": answer.value, "substitute": name, "agency": agency and agency.code},
    )
    return reply


# --- the secretariat's view -------------------------------------------------------------------


@dataclass
class Invitee:
    person: User
    reply: MeetingReply | None


@dataclass
class AgencyAnswers:
    """The invited people of one agency and what each answered."""

    agency: Agency
    invitees: list[Invitee] = field(default_factory=list)

    @property
    def coming(self) -> list[str]:
        """Who comes for the agency: those attending and the substitutes sent."""
        names = []
        for invitee in self.invitees:
            reply = invitee.reply
            if reply is None:
                continue
            if reply.answer is ReplyAnswer.ATTENDING:
                names.append(invitee.person.full_name)
            elif reply.answer is ReplyAnswer.SUBSTITUTE and reply.substitute_name:
                names.append(reply.substitute_name)
        return names

    @property
    def all_declined(self) -> bool:
        """Everyone invited answered, and nobody comes (no substitute either)."""
        return bool(self.invitees) and all(
            invitee.reply is not None and invitee.reply.answer is ReplyAnswer.NOT_ATTENDING
            for invitee in self.invitees
        )


@dataclass
class ReplyOverview:
    agencies: list[AgencyAnswers]

    @property
    def unanswered(self) -> list[User]:
        return [i.person for a in self.agencies for i in a.invitees if i.reply is None]

    def count(self, answer: ReplyAnswer) -> int:
        return sum(
            1
            for agency in self.agencies
            for invitee in agency.invitees
            if invitee.reply is not None and invitee.reply.answer is answer
        )


def invitees(meeting: Meeting) -> list[User]:
    """The people invited to ``meeting``: those the meeting's e-mails go to."""
    return forum_recipients(meeting.forum_id, meeting.local_date)


def reply_overview(meeting: Meeting) -> ReplyOverview:
    """Per agency sitting in the forum that day, its invited people and their answers (an
    agency without an account is listed too: nobody can answer for it)."""
    replies = {
        reply.user_id: reply
        for reply in db.session.scalars(
            select(MeetingReply).where(MeetingReply.meeting_id == meeting.id)
        )
    }
    by_agency = {agency.id: AgencyAnswers(agency) for agency in substitute_agencies(meeting)}
    for person in invitees(meeting):
        if person.agency_id in by_agency:
            by_agency[person.agency_id].invitees.append(Invitee(person, replies.get(person.id)))
    return ReplyOverview(list(by_agency.values()))


def remind_unanswered(
    meeting: Meeting, *, actor: User | None, now: datetime
) -> Sequence[OutboxMessage]:
    """E-mail those who have not answered (through the outbox), each with their reply link.

    :raise NotAllowed: the meeting is over or cancelled; everybody has answered.
    """
    check_open(meeting, now)
    people = reply_overview(meeting).unanswered
    if not people:
        raise NotAllowed(_l("Everybody has answered: nobody to remind."))
    messages = _send_reminders(meeting, people, now)
    record_event("meeting.remind", actor=actor, obj=meeting, changes={"reminded": len(messages)})
    return messages


def _send_reminders(meeting: Meeting, people: list[User], now: datetime) -> list[OutboxMessage]:
    messages = enqueue_for_users(
        people, "meeting_reply_reminder", reason=f"meeting.remind:{meeting.id}", meeting=meeting
    )
    # A statement of its own, not the ORM's: the moment is bookkeeping, and must not bump the
    # meeting's version under the feet of a secretariat member editing it.
    db.session.execute(
        update(Meeting).where(Meeting.id == meeting.id).values(answers_reminded_at=now)
    )
    return messages


def meetings_to_remind(now: datetime) -> list[Meeting]:
    """Scheduled meetings within their forum's reminder days that nobody reminded of yet."""
    today = to_brussels(now).date()
    return list(
        db.session.scalars(
            select(Meeting)
            .join(Forum, Forum.id == Meeting.forum_id)
            .where(
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > now,
                Meeting.answers_reminded_at.is_(None),
                Forum.reminder_days > 0,
                # local_date - today <= reminder_days, written portably for both databases.
                Meeting.local_date <= today + timedelta(days=MAX_REMINDER_DAYS),
            )
            .options(contains_eager(Meeting.forum))
            .order_by(Meeting.starts_at)
        )
    )


def send_due_reminders(now: datetime) -> int:
    """The daily reminders: for each meeting that enters its forum's reminder days, e-mail
    those who have not answered, once. Returns how many e-mails were queued."""
    today = to_brussels(now).date()
    sent = 0
    for meeting in meetings_to_remind(now):
        if (meeting.local_date - today).days > meeting.forum.reminder_days:
            continue
        people = reply_overview(meeting).unanswered
        sent += len(_send_reminders(meeting, people, now))
        if people:
            record_event(
                "meeting.remind", actor=None, obj=meeting, changes={"reminded": len(people)}
            )
    return sent
