"""Calendar feed tokens: issue, replace, revoke, and remember when a feed was served."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from coordination.audit.services import record_event
from coordination.core.cache import remember_for
from coordination.core.errors import NotAllowed
from coordination.db import db, utcnow
from coordination.feeds.models import FeedState, FeedToken
from coordination.users.models import User

#: 32 random bytes = 256 bits (the issue asks for at least 128), 43 URL-safe characters.
TOKEN_BYTES = 32
_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
#: ``last_used_at`` is written at most this often: a feed is fetched every few minutes by some
#: clients, and a write per fetch would cost more than the information is worth.
LAST_USED_GRANULARITY = timedelta(hours=1)


def new_token() -> str:
    """A fresh random token from ``secrets``."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def looks_like_token(token: str) -> bool:
    """Whether ``token`` has the shape of one we issue (spares the database junk lookups)."""
    return bool(_TOKEN_PATTERN.fullmatch(token))


def hash_token(token: str) -> str:
    """Hex SHA-256 of a token: what the database keeps (see ``FeedToken``)."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def get_feed_token(user: User) -> FeedToken | None:
    """The user's token row, if they have a calendar address."""
    return db.session.scalar(select(FeedToken).where(FeedToken.user_id == user.id))


def issue_feed_token(user: User, *, actor: User | None, token: str | None = None) -> str:
    """Give the user a new calendar address; an existing one stops working at once.

    Returns the token: the only moment it exists outside the user's calendar clients.
    ``token`` is for the demo data only (a documented, public address); anything else gets a
    fresh random one.

    :raise NotAllowed: for a deactivated account.
    :raise ValueError: for a given ``token`` that does not have the shape of ours.
    """
    if not user.active:
        raise NotAllowed(_l("A deactivated account cannot have a calendar address."))
    if token is None:
        token = new_token()
    elif not looks_like_token(token):
        raise ValueError("a feed token is 43 URL-safe characters")
    feed_token = get_feed_token(user)
    if feed_token is None and _created(user, token):
        action = "feed.create"
    else:
        # An address exists, or a simultaneous request (a double click) made one in the
        # meantime: this request's address replaces it, the one its page shows.
        _replace(feed_token or get_feed_token(user), token)
        action = "feed.regenerate"
    db.session.flush()
    record_event(action, actor=actor, obj=user)
    return token


def _created(user: User, token: str) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(FeedToken(user_id=user.id, token_hash=hash_token(token)))
    except IntegrityError:
        return False
    return True


def _replace(feed_token: FeedToken | None, token: str) -> None:
    if feed_token is None:  # the row that refused ours is gone again: say so, change nothing
        raise NotAllowed(_l("The calendar address could not be created; please try again."))
    feed_token.token_hash = hash_token(token)
    feed_token.created_at = utcnow()
    feed_token.last_used_at = None
    feed_token.states.clear()  # the new address starts its own history


def revoke_feed_token(user: User, *, actor: User | None) -> bool:
    """Delete the user's calendar address; False when there was none."""
    feed_token = get_feed_token(user)
    if feed_token is None:
        return False
    db.session.delete(feed_token)
    db.session.flush()
    record_event("feed.revoke", actor=actor, obj=user)
    return True


def revoke_on_deactivation(user: User, *, actor: User | None = None, **_: object) -> None:
    """A deactivated account loses its calendar address for good: reactivating the account
    does not bring the old address back (it may have been shared while the account slept)."""
    revoke_feed_token(user, actor=actor)


def note_feed_served(
    feed_token: FeedToken, scope: str, fingerprint: str, now: datetime
) -> datetime:
    """Remember what one feed of the token contained and when the token was used; returns the
    feed's ``Last-Modified``.

    Last-Modified is the moment the content (as fingerprinted) was first served in its current
    form, per feed (``scope``: the personal feed or a forum's), so that a forum feed's date
    moves with that forum only. Timestamps of the rows alone would not do: an agency joining a
    forum makes old meetings appear, and a client that only sends If-Modified-Since would
    never see them. Nothing is written while the content stays the same. The token's states
    come loaded with it (``find_feed_token``).
    """
    state = feed_token.state_of(scope)
    if state is not None and state.content_fingerprint == fingerprint:
        changed_at = state.content_changed_at
    else:
        changed_at = now.replace(microsecond=0)
        # HTTP dates have whole seconds: a change must move Last-Modified by at least one.
        if state is not None and changed_at <= state.content_changed_at:
            changed_at = state.content_changed_at + timedelta(seconds=1)
        _remember_state(feed_token.id, scope, fingerprint, changed_at, known=state is not None)
    return changed_at


def note_token_used(token_hash: str, now: datetime) -> None:
    """Keep ``last_used_at`` to within an hour: a feed answered from the cache loads no token
    row, so the cache remembers that the last use was written (for an hour, for every
    worker); the UPDATE itself changes nothing when it was written less than an hour ago."""
    if not remember_for(f"feed-last-use:{token_hash}", LAST_USED_GRANULARITY):
        return
    # A plain UPDATE: a concurrent revocation simply leaves nothing to update. Bookkeeping:
    # no cache depends on it (core.versions).
    db.session.execute(
        update(FeedToken)
        .where(
            FeedToken.token_hash == token_hash,
            or_(
                FeedToken.last_used_at.is_(None),
                FeedToken.last_used_at <= now - LAST_USED_GRANULARITY,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False, bookkeeping=True)
    )


def _remember_state(
    feed_token_id: int, scope: str, fingerprint: str, changed_at: datetime, *, known: bool
) -> None:
    """Bookkeeping: a concurrent request that wrote the same first state, or a revocation in
    the meantime, leaves ours unwritten; the answer goes out all the same."""
    values = {"content_fingerprint": fingerprint, "content_changed_at": changed_at}
    if known:
        db.session.execute(
            update(FeedState)
            .where(FeedState.feed_token_id == feed_token_id, FeedState.scope == scope)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return
    try:
        with db.session.begin_nested():
            db.session.execute(
                insert(FeedState).values(feed_token_id=feed_token_id, scope=scope, **values)
            )
    except IntegrityError:
        pass
