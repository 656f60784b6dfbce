"""Invitations and password links: e-mailed through the outbox, single use, expiring."""

from __future__ import annotations

import re

from sqlalchemy import select

from coordination.auth.passwords import verify_password
from coordination.db import db
from coordination.notifications.models import OutboxMessage
from coordination.users.models import User
from tests import factories
from tests.conftest import sign_in

NEW_PASSWORD = "a long and private passphrase"


def link_path(message: OutboxMessage) -> str:
    url = re.search(r"https?://\S+/account/setup/\S+", message.body_text).group(0)
    return url.split("localhost", 1)[1]


def create_invited(client, agency_code: str) -> User:
    response = client.post(
        "/admin/users/new",
        data={"email": "new.rep@example.org", "full_name": "Nieuwe Collega",
              "role": "agency_rep", "agency": agency_code, "locale": "nl",
              "send_invitation": "y", "password": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.data
    return db.session.scalar(select(User).filter_by(email="new.rep@example.org"))


def test_invitation_lets_the_person_choose_a_password_once(app, login_as):
    secretariat = factories.user(factories.Role.SECRETARIAT)
    agency = factories.agency("FEDPOL")
    db.session.commit()
    user = create_invited(login_as(secretariat), "FEDPOL")
    message = db.session.scalar(select(OutboxMessage).filter_by(recipient=user.email))
    assert message is not None
    assert "Uw account" in message.subject  # in the invitee's language (Dutch)
    path = link_path(message)

    anonymous = app.test_client()
    assert anonymous.get(path).status_code == 200
    assert anonymous.get(path).headers["Referrer-Policy"] == "no-referrer"
    response = anonymous.post(
        path, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert anonymous.get("/").status_code == 200  # logged in
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert user.agency_id == agency.id

    # Single use: the same link no longer works.
    again = app.test_client().get(path)
    assert again.status_code == 404
    assert b"This link no longer works" in again.data


def test_invited_account_cannot_log_in_before_choosing_a_password(app, login_as):
    secretariat = factories.user(factories.Role.SECRETARIAT)
    factories.agency("FEDPOL")
    db.session.commit()
    create_invited(login_as(secretariat), "FEDPOL")
    response = app.test_client().post(
        "/login", data={"email": "new.rep@example.org", "password": ""}
    )
    assert response.status_code == 400


def test_tampered_or_foreign_tokens_are_refused(app):
    for token in ("garbage", "eyJ1c2VyIjoxfQ.forged.signature", "x" * 500):
        assert app.test_client().get(f"/account/setup/{token}").status_code == 404


def test_weak_password_is_refused_on_the_setup_page(app, login_as):
    secretariat = factories.user(factories.Role.SECRETARIAT)
    factories.agency("FEDPOL")
    db.session.commit()
    user = create_invited(login_as(secretariat), "FEDPOL")
    message = db.session.scalar(select(OutboxMessage).filter_by(recipient=user.email))
    response = app.test_client().post(
        link_path(message), data={"new_password": "short", "confirm_password": "short"}
    )
    assert response.status_code == 400
    assert b"12" in response.data


def test_password_link_for_an_existing_account(app, login_as):
    secretariat = factories.user(factories.Role.SECRETARIAT)
    rep = factories.user()
    db.session.commit()
    response = login_as(secretariat).post(f"/admin/users/{rep.id}/password-link")
    assert response.status_code == 302
    message = db.session.scalar(select(OutboxMessage).filter_by(recipient=rep.email))
    assert "new password" in message.subject
    # The old password keeps working until the link is used.
    db.session.refresh(rep)
    assert verify_password(rep.password_hash, factories.PASSWORD)


def test_new_account_needs_an_invitation_or_a_password(app, login_as):
    secretariat = factories.user(factories.Role.SECRETARIAT)
    factories.agency("FEDPOL")
    db.session.commit()
    response = login_as(secretariat).post(
        "/admin/users/new",
        data={"email": "x@example.org", "full_name": "X", "role": "agency_rep",
              "agency": "FEDPOL", "locale": "", "password": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert b"Send an invitation or set an initial password." in response.data


def test_account_management_needs_a_recent_password(app, client):
    """Changing someone's e-mail or sending a password link could hand over an account."""
    secretariat = factories.user(factories.Role.SECRETARIAT)
    rep = factories.user()
    db.session.commit()
    sign_in(client, secretariat)
    with client.session_transaction() as session:
        session["authenticated_at"] = 0
    for method, url in [
        ("GET", "/admin/users/new"),
        ("POST", f"/admin/users/{rep.id}/edit"),
        ("POST", f"/admin/users/{rep.id}/password-link"),
    ]:
        response = client.open(url, method=method)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/reauthenticate")
