"""A real SMTP server on localhost (aiosmtpd) that keeps what it accepts and can refuse.

Stopping and starting it simulates a mail server outage; ``recipient_replies`` and
``data_reply`` make it answer like a real server that refuses a message, for a while (4xx) or
for good (5xx).
"""

from __future__ import annotations

import socket
import threading
from collections import Counter

from aiosmtpd.controller import Controller

from coordination.notifications.mailer import SMTPMailer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def header(text: str, name: str) -> str:
    """The value of the first header ``name`` of a raw message ("" without one)."""
    prefix = f"{name.lower()}:"
    for line in text.splitlines():
        if not line:
            break
        if line.lower().startswith(prefix):
            return line.split(":", 1)[1].strip()
    return ""


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts, or answers with a refusal."""

    def __init__(self) -> None:
        self.messages: list[dict[str, str]] = []
        self.lock = threading.Lock()
        #: Address -> the reply to its RCPT TO (e.g. "550 5.1.1 No such user here").
        self.recipient_replies: dict[str, str] = {}
        #: The reply to the end of DATA instead of accepting the message.
        self.data_reply: str | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.recipient_replies:
            return self.recipient_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply is not None:
            return self.data_reply
        text = envelope.content.decode("utf-8", errors="replace")
        with self.lock:
            self.messages.append(
                {"to": envelope.rcpt_tos[0], "id": header(text, "Message-ID"), "text": text}
            )
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [message["id"] for message in self.messages]

    def duplicates(self) -> dict[str, int]:
        """Message-IDs received more than once, with how often."""
        return {key: n for key, n in Counter(self.message_ids()).items() if n > 1}


class SMTPServer:
    """A real SMTP server on a free port of localhost; ``start()``/``stop()`` simulate an outage.

    A new aiosmtpd controller (and event loop) is made at each start, so that a server that
    was never started leaves no loop behind.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is None:
            controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
            controller.start()
            self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def mailer(self, timeout: float = 5) -> SMTPMailer:
        return SMTPMailer(host="127.0.0.1", port=self.port, sender="c@example.org", timeout=timeout)
