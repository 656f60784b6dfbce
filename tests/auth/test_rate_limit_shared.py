"""Login rate limits shared by several processes through Redis (production setting)."""

from __future__ import annotations

import os
import secrets
import uuid

import pytest

from coordination.db import db
from tests import factories
from tests.conftest import IN_CI, make_app

REDIS_URL = os.environ.get("COORDINATION_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def test_two_processes_share_the_login_limit(database_url, app):
    if not redis_available():
        if IN_CI:
            pytest.fail(f"Redis is required in CI at {REDIS_URL}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    # Redis outlives the test: an account and a client address of our own keep this run's
    # counters apart from other runs and from the other database backend.
    email = f"target-{uuid.uuid4().hex[:12]}@example.org"
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    factories.user(email=email)
    db.session.commit()
    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL}
    first = make_app(database_url, **settings).test_client()
    second = make_app(database_url, **settings).test_client()
    statuses = []
    for attempt in range(12):
        client = first if attempt % 2 == 0 else second
        response = client.post(
            "/login",
            data={"email": email, "password": "wrong guess again"},
            environ_base={"REMOTE_ADDR": address},
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]
