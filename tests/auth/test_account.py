"""The user's own account: password and language."""

from __future__ import annotations

from coordination.auth.passwords import verify_password
from coordination.db import db
from tests import factories
from tests.conftest import sign_in


def test_change_password_needs_the_current_one(app, login_as):
    user = factories.user()
    db.session.commit()
    client = login_as(user)
    response = client.post(
        "/account/password",
        data={
            "current_password": "not my password",
            "new_password": "a brand new long passphrase",
            "confirm_password": "a brand new long passphrase",
        },
    )
    assert response.status_code == 400
    assert b"The current password is not correct." in response.data
    db.session.refresh(user)
    assert verify_password(user.password_hash, factories.PASSWORD)


def test_change_password_refuses_short_and_common_passwords(app, login_as):
    user = factories.user()
    db.session.commit()
    client = login_as(user)
    for weak, message in [
        ("short", b"at least 12 characters"),
        ("password1234", b"too common"),
    ]:
        response = client.post(
            "/account/password",
            data={
                "current_password": factories.PASSWORD,
                "new_password": weak,
                "confirm_password": weak,
            },
        )
        assert response.status_code == 400
        assert message in response.data


def test_change_password_works_and_keeps_this_session(app, login_as):
    user = factories.user()
    db.session.commit()
    client = login_as(user)
    response = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "a brand new long passphrase",
            "confirm_password": "a brand new long passphrase",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, "a brand new long passphrase")
    assert client.get("/account").status_code == 200


def test_password_change_requires_a_recent_login(app, client):
    user = factories.user()
    db.session.commit()
    sign_in(client, user)
    with client.session_transaction() as session:
        session["authenticated_at"] = 0  # long ago
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/reauthenticate")
    response = client.post(
        "/reauthenticate", data={"password": factories.PASSWORD, "next": "/account/password"}
    )
    assert response.headers["Location"] == "/account/password"
    assert client.get("/account/password").status_code == 200


def test_preferred_language_is_saved_and_used(app, login_as):
    user = factories.user()
    db.session.commit()
    client = login_as(user)
    client.post("/account/preferences", data={"locale": "fr"})
    db.session.refresh(user)
    assert user.locale == "fr"
    assert b'<html lang="fr">' in client.get("/account").data


def test_language_follows_the_browser_then_sticks_for_anonymous(client):
    page = client.get("/login", headers={"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"})
    assert b'<html lang="nl">' in page.data
    # Each language is a link written in its own language, on every page.
    for code in ("nl", "fr", "en"):
        assert f'lang="{code}" hreflang="{code}"'.encode() in page.data
    response = client.get("/language/fr?next=/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "nl-BE"})
    assert b'<html lang="fr">' in page.data
    assert b'hreflang="fr" aria-current="true"' in page.data


def test_the_language_links_remember_the_choice_for_the_account(app, login_as):
    user = factories.user()
    db.session.commit()
    client = login_as(user)
    client.get("/language/nl?next=/account")
    db.session.refresh(user)
    assert user.locale == "nl"


def test_a_language_link_never_leads_off_the_site(client):
    response = client.get("/language/fr?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_unknown_language_is_refused_with_a_message(client):
    response = client.get("/language/xx", follow_redirects=True)
    assert response.status_code == 200
    assert b"This language is not available." in response.data
