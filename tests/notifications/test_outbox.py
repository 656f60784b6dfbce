"""The outbox: e-mails survive a mail server outage and are sent exactly once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination.core.time import utcnow
from coordination.db import db
from coordination.notifications.models import OutboxMessage, OutboxStatus
from coordination.notifications.services import (
    MAX_ATTEMPTS,
    backoff_after,
    deliver_due_messages,
    enqueue_email,
)
from tests.notifications.helpers import queue


def test_a_rolled_back_change_sends_nothing(app):
    enqueue_email("rep@example.org", "Meeting cancelled", "Body")
    db.session.rollback()
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_delivery_sends_each_message_once(app, smtp):
    smtp.start()
    queue(3)
    report = deliver_due_messages(smtp.mailer())
    assert report.sent == 3
    assert sorted(m["to"] for m in smtp.inbox.messages) == [
        "rep0@example.org", "rep1@example.org", "rep2@example.org",
    ]  # fmt: skip
    assert deliver_due_messages(smtp.mailer()).sent == 0
    assert len(smtp.inbox.messages) == 3
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
    received = sorted(m["id"] for m in smtp.inbox.messages)
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
    received = [m["id"] for m in smtp.inbox.messages]
    assert sorted(received) == sorted(f"<outbox-{i}@example.org>" for i in ids)
    assert len(set(received)) == len(received) == 40
