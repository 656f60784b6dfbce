"""Sessions end on the server: a copied cookie stops working at logout, after a password change,
a deactivation or the secretariat's "sign out everywhere"; users see and end their sessions."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from coordination.auth.models import UserSession
from coordination.db import db
from tests import factories
from tests.conftest import sign_in

PASSWORD = factories.PASSWORD


@pytest.fixture
def rep(app):
    user = factories.user(email="rep@example.org")
    db.session.commit()
    return user


def login(client: FlaskClient, email: str = "rep@example.org", password: str = PASSWORD, **env):
    return client.post("/login", data={"email": email, "password": password}, environ_base=env)


def copy_of(app, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie (a stolen cookie)."""
    thief = app.test_client()
    cookie = client.get_cookie("coordination_session")
    assert cookie is not None
    thief.set_cookie("coordination_session", cookie.value)
    return thief


def test_logout_ends_every_copy_of_the_session(app, client, rep):
    assert login(client).status_code == 302
    thief = copy_of(app, client)
    assert thief.get("/account").status_code == 200
    client.post("/logout")
    assert thief.get("/account").status_code == 302
    assert thief.get("/meetings/").status_code == 302


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, rep):
    login(client)
    elsewhere = app.test_client()
    login(elsewhere)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new sentence for 2026",
            "confirm_password": "a brand new sentence for 2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302


def test_deactivation_ends_every_session(app, client, rep):
    from coordination.users.services import deactivate_user

    login(client)
    thief = copy_of(app, client)
    deactivate_user(rep, actor=None)
    db.session.commit()
    assert client.get("/").status_code == 302
    assert thief.get("/").status_code == 302


def test_the_secretariat_signs_a_user_out_everywhere(app, client, rep):
    login(client)
    secretariat = sign_in(app.test_client(), factories.user(factories.Role.SECRETARIAT))
    response = secretariat.post(f"/admin/users/{rep.id}/sign-out")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_the_account_page_lists_the_sessions_and_ends_one(app, client, rep):
    login(client, HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Firefox/133.0")
    phone = app.test_client()
    login(phone, HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Version/18 Mobile Safari/604.1")
    page = client.get("/account").get_data(as_text=True)
    assert "Firefox on Windows" in page
    assert "Safari on iPhone" in page
    assert "this browser" in page
    phone_session = db.session.scalar(
        db.select(UserSession).where(UserSession.user_agent.like("%iPhone%"))
    )
    assert client.post(f"/account/sessions/{phone_session.id}/end").status_code == 303
    assert phone.get("/account").status_code == 302
    assert client.get("/account").status_code == 200


def test_sign_out_everywhere_else(app, client, rep):
    login(client)
    others = [app.test_client() for _ in range(2)]
    for other in others:
        login(other)
    assert client.post("/account/sessions/end-others").status_code == 303
    assert [other.get("/account").status_code for other in others] == [302, 302]
    assert client.get("/account").status_code == 200


def test_one_user_cannot_end_another_users_session(app, client, rep):
    victim = app.test_client()
    login(victim)
    victim_session = db.session.scalar(db.select(UserSession))
    sign_in(client, factories.user(email="other@example.org"))
    client.post(f"/account/sessions/{victim_session.id}/end")
    assert victim.get("/account").status_code == 200


def test_only_a_hash_of_the_session_secret_is_stored(app, client, rep):
    login(client)
    secret = client.get_cookie("coordination_session")
    stored = db.session.scalar(db.select(UserSession.token_hash))
    assert len(stored) == 64
    assert stored not in secret.value
