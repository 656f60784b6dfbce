"""Logging in and out."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from coordination.audit.models import AuditEvent
from coordination.auth.services import authenticate
from coordination.db import db, utcnow
from coordination.users.models import User
from tests import factories
from tests.conftest import make_app

GENERIC_ERROR = b"The e-mail address or password is not correct."


@pytest.fixture
def rep(app):
    user = factories.user(email="Rep@Example.org")
    db.session.commit()
    return user


def login(client, email, password, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_login_page_is_served(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b'name="email"' in response.data
    assert b'name="password"' in response.data


def test_login_success_redirects_home_and_is_case_insensitive(client, rep):
    response = login(client, "  REP@example.ORG ", factories.PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="auth.login")) is not None


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("rep@example.org", "wrong password entirely"),
        ("nobody@example.org", factories.PASSWORD),
        ("", ""),
    ],
)
def test_failed_login_gives_one_generic_message(client, rep, email, password):
    response = login(client, email, password)
    assert response.status_code in (200, 400)
    if email:
        assert GENERIC_ERROR in response.data
    assert client.get("/").status_code == 302  # still anonymous


def test_failed_login_is_audited(client, rep):
    login(client, "rep@example.org", "wrong password entirely")
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="auth.login_failed"))
    assert event is not None
    assert event.changes == {"reason": "password"}


def test_deactivated_account_cannot_log_in(client, rep):
    rep.active = False
    db.session.commit()
    response = login(client, "rep@example.org", factories.PASSWORD)
    assert GENERIC_ERROR in response.data
    assert client.get("/").status_code == 302


def test_deactivation_ends_an_open_session(client, rep):
    login(client, "rep@example.org", factories.PASSWORD)
    assert client.get("/").status_code == 200
    from coordination.users.services import deactivate_user

    deactivate_user(rep, actor=None)
    db.session.commit()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/%0d%0aSet-Cookie:x",
        " //evil.example",
        "\t//evil.example",
    ],
)
def test_next_only_redirects_to_local_paths(client, rep, target):
    response = login(client, "rep@example.org", factories.PASSWORD, next=target)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/")
    assert not location.startswith("//")
    assert "evil" not in location or location.startswith("/%")


def test_next_local_path_is_followed(client, rep):
    response = login(client, "rep@example.org", factories.PASSWORD, next="/account")
    assert response.headers["Location"] == "/account"


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_needs_post_and_ends_the_session(client, rep):
    login(client, "rep@example.org", factories.PASSWORD)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_post_without_csrf_token_is_rejected(database_url, app, rep):
    csrf_app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    response = login(client, "rep@example.org", factories.PASSWORD)
    assert response.status_code == 400
    assert b"form expired" in response.data
    assert client.get("/").status_code == 302


def test_post_with_csrf_token_is_accepted(database_url, app, rep):
    import re

    csrf_app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    page = client.get("/login").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = login(client, "rep@example.org", factories.PASSWORD, csrf_token=token)
    assert response.status_code == 302


def test_session_cookie_flags(database_url, app, rep):
    client = app.test_client()
    response = login(client, "rep@example.org", factories.PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    production = make_app(
        database_url, SESSION_COOKIE_SECURE=True, ENV_NAME="testing"
    ).test_client()
    cookie = login(production, "rep@example.org", factories.PASSWORD).headers["Set-Cookie"]
    assert "Secure" in cookie


def test_login_records_the_time_without_bumping_the_version(app, rep):
    version = rep.version
    assert authenticate("rep@example.org", factories.PASSWORD) is rep
    db.session.commit()
    db.session.refresh(rep)
    assert rep.last_login_at is not None
    assert rep.version == version


@pytest.mark.commits
def test_simultaneous_logins_of_one_account_do_not_conflict(app, rep):
    """Another worker logs the same account in between this login's read and its commit."""
    db.session.get(User, rep.id)  # this request has read the row (and its version)
    with db.engine.begin() as other_worker:
        other_worker.execute(
            update(User.__table__)
            .where(User.__table__.c.id == rep.id)
            .values(version=User.__table__.c.version + 1, last_login_at=utcnow())
        )
    assert authenticate("rep@example.org", factories.PASSWORD) is rep
    db.session.commit()  # used to raise StaleDataError: the version had moved on
