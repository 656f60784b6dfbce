"""Rate limits shared by several processes through Redis (the production setting)."""

from __future__ import annotations

import os
import secrets
import uuid

import pytest

from coordination.db import db
from tests import factories
from tests.conftest import IN_CI, make_app, sign_in

REDIS_URL = os.environ.get("COORDINATION_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def test_two_processes_share_the_reauthentication_limit(database_url, app):
    """Confirming a password is limited per client address, across every worker."""
    if not redis_available():
        if IN_CI:
            pytest.fail(f"Redis is required in CI at {REDIS_URL}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    # Redis outlives the test: a client address of our own keeps this run's counters apart
    # from other runs and from the other database backend.
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    user = factories.user(email=f"target-{uuid.uuid4().hex[:12]}@example.org")
    db.session.commit()
    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL}
    first = sign_in(make_app(database_url, **settings).test_client(), user)
    second = sign_in(make_app(database_url, **settings).test_client(), user)
    statuses = []
    for attempt in range(12):
        client = first if attempt % 2 == 0 else second
        response = client.post(
            "/reauthenticate",
            data={"password": "wrong guess again"},
            environ_base={"REMOTE_ADDR": address},
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]
