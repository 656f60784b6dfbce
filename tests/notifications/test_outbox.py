"""The outbox: e-mails survive a mail server outage and are sent exactly once."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from coordination.core.time import utcnow
from coordination.db import db
from coordination.notifications.mailer import SMTPMailer
from coordination.notifications.models import OutboxMessage, OutboxStatus
from coordination.notifications.services import (
    MAX_ATTEMPTS,
    backoff_after,
    deliver_due_messages,
    enqueue_email,
)


class RecordingHandler:
    """An SMTP peer that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[dict[str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        text = envelope.content.decode("utf-8", errors="replace")
        message_id = next(
            (line.split(":", 1)[1].strip() for line in text.splitlines()
             if line.lower().startswith("message-id:")),
            "",
        )  # fmt: skip
        with self.lock:
            self.messages.append({"to": envelope.rcpt_tos[0], "id": message_id, "text": text})
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    """A real SMTP server on localhost; ``start()``/``stop()`` simulate an outage."""

    class Server:
        def __init__(self) -> None:
            self.port = free_port()
            self.handler = RecordingHandler()
            self.controller: Controller | None = None

        def start(self) -> None:
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self.controller.start()

        def stop(self) -> None:
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

        def mailer(self) -> SMTPMailer:
            return SMTPMailer(host="127.0.0.1", port=self.port, sender="c@example.org", timeout=5)

    server = Server()
    yield server
    server.stop()


def queue(count: int) -> list[int]:
    ids = []
    for number in range(count):
        message = enqueue_email(f"rep{number}@example.org", f"Subject {number}", "Body\n")
        db.session.flush()
        ids.append(message.id)
    db.session.commit()
    return ids


def test_a_rolled_back_change_sends_nothing(app):
    enqueue_email("rep@example.org", "Meeting cancelled", "Body")
    db.session.rollback()
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_delivery_sends_each_message_once(app, smtp):
    smtp.start()
    queue(3)
    report = deliver_due_messages(smtp.mailer())
    assert report.sent == 3
    assert sorted(m["to"] for m in smtp.handler.messages) == [
        "rep0@example.org", "rep1@example.org", "rep2@example.org",
    ]  # fmt: skip
    assert deliver_due_messages(smtp.mailer()).sent == 0
    assert len(smtp.handler.messages) == 3
    statuses = {m.status for m in db.session.scalars(select(OutboxMessage))}
    assert statuses == {OutboxStatus.SENT}


def test_mail_server_down_then_up_loses_nothing(app, smtp):
    ids = queue(4)
    report = deliver_due_messages(smtp.mailer())  # nobody listens on the port
    assert (report.sent, report.retried) == (0, 4)
    db.session.expire_all()
    for message in db.session.scalars(select(OutboxMessage)):
        assert message.status is OutboxStatus.PENDING
        assert message.attempts == 1
        assert message.last_error
        assert message.next_attempt_at > utcnow()

    # Still backing off: a run now sends nothing, even with the server back.
    smtp.start()
    assert deliver_due_messages(smtp.mailer()).sent == 0

    later = utcnow() + backoff_after(1) + timedelta(seconds=1)
    assert deliver_due_messages(smtp.mailer(), now=later).sent == 4
    assert deliver_due_messages(smtp.mailer(), now=later).sent == 0
    received = sorted(m["id"] for m in smtp.handler.messages)
    assert received == sorted(f"<outbox-{i}@example.org>" for i in ids)


def test_backoff_grows_and_gives_up_after_the_maximum(app, smtp):
    queue(1)
    moment = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        deliver_due_messages(smtp.mailer(), now=moment)
        moment += backoff_after(attempt) + timedelta(seconds=1)
    message = db.session.scalar(select(OutboxMessage))
    db.session.refresh(message)
    assert message.status is OutboxStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert backoff_after(1) < backoff_after(2) < backoff_after(3)
    assert backoff_after(50) == timedelta(hours=6)


@pytest.mark.commits
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_two_workers_never_send_the_same_message(app, smtp):
    """Two delivery processes at once (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED).

    PostgreSQL only: it is what production runs with several workers; the SQLite setup of
    ``make run`` has a single delivery loop.
    """
    smtp.start()
    ids = queue(40)
    reports = []

    def worker() -> None:
        with app.app_context():
            reports.append(deliver_due_messages(smtp.mailer()))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(report.sent for report in reports) == 40
    received = [m["id"] for m in smtp.handler.messages]
    assert sorted(received) == sorted(f"<outbox-{i}@example.org>" for i in ids)
    assert len(set(received)) == len(received) == 40
