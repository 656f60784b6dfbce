"""Writing e-mails to the outbox and delivering them: retries, back-off, no duplicates."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import Select, func, select
from sqlalchemy.exc import SQLAlchemyError

from coordination.core.i18n import babel_locale
from coordination.core.time import utcnow
from coordination.db import db
from coordination.notifications.delivery import (
    Attempt,
    DeliveryJournal,
    Outcome,
    claim_next_due,
    mark_sending,
    record_on_claimed_row,
)
from coordination.notifications.mailer import Mailer, classify_failure, compose, message_id_for
from coordination.notifications.models import OutboxFailure, OutboxMessage, OutboxStatus
from coordination.users.models import User

MAX_ATTEMPTS = 8
#: Wait after the n-th failure: 1, 2, 4 ... minutes, at most 6 hours.
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
#: A message still "sending" this long after its hand-over belongs to a worker presumed dead
#: (the DATA phase takes seconds; the SMTP timeout bounds it to a minute or so).
SENDING_LEASE = timedelta(minutes=15)


def enqueue_email(
    recipient: str,
    subject: str,
    body: str,
    *,
    reason: str | None = None,
    calendar: str | None = None,
    html: str | None = None,
) -> OutboxMessage:
    """Add an e-mail to the outbox in the current transaction (sent only if it commits);
    ``calendar`` is an iTIP message and ``html`` the body as HTML, sent with it (see
    :func:`.mailer.compose`)."""
    message = OutboxMessage(
        recipient=recipient,
        subject=subject[:255],
        body_text=body,
        reason=reason,
        calendar_text=calendar,
        html_text=html,
    )
    db.session.add(message)
    return message


def enqueue_for_users(
    users: list[User],
    template: str,
    *,
    reason: str,
    calendar: Callable[[User], str] | None = None,
    html: Callable[[User], str] | None = None,
    **context: Any,
) -> list[OutboxMessage]:
    """Render ``notifications/<template>.txt`` for each user in their language and enqueue it,
    with ``calendar(user)`` as its iTIP message and ``html(user)`` as its HTML if given (both
    written in the same language).

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
            invitation = calendar(user) if calendar is not None else None
            document = html(user) if html is not None else None
        subject, _, body = rendered.strip().partition("\n")
        messages.append(
            enqueue_email(
                user.email,
                subject.strip(),
                body.strip() + "\n",
                reason=reason,
                calendar=invitation,
                html=document,
            )
        )
    return messages


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.failed

    def count(self, outcome: Outcome) -> None:
        status = outcome.values["status"]
        if status is OutboxStatus.SENT:
            self.sent += 1
        elif status is OutboxStatus.FAILED:
            self.failed += 1
        else:
            self.retried += 1


