"""OutboxMessage: an e-mail waiting to be sent (or sent, or given up on)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from coordination.db import Model, intpk, str255, str_enum, utcnow


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    #: Gave up after the maximum number of attempts; shown to the secretariat.
    FAILED = "failed"


class OutboxMessage(Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[intpk]
    recipient: Mapped[str255]
    subject: Mapped[str255]
    body_text: Mapped[str]
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    #: What caused the message, e.g. "meeting.cancel:42" (for the audit trail and tests).
    reason: Mapped[str | None] = mapped_column(String(80))
