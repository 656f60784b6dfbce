"""OutboxMessage: an e-mail waiting to be sent (or being sent, sent, or given up on).

Life cycle (``services.deliver_due_messages`` drives it)::

    pending --envelope accepted, just before DATA--> sending --250--> sent
       |                                                |--4xx, network error--> pending
       |                                                |--5xx, or last attempt--> failed
       |                                                +--worker died (lease over)--> failed
       |--4xx before DATA, network error--> pending (later, with back-off)
       +--5xx before DATA, or last attempt--> failed
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from coordination.db import Model, intpk, str255, str_enum, utcnow


class OutboxStatus(StrEnum):
    PENDING = "pending"
    #: Being handed to the mail server (committed just before DATA): it may be there already.
    SENDING = "sending"
    SENT = "sent"
    #: Not delivered and not tried again (``failure`` says why); shown to the secretariat.
    FAILED = "failed"


class OutboxFailure(StrEnum):
    """Why a message failed."""

    #: The mail server refused the message for good (a 5xx reply, kept in ``last_error``).
    REJECTED = "rejected"
    #: Temporary errors until the maximum number of attempts was reached.
    GAVE_UP = "gave_up"
    #: The worker stopped after handing the message over and before hearing the server's
    #: answer: it may have arrived. Not resent automatically, so that it never arrives twice.
    UNCERTAIN = "uncertain"


class OutboxMessage(Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        CheckConstraint("(status = 'failed') = (failure IS NOT NULL)", name="failure_when_failed"),
        CheckConstraint(
            "status <> 'sending' OR last_attempt_at IS NOT NULL", name="sending_has_started"
        ),
    )

    id: Mapped[intpk]
    recipient: Mapped[str255]
    subject: Mapped[str255]
    body_text: Mapped[str]
    #: An iTIP message (RFC 5546, e.g. a meeting's REQUEST or CANCEL) sent beside the text as
    #: its ``text/calendar`` alternative (RFC 6047), so that a mail client offers to accept it.
    calendar_text: Mapped[str | None]
    #: The same message as an HTML document (e.g. a convocation), its ``text/html``
    #: alternative; the text stays the message for clients that show no HTML.
    html_text: Mapped[str | None]
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The server's reply (or the network error) of the last failed attempt.
    last_error: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    #: What caused the message, e.g. "meeting.cancel:42" (for the audit trail and tests).
    reason: Mapped[str | None] = mapped_column(String(80))
    #: When the latest attempt started: with ``attempts`` it identifies that attempt (a worker
    #: records its outcome only if no other attempt started since), and a message still
    #: "sending" long after it has lost its worker (``services.SENDING_LEASE``).
    last_attempt_at: Mapped[datetime | None]
    failure: Mapped[OutboxFailure | None] = mapped_column(str_enum(OutboxFailure, "outbox_failure"))
