"""Answers that come back by e-mail: when a person presses "accept" or "decline" on an
invitation (:mod:`.invitations`), their mail client sends an iTIP REPLY (RFC 5546 §3.2.3, as
iMIP, RFC 6047) to the invitation's ORGANIZER, the coordination unit's address. Read from that
mailbox (``flask meetings read-replies``), each reply becomes the person's answer, as if given
on the meeting page: accepted is attending, declined is not attending; a tentative answer or a
delegation says nothing yet, and a substitute is named only on the page.

A reply counts only when it names a meeting of ours (its UID), an active person invited to it
(the ATTENDEE's address, which must be the message's sender) and the meeting still takes
answers. It is as trustworthy as the mailbox's checks of senders (SPF, DKIM, DMARC): answers are
announcements, and the minutes record who came.
"""

from __future__ import annotations

import mailbox
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy
from email.utils import getaddresses
from enum import StrEnum
from functools import partial
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import func, select

from coordination.core.errors import DomainError
from coordination.db import db
from coordination.meetings.models import Meeting, ReplyAnswer
from coordination.meetings.notify import forum_recipients
from coordination.meetings.replies import answer_invitation
from coordination.users.models import User

#: What an ATTENDEE's PARTSTAT in a REPLY means here (others: no answer yet).
_ANSWERS = {"ACCEPTED": ReplyAnswer.ATTENDING, "DECLINED": ReplyAnswer.NOT_ATTENDING}
#: A message larger than this is no calendar reply: it is not read.
MAX_MESSAGE_BYTES = 1024 * 1024


class Outcome(StrEnum):
    RECORDED = "recorded"
    #: A tentative answer, a delegation: nothing to record.
    UNDECIDED = "undecided"
    #: Not an iTIP REPLY (an out-of-office message, a REQUEST forwarded back ...).
    NOT_A_REPLY = "not a reply"
    UNKNOWN_MEETING = "unknown meeting"
    #: The sender is not the attendee, or not an active person invited to the meeting.
    NOT_INVITED = "not invited"
    #: The meeting is over or cancelled.
    CLOSED = "closed"


@dataclass(frozen=True)
class Reply:
    uid: str
    attendee: str
    partstat: str


@dataclass
class Report:
    outcomes: dict[Outcome, int] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def describe(self) -> str:
        return ", ".join(f"{n} {outcome.value}" for outcome, n in self.outcomes.items()) or "none"


def replies_in(message: Message) -> Iterator[Reply]:
    """The attendees' answers of each iTIP REPLY the message carries (an alternative or an
    attached ``.ics``); nothing from anything else, however malformed."""
    for part in message.walk():
        if part.get_content_type() != "text/calendar":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        try:
            calendar = Calendar.from_ical(payload)
        except ValueError:
            continue
        if str(calendar.get("METHOD", "")).upper() != "REPLY":
            continue
        for event in calendar.walk("VEVENT"):
            uid = str(event.get("UID", "")).strip()
            attendees = event.get("ATTENDEE")
            if not uid or attendees is None:
                continue
            for attendee in attendees if isinstance(attendees, list) else [attendees]:
                address = str(attendee).removeprefix("mailto:").removeprefix("MAILTO:")
                partstat = str(attendee.params.get("PARTSTAT", "")).upper()
                yield Reply(uid, address.strip().lower(), partstat)


def record_reply(message: Message, *, now: datetime) -> Outcome:
    """Record the answer a message carries (the first attendee's that is the sender)."""
    senders = {address.lower() for _name, address in getaddresses(message.get_all("From", []))}
    replies = list(replies_in(message))
    if not replies:
        return Outcome.NOT_A_REPLY
    outcome = Outcome.NOT_INVITED
    for reply in replies:
        meeting = db.session.scalar(select(Meeting).where(Meeting.uid == reply.uid))
        if meeting is None:
            outcome = Outcome.UNKNOWN_MEETING
            continue
        person = _invited(meeting, reply.attendee) if reply.attendee in senders else None
        if person is None:
            continue
        answer = _ANSWERS.get(reply.partstat)
        if answer is None:
            return Outcome.UNDECIDED
        try:
            with db.session.begin_nested():
                answer_invitation(meeting, person, answer=answer, now=now)
        except DomainError:
            return Outcome.CLOSED
        return Outcome.RECORDED
    return outcome


def _invited(meeting: Meeting, address: str) -> User | None:
    person = db.session.scalar(
        select(User).where(func.lower(User.email) == address, User.active.is_(True))
    )
    if person is None:
        return None
    invited = forum_recipients(meeting.forum_id, meeting.local_date)
    return person if person in invited else None


def messages_in(path: Path) -> Iterator[tuple[Message, Callable[[], None]]]:
    """The unread messages of a Maildir folder, or the message of one ``.eml`` file, each with
    the call that marks it read (moved to ``cur``, flagged seen: never deleted, people may
    read the rest of that mailbox). A message too large to be a reply is left unread."""
    if not path.is_dir():
        if path.stat().st_size <= MAX_MESSAGE_BYTES:
            yield _parse(path.read_bytes()), lambda: None
        return
    folder = mailbox.Maildir(path, create=False)
    for key in list(folder.keys()):
        stored = folder.get_message(key)
        if stored.get_subdir() != "new" or len(stored.as_bytes()) > MAX_MESSAGE_BYTES:
            continue
        yield _parse(stored.as_bytes()), partial(_mark_read, folder, key)


def _mark_read(folder: mailbox.Maildir, key: str) -> None:
    stored = folder.get_message(key)
    stored.set_subdir("cur")
    stored.add_flag("S")
    folder[key] = stored


def _parse(raw: bytes) -> Message:
    return message_from_bytes(raw, policy=default_policy)
