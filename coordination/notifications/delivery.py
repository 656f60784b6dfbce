"""One delivery attempt, as the database sees it: claim, hand-over, outcome.

1. **claim** (:func:`claim_next_due`): the oldest due message is locked (PostgreSQL ``FOR
   UPDATE SKIP LOCKED``: other workers skip it) while the worker connects to the mail server
   and the server accepts the envelope. Nothing is committed yet: if the worker or the
   database dies now, the message is still "pending" and the server has nothing of it.
2. **hand-over** (:func:`mark_sending`): just before the DATA command, the message becomes
   "sending" (attempts + 1, ``last_attempt_at``) in a commit of its own. From then on the
   message may be at the server, and the database says so.
3. **outcome** (:class:`DeliveryJournal`): sent, to retry, or failed, written for this attempt
   only (``attempts`` and ``last_attempt_at`` unchanged since the hand-over) and never over
   "sent". An attempt that ended before the hand-over (a refusal, a network error) records
   its outcome on the row it still holds locked.

The worker keeps every outcome the database has not confirmed in its journal, and writes it
again before it claims anything else. Each write is idempotent, so a commit whose answer was
lost (committed or not, the worker cannot tell) is simply written a second time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.exc import SQLAlchemyError

from coordination.db import db
from coordination.notifications.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class Attempt:
    """A claimed message, copied out of the session: the worker must not touch the database
    (lazy loads of expired attributes) while it talks to the mail server."""

    message_id: int
    #: The attempt's number: the row's ``attempts`` once it is handed over.
    number: int
    started_at: datetime
    recipient: str
    subject: str
    body: str
    calendar: str | None
    html: str | None

    @classmethod
    def of(cls, message: OutboxMessage, started_at: datetime) -> Attempt:
        return cls(
            message_id=message.id,
            number=message.attempts + 1,
            started_at=started_at,
            recipient=message.recipient,
            subject=message.subject,
            body=message.body_text,
            calendar=message.calendar_text,
            html=message.html_text,
        )

    def is_current(self) -> ColumnElement[bool]:
        """SQL: the row is still at this attempt (no later attempt, no reset since)."""
        return and_(
            OutboxMessage.id == self.message_id,
            OutboxMessage.attempts == self.number,
            OutboxMessage.last_attempt_at == self.started_at,
        )


@dataclass(frozen=True)
class Outcome:
    """The values to write for an attempt once the database takes them."""

    attempt: Attempt
    values: dict[str, Any]


def undone(attempt: Attempt) -> Outcome:
    """The hand-over may have been committed, but nothing was handed over: undo it."""
    values = {"status": OutboxStatus.PENDING, "failure": None, "attempts": attempt.number - 1}
    return Outcome(attempt, values)


@dataclass
class DeliveryJournal:
    """Outcomes the database has not confirmed yet, oldest first (one worker's memory).

    A worker that keeps its journal across database outages (``worker.run_delivery_loop``)
    loses no outcome. A process that ends with outcomes in its journal leaves those messages
    "sending": see ``services.recover_interrupted_attempts``.
    """

    pending: deque[Outcome] = field(default_factory=deque)

    def record(self, outcome: Outcome) -> None:
        """Write ``outcome`` (after any older one).

        :raise SQLAlchemyError: the database failed; the outcome stays in the journal.
        """
        self.pending.append(outcome)
        self.flush()

    def keep(self, outcome: Outcome) -> None:
        """Remember ``outcome`` without writing it now (the database just failed)."""
        self.pending.append(outcome)

    def flush(self) -> None:
        """Write every outcome still in the journal, one commit each.

        :raise SQLAlchemyError: the database failed; the unwritten outcomes stay.
        """
        while self.pending:
            _write(self.pending[0])
            self.pending.popleft()


def _write(outcome: Outcome) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(outcome.attempt.is_current(), OutboxMessage.status != OutboxStatus.SENT)
        .values(**outcome.values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def claim_next_due(now: datetime) -> OutboxMessage | None:
    """Lock the oldest due message, in a transaction left open (None: nothing is due).

    Other workers skip the locked row (PostgreSQL SKIP LOCKED; SQLite has a single worker).
    """
    message = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if message is None:
        db.session.rollback()
    return message


def mark_sending(message: OutboxMessage, attempt: Attempt, journal: DeliveryJournal) -> None:
    """Commit that the claimed ``message`` is being handed over (it may be at the server).

    :raise SQLAlchemyError: the database failed: hand nothing over. If the commit may have
        gone through, its undoing is kept in ``journal``.
    """
    message.status = OutboxStatus.SENDING
    message.attempts = attempt.number
    message.last_attempt_at = attempt.started_at
    try:
        db.session.commit()
    except SQLAlchemyError:
        journal.keep(undone(attempt))
        raise


def record_on_claimed_row(message: OutboxMessage, attempt: Attempt, values: dict) -> None:
    """Write the outcome of an attempt that ended before its hand-over, on the row it holds.

    :raise SQLAlchemyError: the database failed; nothing is recorded, and the message, still
        pending and never handed over, is simply tried again later.
    """
    message.attempts = attempt.number
    message.last_attempt_at = attempt.started_at
    for name, value in values.items():
        setattr(message, name, value)
    db.session.commit()
