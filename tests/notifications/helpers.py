"""Helpers of the outbox tests."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import sqlalchemy as sa

from coordination.db import db
from coordination.notifications.services import enqueue_email


def queue(count: int) -> list[int]:
    """Commit ``count`` messages to the outbox; their ids."""
    ids = []
    for number in range(count):
        message = enqueue_email(f"rep{number}@example.org", f"Subject {number}", "Body\n")
        db.session.flush()
        ids.append(message.id)
    db.session.commit()
    return ids


def stop_when(condition: Callable[[], bool], *, at_most: int = 200) -> Callable[[], bool]:
    """``should_stop`` for the delivery loop: the condition holds, or ``at_most`` rounds ran."""
    rounds = 0

    def should_stop() -> bool:
        nonlocal rounds
        rounds += 1
        return condition() or rounds > at_most

    return should_stop


def message_ids(ids: list[int]) -> list[str]:
    """The Message-IDs of outbox rows as the test server's mailer names them."""
    return sorted(f"<outbox-{number}@example.org>" for number in ids)


class Interfering:
    """A mailer that runs callbacks around the real one: at the hand-over (after the server
    accepted the envelope, before DATA) and after the server accepted the message."""

    def __init__(
        self,
        mailer: Any,
        *,
        at_hand_over: Callable[[], None] | None = None,
        after_acceptance: Callable[[], None] | None = None,
    ) -> None:
        self.mailer = mailer
        self.sender = mailer.sender
        self.at_hand_over = at_hand_over
        self.after_acceptance = after_acceptance

    def send(self, message: EmailMessage, *, before_data: Callable[[], None] | None = None) -> None:
        def hand_over() -> None:
            if self.at_hand_over is not None:
                self.at_hand_over()
            if before_data is not None:
                before_data()

        # A mailer without hand-over (the code before the delivery journal) is called as before.
        extra = {"before_data": hand_over} if before_data is not None else {}
        self.mailer.send(message, **extra)
        if self.after_acceptance is not None:
            self.after_acceptance()


class Observer:
    """Looks at the outbox through a connection of its own: the application's may be broken."""

    def __init__(self, database_url: str) -> None:
        self.engine = sa.create_engine(database_url, pool_pre_ping=True)

    def unsent(self) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(
                sa.text("SELECT count(*) FROM outbox_messages WHERE status <> 'sent'")
            )

    def all_sent(self) -> bool:
        return self.unsent() == 0

    def close(self) -> None:
        self.engine.dispose()