def backoff_after(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure (exponential, capped)."""
    exponent = min(max(attempts - 1, 0), 16)  # 2**16 minutes already exceeds the cap
    return min(BACKOFF_BASE * 2**exponent, BACKOFF_CAP)


def deliver_due_messages(
    mailer: Mailer,
    *,
    limit: int = 200,
    now: datetime | None = None,
    journal: DeliveryJournal | None = None,
) -> DeliveryReport:
    """Send up to ``limit`` due messages, each in its own attempt (``delivery``).

    Delivery guarantee. A message is handed to the mail server (the DATA command) only after
    it is committed as "sending", and the outcome is written for that attempt only, never
    over "sent" (``delivery``). Hence:

    - while the worker lives, every message is sent until the server answers 250, and never
      again after that: database outages (lost or unacknowledged commits included) and mail
      server outages neither lose nor duplicate anything, provided the worker keeps its
      ``journal`` between runs (``worker.run_delivery_loop`` does; a one-shot run tries once
      more to write it before it gives up, which covers a dropped connection);
    - a worker that dies before the hand-over leaves nothing at the server, and nothing
      committed: the message is still pending, and the next run sends it;
    - a worker that dies after the hand-over and before the database recorded the server's
      answer (or a one-shot run whose database stays down then) leaves a message that may
      have arrived: it is *not* resent (at most once) but marked failed, "uncertain", after
      ``SENDING_LEASE``, for the secretariat to check and, if need be, send again with
      ``retry_failed_messages`` (the same Message-ID, so that a copy is recognisable). If a
      live worker records the answer later, "sent" replaces "uncertain";
    - SMTP's own duplicate window remains (RFC 1047): a server that delivered a message but
      whose 250 was lost on the network gets it again, like from any mail server; the stable
      Message-ID lets the recipient's system drop the copy.

    A 5xx reply to the message fails it at once; 4xx replies and network errors are retried
    with back-off, and fail after ``MAX_ATTEMPTS``.

    :raise SQLAlchemyError: the database failed (and failed again when the outcomes were
        written once more); what the mail server was told is kept in ``journal``.
    """
    journal = journal if journal is not None else DeliveryJournal()
    try:
        return _deliver(mailer, limit, now, journal)
    except SQLAlchemyError:
        _write_journal_once_more(journal)
        raise


def _deliver(
    mailer: Mailer, limit: int, now: datetime | None, journal: DeliveryJournal
) -> DeliveryReport:
    report = DeliveryReport()
    # Outcomes first: an attempt recorded late must not look interrupted to the recovery.
    journal.flush()
    report.failed += recover_interrupted_attempts(now or utcnow())
    domain = mailer.sender.rpartition("@")[2] or "coordination.local"
    for _ in range(limit):
        moment = now or utcnow()
        message = claim_next_due(moment)
        if message is None:
            break
        report.count(_attempt_delivery(mailer, message, domain, moment, journal))
    return report


def _write_journal_once_more(journal: DeliveryJournal) -> None:
    """After a database error, try once more to write what the mail server was told.

    A blip (one dropped connection) is over by now, and a one-shot run, whose journal ends
    with it, then leaves nothing uncertain behind. A longer outage fails this too: the
    outcomes stay in the journal, and the caller gets the original error.
    """
    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()
    with contextlib.suppress(SQLAlchemyError):
        journal.flush()
    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()


def _attempt_delivery(
    mailer: Mailer,
    message: OutboxMessage,
    domain: str,
    moment: datetime,
    journal: DeliveryJournal,
) -> Outcome:
    """Hand the claimed ``message`` to the mail server and record what happened.

    :raise SQLAlchemyError: the database failed: before the hand-over (nothing was handed
        over), or while the outcome was written (it is kept in ``journal``).
    """
    attempt = Attempt.of(message, started_at=moment)
    handed_over = False

    def hand_over() -> None:
        nonlocal handed_over
        mark_sending(message, attempt, journal)
        handed_over = True

    try:
        email = compose(
            mailer.sender,
            attempt.recipient,
            attempt.subject,
            attempt.body,
            message_id_for(attempt.message_id, domain),
            calendar=attempt.calendar,
            html=attempt.html,
        )
        mailer.send(email, before_data=hand_over)
    except SQLAlchemyError:
        raise  # from the hand-over: nothing was handed over
    except Exception as error:
        outcome = _after_failure(attempt, error, moment)
    else:
        # "failure" too: a message failed as uncertain meanwhile did arrive after all.
        values = {"status": OutboxStatus.SENT, "sent_at": utcnow(), "last_error": None}
        outcome = Outcome(attempt, {**values, "failure": None})
    if handed_over:
        journal.record(outcome)
    else:
        # Failed before the hand-over (or a transport without one): the row is still ours.
        record_on_claimed_row(message, attempt, outcome.values)
    return outcome


def _after_failure(attempt: Attempt, error: Exception, moment: datetime) -> Outcome:
    """Fail at once on a permanent refusal or at the last attempt; otherwise back off."""
    failure = classify_failure(error)
    values: dict[str, Any] = {"last_error": failure.detail[:1000]}
    if failure.permanent:
        values.update(status=OutboxStatus.FAILED, failure=OutboxFailure.REJECTED)
    elif attempt.number >= MAX_ATTEMPTS:
        values.update(status=OutboxStatus.FAILED, failure=OutboxFailure.GAVE_UP)
    else:
        values.update(
            status=OutboxStatus.PENDING,
            failure=None,
            next_attempt_at=moment + backoff_after(attempt.number),
        )
    return Outcome(attempt, values)


def recover_interrupted_attempts(now: datetime) -> int:
    """Settle the messages left "sending" for longer than ``SENDING_LEASE`` (a dead worker).

    They were handed over and may have arrived: they fail as "uncertain" instead of being
    sent twice. Returns how many.
    """
    stale = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.last_attempt_at < now - SENDING_LEASE,
        )
        .order_by(OutboxMessage.id)
        .with_for_update(skip_locked=True)
    ).all()
    for message in stale:
        message.status, message.failure = OutboxStatus.FAILED, OutboxFailure.UNCERTAIN
        message.last_error = None
    db.session.commit()
    return len(stale)


def outbox_counts() -> dict[str, int]:
    """How many messages are pending, being sent, sent and failed."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update({str(status): count for status, count in rows})
    return counts


def failed_messages_query() -> Select[OutboxMessage]:
    """The failed messages, the most recent failure first."""
    return (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(
            func.coalesce(OutboxMessage.last_attempt_at, OutboxMessage.created_at).desc(),
            OutboxMessage.id.desc(),
        )
    )


def failed_messages(limit: int | None = None) -> list[OutboxMessage]:
    """The failed messages, the most recent failure first (at most ``limit``)."""
    return list(db.session.scalars(failed_messages_query().limit(limit)))


def retry_failed_messages() -> int:
    """Put failed messages back in the queue (after the secretariat fixed the cause).

    They keep their Message-ID: a message that failed as uncertain and did arrive is
    recognisable as a copy.
    """
    failed = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    ).all()
    for message in failed:
        message.status = OutboxStatus.PENDING
        message.failure = None
        message.attempts = 0
        message.next_attempt_at = utcnow()
    return len(failed)
