"""Answers by e-mail: the iTIP REPLY a mail client sends when a person accepts or declines an
invitation is read from the organiser's Maildir and recorded as that person's answer."""

from __future__ import annotations

import mailbox
from datetime import datetime, time, timedelta
from email.message import EmailMessage

import pytest
from icalendar import Calendar
from sqlalchemy import select

from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.meetings.invitations import REQUEST, invitation
from coordination.meetings.models import MeetingReply, ReplyAnswer
from tests import factories


@pytest.fixture
def meeting(world):
    soon = datetime.combine(today_brussels() + timedelta(days=10), time(10), BRUSSELS)
    meeting = factories.meeting(world["bureau"], soon, title="Bureau — by e-mail")
    db.session.commit()
    return meeting


def reply_mail(meeting, person, partstat: str, *, sender: str | None = None) -> EmailMessage:
    """What Outlook or Thunderbird sends back: the invitation turned into a REPLY carrying the
    person's PARTSTAT, as the text/calendar alternative of a short text."""
    calendar = Calendar.from_ical(invitation(meeting, person, method=REQUEST))
    calendar["METHOD"] = "REPLY"
    for event in calendar.walk("VEVENT"):
        attendee = event["ATTENDEE"]
        attendee.params["PARTSTAT"] = partstat
        event["ATTENDEE"] = attendee
    message = EmailMessage()
    message["From"] = f"{person.full_name} <{sender or person.email}>"
    message["To"] = "unit@example.org"
    message["Subject"] = f"{partstat.title()}: {meeting.title}"
    message.set_content(f"{person.full_name} has {partstat.lower()} this invitation.")
    message.add_alternative(
        calendar.to_ical().decode(), subtype="calendar", params={"method": "REPLY"}
    )
    return message


def answers(meeting) -> dict[str, ReplyAnswer]:
    db.session.expire_all()
    rows = db.session.scalars(select(MeetingReply).where(MeetingReply.meeting == meeting))
    return {row.user.email: row.answer for row in rows}


def read(app, maildir) -> str:
    result = app.test_cli_runner().invoke(args=["meetings", "read-replies", str(maildir)])
    assert result.exit_code == 0, result.output
    return result.output


def test_accept_and_decline_from_a_mail_client_become_answers(app, world, meeting, tmp_path):
    inbox = mailbox.Maildir(tmp_path / "inbox", create=True)
    with app.test_request_context():
        inbox.add(reply_mail(meeting, world["rep_both"], "ACCEPTED"))
        inbox.add(reply_mail(meeting, world["rep_bureau"], "DECLINED"))
        inbox.add(reply_mail(meeting, world["rapporteur"], "TENTATIVE"))
        # Somebody answering for another person: the attendee is not the sender.
        inbox.add(reply_mail(meeting, world["secretariat"], "DECLINED", sender="x@example.org"))
        # An invited person of another forum, a meeting we do not know, an out-of-office.
        inbox.add(reply_mail(meeting, world["rep_platform"], "ACCEPTED"))
        stranger = reply_mail(meeting, world["rep_both"], "DECLINED")
        stranger.replace_header("Subject", "Unknown")
        for part in stranger.walk():
            if part.get_content_type() == "text/calendar":
                part.set_content(
                    part.get_content().replace(meeting.uid, "someone-else@example.org"),
                    subtype="calendar",
                )
        inbox.add(stranger)
        away = EmailMessage()
        away["From"] = world["rep_both"].email
        away.set_content("I am out of the office until Monday.")
        inbox.add(away)

    output = read(app, tmp_path / "inbox")
    assert answers(meeting) == {
        "both@example.org": ReplyAnswer.ATTENDING,
        "bureau@example.org": ReplyAnswer.NOT_ATTENDING,
    }
    for told in (
        "2 recorded",
        "1 undecided",
        "2 not invited",
        "1 unknown meeting",
        "1 not a reply",
    ):
        assert told in output
    # Every message is marked read, none deleted: the mailbox is people's too.
    assert [message.get_subdir() for message in inbox] == ["cur"] * 7
    assert all("S" in message.get_flags() for message in inbox)
    # Read again: nothing new.
    assert "replies: none" in read(app, tmp_path / "inbox")


def test_a_reply_after_the_meeting_is_not_taken(app, world, tmp_path):
    past = factories.meeting(world["bureau"], datetime(2024, 5, 14, 10, tzinfo=BRUSSELS))
    db.session.commit()
    inbox = mailbox.Maildir(tmp_path / "inbox", create=True)
    with app.test_request_context():
        inbox.add(reply_mail(past, world["rep_both"], "ACCEPTED"))
    assert "1 closed" in read(app, tmp_path / "inbox")
    assert answers(past) == {}


def test_a_malformed_calendar_is_no_reply(app, world, tmp_path):
    message = EmailMessage()
    message["From"] = world["rep_both"].email
    message.set_content("see attachment")
    message.add_attachment(
        b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID", maintype="text",
        subtype="calendar", filename="reply.ics",
    )  # fmt: skip
    path = tmp_path / "reply.eml"
    path.write_bytes(message.as_bytes())
    assert "1 not a reply" in read(app, path)
