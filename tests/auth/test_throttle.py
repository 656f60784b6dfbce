"""Guessing passwords is slowed down where it happens, never the owner elsewhere or on a
device they used before; successful logins never count; the wait is told."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from coordination.auth import throttle
from coordination.auth.throttle import ACCOUNT, ADDRESS
from coordination.db import db
from tests import factories

ATTACKER = "10.66.0.1"
OWNER = "10.7.0.1"
WRONG = "wrong password entirely"


@pytest.fixture
def rep(app):
    user = factories.user(email="rep@example.org")
    db.session.commit()
    return user


def attempt(client: FlaskClient, password: str, ip: str, email: str = "rep@example.org"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_the_wait_grows_and_is_told(client, rep):
    statuses = [attempt(client, WRONG, ATTACKER).status_code for _ in range(ACCOUNT.free + 1)]
    assert statuses == [200] * (ACCOUNT.free + 1)
    blocked = attempt(client, WRONG, ATTACKER)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) >= 1
    assert re.search(r"Wait \d+ seconds? before trying again", blocked.get_data(as_text=True))
    # Even the right password waits its turn from there: nothing is checked while blocked.
    assert attempt(client, factories.PASSWORD, ATTACKER).status_code == 429


def test_each_failure_past_the_free_ones_doubles_the_wait():
    assert ACCOUNT.wait_after(ACCOUNT.free) == timedelta(0)
    waits = [ACCOUNT.wait_after(ACCOUNT.free + n) for n in range(1, 6)]
    assert waits == [timedelta(seconds=2 * 2**n) for n in range(5)]
    assert ACCOUNT.wait_after(1000) == ACCOUNT.longest_wait == timedelta(minutes=15)


def test_the_owner_elsewhere_gets_in_while_the_address_is_hammered(app, rep):
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(30):
        attempt(attacker, WRONG, ATTACKER)
    assert attempt(attacker, WRONG, ATTACKER).status_code == 429
    assert attempt(owner, factories.PASSWORD, OWNER).status_code == 302


def test_the_owner_on_a_known_device_gets_in_even_from_the_attackers_address(app, rep):
    owner = app.test_client()
    assert attempt(owner, factories.PASSWORD, ATTACKER).status_code == 302
    owner.post("/logout", environ_base={"REMOTE_ADDR": ATTACKER})
    attacker = app.test_client()
    for _ in range(ADDRESS.free + 5):
        attempt(attacker, WRONG, ATTACKER)
    assert attempt(attacker, factories.PASSWORD, ATTACKER).status_code == 429
    assert attempt(owner, factories.PASSWORD, ATTACKER).status_code == 302


def test_successful_logins_never_count(app, rep):
    client = app.test_client()
    for _ in range(ACCOUNT.free * 4):
        assert attempt(client, factories.PASSWORD, OWNER).status_code == 302
        client.post("/logout")


def test_a_successful_login_starts_the_count_afresh(client, rep):
    for _ in range(ACCOUNT.free):
        attempt(client, WRONG, OWNER)
    assert attempt(client, factories.PASSWORD, OWNER).status_code == 302
    client.post("/logout")
    statuses = [attempt(client, WRONG, OWNER).status_code for _ in range(ACCOUNT.free)]
    assert statuses == [200] * ACCOUNT.free


def test_one_address_guessing_many_accounts_is_slowed_down(app, rep, monkeypatch):
    # Unknown addresses cost a full password hash each (no timing hint): a smaller budget.
    monkeypatch.setattr(throttle, "ADDRESS", replace(ADDRESS, free=3))
    client = app.test_client()
    for number in range(3 + 1):
        attempt(client, WRONG, ATTACKER, email=f"user{number}@example.org")
    assert attempt(client, WRONG, ATTACKER, email="another@example.org").status_code == 429


def test_two_application_processes_share_the_count(database_url, app, rep):
    """Like two gunicorn workers: the count lives in the database, not in one process."""
    from tests.conftest import make_app

    first, second = make_app(database_url).test_client(), make_app(database_url).test_client()
    statuses = [
        attempt(first if number % 2 else second, WRONG, ATTACKER).status_code
        for number in range(ACCOUNT.free + 2)
    ]
    assert statuses[-1] == 429
