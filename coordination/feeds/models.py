"""FeedToken: the secret behind a user's personal calendar feed URL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.db import Model, intpk, utcnow
from coordination.users.models import User


class FeedToken(Model):
    """One calendar token per user; only its SHA-256 is stored.

    The URL carries a random token of 256 bits from ``secrets``. A copy of the database must
    not hand out working URLs, so the token itself is never stored: ``token_hash`` is its
    SHA-256. A fast, unsalted hash is right here (unlike passwords): the token has far too much
    entropy for a dictionary or brute-force attack on the hash, and a deterministic hash lets
    the database find the row through a unique index in one lookup. The price is that the full
    URL can be shown only once, when it is created; users regenerate it if they lose it.

    Revoking deletes the row (the audit log keeps the record); regenerating replaces the hash
    in place, so that the old URL stops working in the same statement.
    """

    __tablename__ = "feed_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: Hex SHA-256 of the token (never the token itself).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Last successful fetch; written at most once an hour to spare the database.
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    #: What each of the token's feeds last contained (see :class:`FeedState`).
    states: Mapped[list[FeedState]] = relationship(
        back_populates="feed_token", cascade="all, delete-orphan", passive_deletes=True
    )

    def state_of(self, scope: str) -> FeedState | None:
        return next((state for state in self.states if state.scope == scope), None)

    def __repr__(self) -> str:
        return f"<FeedToken of user {self.user_id}>"


#: The scope of a token's personal feed (a forum feed's scope is the forum's code).
PERSONAL_SCOPE = ""


class FeedState(Model):
    """What one feed of a token contained when last served, and since when: its
    ``Last-Modified``. One row per feed (the personal one and each forum's), so that a forum
    feed's date moves with that forum only."""

    __tablename__ = "feed_states"
    __table_args__ = (UniqueConstraint("feed_token_id", "scope"),)

    id: Mapped[intpk]
    feed_token_id: Mapped[int] = mapped_column(ForeignKey("feed_tokens.id", ondelete="CASCADE"))
    #: ``PERSONAL_SCOPE`` or a forum's code.
    scope: Mapped[str] = mapped_column(String(40))
    #: Fingerprint of the feed's content (see ``queries.content_fingerprints``).
    content_fingerprint: Mapped[str] = mapped_column(String(64))
    #: When that fingerprint was first served.
    content_changed_at: Mapped[datetime]

    feed_token: Mapped[FeedToken] = relationship(back_populates="states")
