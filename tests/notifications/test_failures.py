"""A message the mail server refuses for good fails at once; only temporary refusals wait.

SMTP says which is which: a 5xx reply to the message (its sender, its recipient, its content)
is permanent, a 4xx reply or a broken connection is temporary. The secretariat sees the failed
messages with the server's reply (``outbox status``, and the outbox page: test_outbox_page).
"""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination.core.time import utcnow
from coordination.db import db
from coordination.notifications.mailer import classify_failure
from coordination.notifications.models import OutboxFailure, OutboxMessage, OutboxStatus
from coordination.notifications.services import (
    MAX_ATTEMPTS,
    backoff_after,
    deliver_due_messages,
)
from tests.notifications.helpers import queue


def row_for(recipient: str) -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).filter_by(recipient=recipient)).one()


def test_a_recipient_refused_for_good_fails_at_once(app, smtp):
    smtp.start()
    smtp.inbox.recipient_replies["rep0@example.org"] = "550 5.1.1 No such user here"
    queue(2)
    report = deliver_due_messages(smtp.mailer())
    assert (report.sent, report.retried, report.failed) == (1, 0, 1)

    refused = row_for("rep0@example.org")
    assert refused.status is OutboxStatus.FAILED
    assert refused.failure is OutboxFailure.REJECTED
    assert refused.attempts == 1
    assert refused.last_error == "550 5.1.1 No such user here"
    assert row_for("rep1@example.org").status is OutboxStatus.SENT

    # Never tried again, however long one waits.
    tomorrow = utcnow() + timedelta(days=1)
    assert deliver_due_messages(smtp.mailer(), now=tomorrow).failed == 0
    assert row_for("rep0@example.org").attempts == 1


def test_content_refused_for_good_fails_at_once(app, smtp):
    smtp.start()
    smtp.inbox.data_reply = "554 5.7.1 Message rejected as spam"
    queue(1)
    assert deliver_due_messages(smtp.mailer()).failed == 1
    refused = row_for("rep0@example.org")
    assert (refused.status, refused.failure) == (OutboxStatus.FAILED, OutboxFailure.REJECTED)
    assert refused.last_error == "554 5.7.1 Message rejected as spam"
    assert smtp.inbox.messages == []


@pytest.mark.parametrize(
    ("refusal", "reply"),
    [
        ("recipient", "451 4.3.0 Mailbox temporarily unavailable"),
        ("recipient", "452 4.2.2 Mailbox full"),
        ("data", "451 4.7.1 Greylisted, try again later"),
    ],
)
def test_a_temporary_refusal_is_retried_with_back_off(app, smtp, refusal, reply):
    smtp.start()
    if refusal == "recipient":
        smtp.inbox.recipient_replies["rep0@example.org"] = reply
    else:
        smtp.inbox.data_reply = reply
    queue(1)
    start = utcnow()
    assert deliver_due_messages(smtp.mailer(), now=start).retried == 1
    waiting = row_for("rep0@example.org")
    assert waiting.status is OutboxStatus.PENDING
    assert waiting.failure is None
    assert waiting.last_error == reply
    assert waiting.next_attempt_at == start + backoff_after(1)


def test_a_message_that_keeps_failing_temporarily_is_given_up(app, smtp):
    queue(1)  # nobody listens on the port
    moment = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        deliver_due_messages(smtp.mailer(), now=moment)
        moment += backoff_after(attempt) + timedelta(seconds=1)
    given_up = row_for("rep0@example.org")
    assert (given_up.status, given_up.failure) == (OutboxStatus.FAILED, OutboxFailure.GAVE_UP)
    assert "ConnectionRefusedError" in given_up.last_error


@pytest.mark.parametrize(
    ("error", "permanent", "detail"),
    [
        (smtplib.SMTPRecipientsRefused({"a@b.be": (550, b"5.1.1 Unknown user")}), True,
         "550 5.1.1 Unknown user"),
        (smtplib.SMTPSenderRefused(553, b"5.7.1 Sender not allowed", "c@example.org"), True,
         "553 5.7.1 Sender not allowed"),
        (smtplib.SMTPDataError(552, b"5.3.4 Message too big"), True, "552 5.3.4 Message too big"),
        (smtplib.SMTPRecipientsRefused({"a@b.be": (450, b"4.2.0 Busy")}), False, "450 4.2.0 Busy"),
        (smtplib.SMTPDataError(421, b"4.3.2 Shutting down"), False, "421 4.3.2 Shutting down"),
        # Replies about the connection, not the message: every message would get the same one
        # (a wrong password, a server that greets with 554): wait and retry, do not fail them all.
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"), False,
         "SMTPAuthenticationError: 535 5.7.8 Bad credentials"),
        (smtplib.SMTPConnectError(554, b"No SMTP service here"), False,
         "SMTPConnectError: 554 No SMTP service here"),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False,
         "SMTPServerDisconnected: Connection unexpectedly closed"),
        (ConnectionRefusedError(111, "Connection refused"), False,
         "ConnectionRefusedError: [Errno 111] Connection refused"),
        (TimeoutError("timed out"), False, "TimeoutError: timed out"),
    ],
)  # fmt: skip
def test_only_a_5xx_reply_to_the_message_is_permanent(error, permanent, detail):
    failure = classify_failure(error)
    assert (failure.permanent, failure.detail) == (permanent, detail)


def test_outbox_status_lists_the_failed_messages(app, smtp, runner):
    smtp.start()
    smtp.inbox.recipient_replies["rep0@example.org"] = "550 5.1.1 No such user here"
    queue(3)
    deliver_due_messages(smtp.mailer())

    result = runner.invoke(args=["outbox", "status"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert {"pending\t0", "sending\t0", "sent\t2", "failed\t1"} <= set(lines)
    header = lines.index("when\trecipient\tsubject\treason\tlast error\tcause")
    when, recipient, subject, reason, last_error, cause = lines[header + 1].split("\t")
    assert (recipient, subject, reason) == ("rep0@example.org", "Subject 0", "rejected")
    assert last_error == "550 5.1.1 No such user here"
    assert when.startswith(utcnow().strftime("%Y-"))
    assert cause == ""


def test_outbox_status_without_failures_says_so(app, runner):
    result = runner.invoke(args=["outbox", "status"])
    assert result.exit_code == 0
    assert "no failed message" in result.output
