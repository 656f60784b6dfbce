"""Two-step sign-in: required for the secretariat, available to everyone; codes work once,
recovery codes once each, wrong codes are throttled; the command line resets a lost phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from coordination.auth import second_factor
from coordination.auth.models import RecoveryCode, SecondFactor
from coordination.auth.throttle import SECOND_FACTOR
from coordination.db import db
from tests import factories


def login(client, email, password=factories.PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def enrolled(user) -> pyotp.TOTP:
    """The user's authenticator app, set up and confirmed."""
    secret = pyotp.random_base32()
    db.session.add(SecondFactor(user_id=user.id, secret=secret, confirmed_at=datetime.now(UTC)))
    db.session.commit()
    return pyotp.TOTP(secret)


@pytest.fixture
def secretariat(app):
    user = factories.user(factories.Role.SECRETARIAT, email="sec@example.org")
    db.session.commit()
    return user


@pytest.fixture
def rep(app):
    user = factories.user(email="rep@example.org")
    db.session.commit()
    return user


def test_the_secretariat_must_set_up_the_app_before_signing_in(client, secretariat):
    response = login(client, "sec@example.org")
    assert response.headers["Location"] == "/login/enrol"
    assert client.get("/").status_code == 302  # not signed in yet
    page = client.get("/login/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # the QR code, drawn here
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.get_data(as_text=True))
    assert len(codes) == second_factor.RECOVERY_CODES
    assert client.get("/").status_code == 200  # signed in
    stored = db.session.scalars(db.select(RecoveryCode.code_hash)).all()
    assert not set(codes) & set(stored)  # only hashes are kept


def test_a_wrong_first_code_does_not_turn_it_on(client, secretariat):
    login(client, "sec@example.org")
    client.get("/login/enrol")
    response = client.post("/login/enrol", data={"code": "000000"})
    assert response.status_code == 400
    assert "This code is not right" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_user_with_the_app_types_its_code_after_the_password(client, rep):
    app = enrolled(rep)
    response = login(client, "rep@example.org")
    assert response.headers["Location"] == "/login/code"
    assert client.get("/").status_code == 302
    wrong = client.post("/login/code", data={"code": "123456"})
    assert "This code is not right" in wrong.get_data(as_text=True)
    assert client.post("/login/code", data={"code": app.now()}).status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_works_once(app, client, rep):
    totp = enrolled(rep)
    code = totp.now()
    login(client, "rep@example.org")
    assert client.post("/login/code", data={"code": code}).status_code == 302
    again = app.test_client()
    login(again, "rep@example.org")
    assert again.post("/login/code", data={"code": code}).status_code == 200  # refused
    assert again.get("/").status_code == 302


def test_a_recovery_code_works_once(app, client, rep):
    enrolled(rep)
    [code] = second_factor.new_recovery_codes(rep)[:1]
    db.session.commit()
    login(client, "rep@example.org")
    assert client.post("/login/code", data={"code": code.upper()}).status_code == 302
    again = app.test_client()
    login(again, "rep@example.org")
    assert again.post("/login/code", data={"code": code}).status_code == 200


def test_wrong_codes_are_throttled(client, rep):
    enrolled(rep)
    login(client, "rep@example.org")
    for _ in range(SECOND_FACTOR.free + 1):
        client.post("/login/code", data={"code": "000000"})
    blocked = client.post("/login/code", data={"code": "000000"})
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers


def test_the_password_step_expires(client, rep, monkeypatch):
    totp = enrolled(rep)
    login(client, "rep@example.org")
    later = datetime.now(UTC) + timedelta(minutes=11)
    monkeypatch.setattr("coordination.auth.signing_in.utcnow", lambda: later)
    response = client.post("/login/code", data={"code": totp.now()})
    assert response.headers["Location"] == "/login"


def test_the_code_page_is_nothing_without_the_password_step(client, rep):
    enrolled(rep)
    assert client.get("/login/code").headers["Location"] == "/login"


def test_anyone_may_turn_it_on_from_the_account_page(client, login_as, rep):
    login_as(rep)
    page = client.get("/account/two-step").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.post("/account/two-step", data={"code": pyotp.TOTP(secret).now()})
    assert "Two-step sign-in is on." in response.get_data(as_text=True)
    assert second_factor.confirmed_factor(rep) is not None
    assert client.post("/account/two-step/off").status_code == 303
    assert second_factor.confirmed_factor(rep) is None


def test_the_secretariat_cannot_turn_it_off(client, login_as, secretariat):
    enrolled(secretariat)
    login_as(secretariat)
    client.post("/account/two-step/off")
    assert second_factor.confirmed_factor(secretariat) is not None


def test_the_command_line_resets_a_lost_phone(app, client, runner, rep):
    enrolled(rep)
    login(client, "rep@example.org")
    result = runner.invoke(args=["users", "reset-2fa", "rep@example.org"])
    assert result.exit_code == 0, result.output
    assert "reset" in result.output
    db.session.expire_all()
    assert second_factor.confirmed_factor(rep) is None
    assert runner.invoke(args=["users", "reset-2fa", "nobody@example.org"]).exit_code == 2
