"""Mail transports (real SMTP, or the console in development) and what their errors mean."""

from __future__ import annotations

import re
import smtplib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any, Protocol


class Mailer(Protocol):
    #: The From address; its domain also names the Message-IDs.
    sender: str

    def send(self, message: EmailMessage, *, before_data: Callable[[], None] | None = None) -> None:
        """Send one message (see :func:`compose`); raise on any error.

        ``before_data`` is called once the server has accepted the envelope and before the
        message itself is handed over; if it raises, nothing is handed over and its exception
        propagates.
        """
        ...


def compose(
    sender: str,
    recipient: str,
    subject: str,
    body: str,
    message_id: str,
    *,
    calendar: str | None = None,
    html: str | None = None,
) -> EmailMessage:
    """The message an outbox row stands for, with the headers every transport sends.

    An ``html`` body goes as the text's ``text/html`` alternative (before the calendar: a
    client shows the last alternative it understands, and a calendar is shown as such).

    A ``calendar`` (an iTIP message) goes as the text's ``text/calendar`` alternative with its
    method as a parameter (RFC 6047 §2.4), which mail clients turn into "accept / decline";
    the method is read from the message itself, so that the two always agree.
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if calendar is not None:
        method = _ITIP_METHOD.search(calendar)
        params = {"method": method.group(1)} if method else {}
        message.add_alternative(calendar, subtype="calendar", params=params)
    return message


_ITIP_METHOD = re.compile(r"^METHOD:([A-Z-]+)\r?$", re.MULTILINE)


class _SMTPWithHandOver(smtplib.SMTP):
    """smtplib's client, calling ``before_data`` between the accepted envelope and DATA.

    ``sendmail`` sends MAIL FROM and RCPT TO (raising on a refusal), then calls ``data``: the
    last moment at which the server certainly has nothing of the message.
    """

    def __init__(
        self, host: str, port: int, *, timeout: float, before_data: Callable[[], None] | None
    ) -> None:
        self._before_data = before_data
        super().__init__(host, port, timeout=timeout)

    def data(self, msg: Any) -> tuple[int, bytes]:
        if self._before_data is not None:
            self._before_data()
        return super().data(msg)


@dataclass
class SMTPMailer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    timeout: float = 15.0

    def send(self, message: EmailMessage, *, before_data: Callable[[], None] | None = None) -> None:
        """Send one message; raises on any SMTP or network error (see :func:`classify_failure`)."""
        with _SMTPWithHandOver(
            self.host, self.port, timeout=self.timeout, before_data=before_data
        ) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


@dataclass
class ConsoleMailer:
    """Development transport: prints the message instead of sending it."""

    sender: str

    def send(self, message: EmailMessage, *, before_data: Callable[[], None] | None = None) -> None:
        if before_data is not None:
            before_data()
        # Decoded, so that a developer can follow the links (the wire form may be encoded).
        text = message.get_body(("plain",))
        body = text.get_content() if text is not None else ""
        print(
            f"--- e-mail {message['Message-ID']}\nFrom: {message['From']}\nTo: {message['To']}\n"
            f"Subject: {message['Subject']}\n\n{body}\n---",
            file=sys.stderr,
            flush=True,
        )


def mailer_from_config(config: dict) -> Mailer:
    if config.get("MAIL_BACKEND") == "console":
        return ConsoleMailer(sender=config["MAIL_FROM"])
    use_tls = config.get("MAIL_USE_TLS")
    if isinstance(use_tls, str):
        use_tls = use_tls.strip().lower() in {"1", "true", "yes", "on"}
    return SMTPMailer(
        host=config["MAIL_SERVER"],
        port=int(config["MAIL_PORT"]),
        sender=config["MAIL_FROM"],
        username=config.get("MAIL_USERNAME"),
        password=config.get("MAIL_PASSWORD"),
        use_tls=bool(use_tls),
    )


def message_id_for(outbox_id: int, domain: str = "coordination.local") -> str:
    """A stable Message-ID per outbox row, so a re-sent message is recognisable as the same."""
    return f"<outbox-{outbox_id}@{domain}>"


# --- what a failure means --------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryFailure:
    #: True when trying again cannot help: the server refused this message for good.
    permanent: bool
    #: The server's reply ("550 5.1.1 No such user"), or the error, for ``last_error``.
    detail: str


#: Refusals of the message's own transaction: its sender, its recipient, its content. Replies
#: to the connection (greeting, EHLO, STARTTLS, AUTH) would be the same for every message: a
#: wrong password or a server in maintenance must not fail the whole outbox at once.
_MESSAGE_REFUSALS = (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def classify_failure(error: Exception) -> DeliveryFailure:
    """Permanent (a 5xx reply to the message) or temporary (4xx, network, anything else).

    RFC 5321 4.2.1: a 5yz reply is a permanent negative completion (do not repeat the same
    request), a 4yz reply a transient one (try again later).
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        # One recipient per message: its reply is the message's reply.
        code, text = next(iter(error.recipients.values()))
        return DeliveryFailure(permanent=_is_permanent(code), detail=_reply(code, text))
    if isinstance(error, _MESSAGE_REFUSALS):
        code = error.smtp_code
        return DeliveryFailure(permanent=_is_permanent(code), detail=_reply(code, error.smtp_error))
    if isinstance(error, smtplib.SMTPResponseException):
        reply = _reply(error.smtp_code, error.smtp_error)
        return DeliveryFailure(permanent=False, detail=f"{type(error).__name__}: {reply}")
    return DeliveryFailure(permanent=False, detail=f"{type(error).__name__}: {error}")


def _is_permanent(code: int) -> bool:
    return 500 <= code < 600


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {text}".strip()
