"""Writing e-mails to the outbox and delivering them with retries and back-off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import func, select

from coordination.core.i18n import babel_locale
from coordination.core.time import utcnow
from coordination.db import db
from coordination.notifications.mailer import Mailer, message_id_for
from coordination.notifications.models import OutboxMessage, OutboxStatus
from coordination.users.models import User

MAX_ATTEMPTS = 8
#: Wait after the n-th failure: 1, 2, 4 ... minutes, at most 6 hours.
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


def enqueue_email(
    recipient: str, subject: str, body: str, *, reason: str | None = None
) -> OutboxMessage:
    """Add an e-mail to the outbox in the current transaction (sent only if it commits)."""
    message = OutboxMessage(
        recipient=recipient, subject=subject[:255], body_text=body, reason=reason
    )
    db.session.add(message)
    return message


def enqueue_for_users(
    users: list[User], template: str, *, reason: str, **context: Any
) -> list[OutboxMessage]:
    """Render ``notifications/<template>.txt`` for each user in their language and enqueue it.

    The template's first line is the subject; the rest is the body. Templates carry links,
    never confidential content.
    """
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    messages = []
    for user in users:
        if not user.active:
            continue
        with force_locale(babel_locale(user.locale or default)):
            rendered = render_template(f"notifications/{template}.txt", user=user, **context)
        subject, _, body = rendered.strip().partition("\n")
        messages.append(
            enqueue_email(user.email, subject.strip(), body.strip() + "\n", reason=reason)
        )
    return messages


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def backoff_after(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure (exponential, capped)."""
    exponent = min(max(attempts - 1, 0), 16)  # 2**16 minutes already exceeds the cap
    return min(BACKOFF_BASE * 2**exponent, BACKOFF_CAP)


def _claim_next_due(now: datetime) -> OutboxMessage | None:
    """Lock the oldest due message; other workers skip it (PostgreSQL SKIP LOCKED)."""
    return db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def deliver_due_messages(
    mailer: Mailer, *, limit: int = 200, now: datetime | None = None
) -> DeliveryReport:
    """Send due messages one transaction each, so that a success is committed at once.

    A message is marked sent in the same transaction that holds its row lock, right after the
    SMTP server accepted it: a later run never sends it again. If the process dies between the
    server's acceptance and the commit, the message is sent again on the next run (at least
    once); the stable Message-ID lets mail systems recognise the duplicate.
    """
    report = DeliveryReport()
    domain = mailer.sender.rpartition("@")[2] or "coordination.local"
    for _ in range(limit):
        moment = now or utcnow()
        message = _claim_next_due(moment)
        if message is None:
            db.session.rollback()
            break
        message.attempts += 1
        try:
            mailer.send(
                message.recipient,
                message.subject,
                message.body_text,
                message_id_for(message.id, domain),
            )
        except Exception as error:
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
                report.failed += 1
            else:
                message.next_attempt_at = moment + backoff_after(message.attempts)
                report.retried += 1
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            message.last_error = None
            report.sent += 1
        db.session.commit()
    return report


def outbox_counts() -> dict[str, int]:
    """How many messages are pending, sent and failed."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update({str(status): count for status, count in rows})
    return counts


def retry_failed_messages() -> int:
    """Put failed messages back in the queue (after the secretariat fixed the cause)."""
    failed = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    ).all()
    for message in failed:
        message.status = OutboxStatus.PENDING
        message.attempts = 0
        message.next_attempt_at = utcnow()
    return len(failed)
