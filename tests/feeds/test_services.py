"""Feed token operations."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import sqlalchemy as sa

from coordination.audit.models import AuditEvent
from coordination.core.errors import NotAllowed
from coordination.db import db
from coordination.feeds.models import FeedToken
from coordination.feeds.queries import find_feed_token, window_start
from coordination.feeds.services import (
    TOKEN_BYTES,
    get_feed_token,
    hash_token,
    issue_feed_token,
    looks_like_token,
    new_token,
    revoke_feed_token,
)
from coordination.users.services import deactivate_user
from tests import factories


def test_tokens_are_random_url_safe_and_long_enough():
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert TOKEN_BYTES * 8 >= 128
    assert all(looks_like_token(token) and len(token) == 43 for token in tokens)


def test_hash_is_sha256_hex():
    token = new_token()
    assert hash_token(token) == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize("junk", ["", "x" * 42, "x" * 44, "a" * 42 + "/", "é" * 43, "a" * 42 + "."])
def test_malformed_tokens_never_reach_the_database(app, junk):
    assert not looks_like_token(junk)
    assert find_feed_token(junk) is None


def test_issue_regenerate_revoke(app):
    user = factories.user()
    first = issue_feed_token(user, actor=user)
    row = get_feed_token(user)
    assert row.token_hash == hash_token(first)
    second = issue_feed_token(user, actor=user)
    assert second != first
    assert db.session.scalar(sa.select(sa.func.count(FeedToken.id))) == 1
    assert get_feed_token(user).token_hash == hash_token(second)
    assert find_feed_token(first) is None
    assert find_feed_token(second).user_id == user.id
    assert revoke_feed_token(user, actor=None) is True
    assert revoke_feed_token(user, actor=None) is False
    assert find_feed_token(second) is None
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.action.like("feed.%")).order_by(AuditEvent.id)
    ).all()
    assert actions == ["feed.create", "feed.regenerate", "feed.revoke"]


def test_deactivated_accounts_get_no_token(app):
    user = factories.user()
    token = issue_feed_token(user, actor=None)
    deactivate_user(user, actor=None)
    db.session.flush()
    assert find_feed_token(token) is None
    with pytest.raises(NotAllowed):
        issue_feed_token(user, actor=None)


def test_deleting_a_user_deletes_the_token(app):
    user = factories.user()
    issue_feed_token(user, actor=None)
    db.session.commit()
    db.session.execute(sa.delete(AuditEvent))
    db.session.delete(user)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(FeedToken.id))) == 0


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 11, 25), date(2025, 11, 25)),
        (date(2028, 2, 29), date(2027, 2, 28)),
        (date(2027, 1, 1), date(2026, 1, 1)),
    ],
)
def test_window_is_twelve_months_back(today, start):
    assert window_start(today) == start
