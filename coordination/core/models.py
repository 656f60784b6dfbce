"""Tables of the request machinery itself (no domain): the record of form submissions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from coordination.db import Model, utcnow


class FormSubmission(Model):
    """A form just submitted, so that the same submission sent again (a double click, a
    resend after a slow answer) is answered with the first one's result, not done twice."""

    __tablename__ = "form_submissions"

    #: SHA-256 of who sent what to which address (``core.once``).
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: Where the first submission led; None while it is being processed.
    redirect_to: Mapped[str | None] = mapped_column(String(2000))
