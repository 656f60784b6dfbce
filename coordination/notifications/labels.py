"""Why an e-mail failed, in the reader's language (never the stored code)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from coordination.notifications.models import OutboxFailure, OutboxMessage


def failure_label(message: OutboxMessage) -> str:
    if message.failure is OutboxFailure.REJECTED:
        return _("Refused by the mail server")
    if message.failure is OutboxFailure.UNCERTAIN:
        return _("Interrupted while being sent: it may have arrived")
    return ngettext(
        "Not delivered after %(num)d attempt", "Not delivered after %(num)d attempts",
        message.attempts,
    )  # fmt: skip
