"""Invitations in the meetings' e-mails: iTIP REQUEST and CANCEL (RFC 5546) carried as the
text/calendar alternative of the message (RFC 6047), one per person, never confidential."""

from __future__ import annotations

from datetime import date, time
from email.message import EmailMessage

import icalendar

from coordination.core.time import brussels_to_utc
from coordination.db import db, utcnow
from coordination.meetings import services
from coordination.notifications.services import deliver_due_messages
from tests import factories
from tests.feeds.parsers import parse_everywhere, run_libical
from tests.meetings.conftest import NOW
from tests.meetings.test_notifications import (
    SHELTER,
    a_meetings_whole_life,
    outbox,
    schedule,
)


def itip(message) -> icalendar.Calendar:
    assert message.calendar_text is not None, f"no invitation in {message.subject!r}"
    return icalendar.Calendar.from_ical(message.calendar_text)


def the_event(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    return event


def mails_to(email: str):
    return [message for message in outbox() if message.recipient == email]


def test_a_scheduled_meeting_invites_each_recipient_in_person(world, app):
    world["rep_bureau"].locale = "fr"
    db.session.commit()
    meeting = schedule(world)
    messages = outbox()
    assert len(messages) == 4
    for message in messages:
        calendar = itip(message)
        event = the_event(calendar)
        assert calendar["METHOD"] == "REQUEST"
        assert str(event["UID"]) == meeting.uid  # the feed's event, not a second one
        assert event["SEQUENCE"] == meeting.sequence
        assert str(event["ORGANIZER"]) == f"mailto:{app.config['MAIL_FROM']}"
        attendee = event["ATTENDEE"]
        assert str(attendee) == f"mailto:{message.recipient}"
        assert attendee.params["RSVP"] == "TRUE"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert event.decoded("DTSTART") == meeting.starts_at
        assert str(event["LOCATION"]) == "FPS Justice, Brussels"
        assert run_libical(message.calendar_text.encode())["restrictions_hold"]
    (french,) = mails_to("bureau@example.org")
    assert "Page de la réunion" in str(the_event(itip(french))["DESCRIPTION"])


def test_a_move_is_an_update_and_a_cancellation_removes_the_event(world):
    a_meetings_whole_life(world)
    scheduled, moved, final, cancelled = (
        itip(message) for message in mails_to("rapporteur@example.org")
    )
    assert [c["METHOD"] for c in (scheduled, moved, final, cancelled)] == [
        "REQUEST", "REQUEST", "REQUEST", "CANCEL",
    ]  # fmt: skip
    sequences = [the_event(c)["SEQUENCE"] for c in (scheduled, moved, final, cancelled)]
    assert sequences[1] > sequences[0]  # a calendar replaces the event it holds
    assert sequences[3] > sequences[2] >= sequences[1]
    assert the_event(moved).decoded("DTSTART") == brussels_to_utc(date(2026, 7, 16), time(14))
    assert str(the_event(moved)["LOCATION"]) == "Egmont Palace"
    assert "Cases and trends" in str(the_event(final)["DESCRIPTION"])
    assert str(the_event(cancelled)["STATUS"]) == "CANCELLED"
    assert len({str(the_event(c)["UID"]) for c in (scheduled, moved, final, cancelled)}) == 1


def test_an_invitation_never_carries_a_confidential_place_or_the_online_link(world):
    meeting = schedule(
        world, place=SHELTER, place_confidential=True,
        online_url="https://meet.example.org/secret-room",
    )  # fmt: skip
    factories.agenda_item(meeting, description=f"Meet at {SHELTER}")
    db.session.commit()
    services.finalise_agenda(meeting, expected_version=meeting.version, actor=None, now=NOW)
    db.session.commit()
    messages = outbox()
    assert len(messages) == 2 * 4
    for message in messages:
        text = message.calendar_text
        assert "Secret Street" not in text
        assert "secret-room" not in text
        assert "LOCATION" not in the_event(itip(message))
        assert "CONFERENCE" not in text


def test_series_e_mails_carry_no_invitation(make_series, world):
    """A series' e-mail lists many meetings: each is invited when its agenda is final."""
    make_series(notify_members=True)
    assert outbox()
    assert all(message.calendar_text is None for message in outbox())


class RecordingMailer:
    sender = "coordination@localhost"

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage, *, before_data=None) -> None:
        if before_data is not None:
            before_data()
        self.sent.append(message)


def test_the_mail_offers_the_invitation_beside_the_text(world):
    schedule(world)
    mailer = RecordingMailer()
    deliver_due_messages(mailer, now=utcnow())
    assert len(mailer.sent) == 4
    for message in mailer.sent:
        assert message.get_content_type() == "multipart/alternative"
        text, calendar = message.iter_parts()
        assert text.get_content_type() == "text/plain"
        assert "Bureau — July" in text.get_content()
        assert calendar.get_content_type() == "text/calendar"
        assert calendar.get_param("method") == "REQUEST"
        assert calendar.get_content_charset() == "utf-8"
        event = the_event(icalendar.Calendar.from_ical(calendar.get_content()))
        assert str(event["ATTENDEE"]) == f"mailto:{message['To']}"
    # What travels is what a mail client reads back (the wire form, parsed again).
    wire = mailer.sent[0].as_bytes()
    assert b"Content-Type: text/calendar" in wire
    assert b"method=" in wire.lower()


def test_invitations_read_alike_in_four_parsers(world):
    meeting = schedule(world)
    services.cancel_meeting(
        meeting, expected_version=meeting.version, reason="Strike", actor=None, now=NOW
    )
    db.session.commit()
    request, cancel = mails_to("rapporteur@example.org")
    for message in (request, cancel):
        data = message.calendar_text.encode()
        (event,) = parse_everywhere(data)  # icalendar, vobject, ical.js and libical agree
        assert event.uid == meeting.uid
        assert run_libical(data)["restrictions_hold"]
