"""Mail transports: real SMTP, or the console in development."""

from __future__ import annotations

import smtplib
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol


class Mailer(Protocol):
    #: The From address; its domain also names the Message-IDs.
    sender: str

    def send(self, recipient: str, subject: str, body: str, message_id: str) -> None: ...


@dataclass
class SMTPMailer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    timeout: float = 15.0

    def send(self, recipient: str, subject: str, body: str, message_id: str) -> None:
        """Send one message; raises on any SMTP or network error."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = recipient
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = message_id
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


@dataclass
class ConsoleMailer:
    """Development transport: prints the message instead of sending it."""

    sender: str

    def send(self, recipient: str, subject: str, body: str, message_id: str) -> None:
        print(
            f"--- e-mail {message_id}\nFrom: {self.sender}\nTo: {recipient}\n"
            f"Subject: {subject}\n\n{body}\n---",
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
