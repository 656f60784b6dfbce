"""Delivery through a real SMTP server on localhost (aiosmtpd): the server is down, then up.

Nothing is lost while it is down (each message waits with back-off), and once it is up every
message arrives exactly once, however often the delivery runs.
"""

from __future__ import annotations

import contextlib
import socket
from datetime import date, time, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from coordination.core.time import brussels_to_utc, utcnow
from coordination.db import db
from coordination.meetings import services
from coordination.notifications.mailer import SMTPMailer
from coordination.notifications.models import OutboxMessage, OutboxStatus
from coordination.notifications.services import backoff_after, deliver_due_messages
from tests.meetings.conftest import NOW


class Inbox:
    """An aiosmtpd handler that keeps what it receives; it can refuse one recipient."""

    def __init__(self) -> None:
        self.messages: list = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def mailer(port) -> SMTPMailer:
    return SMTPMailer(host="127.0.0.1", port=port, sender="coordination@localhost", timeout=5)


@pytest.fixture
def server(port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)

    class Server:
        def start(self) -> Inbox:
            controller.start()
            return inbox

        def stop(self) -> None:
            controller.stop()

    handle = Server()
    yield handle
    # The test may never have started it, or may have stopped it already.
    with contextlib.suppress(AssertionError, RuntimeError):
        controller.stop()


@pytest.fixture
def meeting_announced(world):
    """A one-off meeting: four members are told (four messages in the outbox)."""
    day = date(2026, 7, 14)
    services.schedule_meeting(
        world["bureau"], title="Bureau — Juli", starts_at=brussels_to_utc(day, time(10)),
        ends_at=brussels_to_utc(day, time(12, 30)), actor=world["secretariat"], now=NOW,
    )  # fmt: skip
    db.session.commit()
    return sorted(m.recipient for m in db.session.scalars(select(OutboxMessage)))


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_smtp_down_then_up_loses_nothing_and_sends_each_message_once(
    mailer, server, meeting_announced
):
    assert len(meeting_announced) == 4
    start = utcnow()

    # The server is down: every message is kept, counted and postponed with back-off.
    down = deliver_due_messages(mailer, now=start)
    assert (down.sent, down.retried, down.failed) == (0, 4, 0)
    for row in rows():
        assert row.status is OutboxStatus.PENDING
        assert row.attempts == 1
        assert row.next_attempt_at == start + backoff_after(1)
        assert "ConnectionRefusedError" in row.last_error
    # Still down a moment later: nothing is due yet, nothing is tried.
    assert deliver_due_messages(mailer, now=start + timedelta(seconds=30)).retried == 0
    second = deliver_due_messages(mailer, now=start + timedelta(minutes=1))
    assert second.retried == 4
    assert {row.attempts for row in rows()} == {2}
    assert {row.next_attempt_at for row in rows()} == {
        start + timedelta(minutes=1) + backoff_after(2)
    }

    # The server is back: everything due is delivered, once.
    inbox = server.start()
    later = start + timedelta(minutes=10)
    up = deliver_due_messages(mailer, now=later)
    assert (up.sent, up.retried, up.failed) == (4, 0, 0)
    again = deliver_due_messages(mailer, now=later + timedelta(hours=1))
    assert (again.sent, again.retried) == (0, 0)
    server.stop()

    received = sorted(message["To"] for message in inbox.messages)
    assert received == meeting_announced  # each recipient exactly once
    assert all(subject(m).startswith("New meeting: Bureau — Juli") for m in inbox.messages)
    assert len({m["Message-ID"] for m in inbox.messages}) == 4
    assert all(row.status is OutboxStatus.SENT and row.sent_at for row in rows())


def test_a_refused_recipient_waits_while_the_others_are_delivered(
    mailer, server, meeting_announced, world
):
    inbox = server.start()
    inbox.refuse.add("bureau@example.org")
    first = deliver_due_messages(mailer, now=utcnow())
    assert (first.sent, first.retried) == (3, 1)
    waiting = [row for row in rows() if row.status is OutboxStatus.PENDING]
    assert [row.recipient for row in waiting] == ["bureau@example.org"]

    inbox.refuse.clear()
    second = deliver_due_messages(mailer, now=utcnow() + timedelta(minutes=5))
    assert (second.sent, second.retried) == (1, 0)
    received = sorted(message["To"] for message in inbox.messages)
    assert received == meeting_announced
