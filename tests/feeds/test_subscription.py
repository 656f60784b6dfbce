"""The Calendar subscription page, the secretariat's list, and the partials for other pages."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import render_template

from coordination.audit.models import AuditEvent
from coordination.db import db
from coordination.feeds.models import FeedToken
from coordination.feeds.services import get_feed_token, looks_like_token
from tests.conftest import make_app, sign_in
from tests.feeds.conftest import issue
from tests.feeds.parsers import parse_everywhere

URL = re.compile(r'value="(http://localhost/feeds/([A-Za-z0-9_-]{43})\.ics)"')
CONFIRM_REGENERATE = {"regenerate-confirm": "y", "regenerate-submit": "Create a new address"}
CONFIRM_REVOKE = {"revoke-confirm": "y", "revoke-submit": "Stop my calendar address"}


def shown_token(response) -> str:
    match = URL.search(response.data.decode())
    assert match, "the new address is shown"
    return match.group(2)


def test_page_without_address(login_as, world):
    client = login_as(world["rep_both"])
    response = client.get("/account/calendar")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]
    page = response.data.decode()
    assert "Create my calendar address" in page
    assert "/feeds/" not in page
    for client_name in ("Outlook for Windows", "Outlook on the web", "Google Calendar",
                        "Apple Calendar", "Thunderbird"):  # fmt: skip
        assert client_name in page


def test_creating_shows_the_addresses_once(login_as, world, meetings):
    client = login_as(world["rep_bureau"])
    created = client.post("/account/calendar")
    assert created.status_code == 200
    assert created.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in created.headers["Cache-Control"]
    page = created.data.decode()
    token = shown_token(created)
    assert looks_like_token(token)
    assert f'value="webcal://localhost/feeds/{token}.ics"' in page
    assert f'value="http://localhost/feeds/{token}/bureau.ics"' in page
    assert f"/feeds/{token}/platform.ics" not in page  # the bureau rep never sat there
    assert 'src="data:image/svg+xml' in page
    assert "shown only this once" in page
    assert "js/copy.js" in page
    # The address works, fetched like a calendar client would.
    feed = client.get(f"/feeds/{token}.ics")
    assert feed.status_code == 200
    assert parse_everywhere(feed.data)
    # It is never shown again.
    later = client.get("/account/calendar").data.decode()
    assert token not in later
    assert "cannot be shown again" in later


def test_regenerating_needs_a_confirmation(login_as, world):
    user = world["rep_both"]
    old = issue(user)
    client = login_as(user)
    refused = client.post("/account/calendar", data={"regenerate-submit": "x"})
    assert refused.status_code == 400
    assert "Please confirm that the current address may stop." in refused.data.decode()
    assert client.get(f"/feeds/{old}.ics").status_code == 200
    accepted = client.post("/account/calendar", data=CONFIRM_REGENERATE)
    assert accepted.status_code == 200
    new = shown_token(accepted)
    assert new != old
    # The box ticked to replace the old address does not come back ticked under the new one.
    box = re.search(r'<input[^>]*id="regenerate-confirm"[^>]*>', accepted.data.decode()).group(0)
    assert "checked" not in box
    assert client.get(f"/feeds/{old}.ics").status_code == 404
    assert client.get(f"/feeds/{new}.ics").status_code == 200
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["feed.create", "feed.regenerate"]


def test_revoking_needs_a_confirmation(login_as, world):
    user = world["rep_both"]
    token = issue(user)
    client = login_as(user)
    refused = client.post("/account/calendar/revoke", data={"revoke-submit": "x"})
    assert refused.status_code == 400
    assert "Please confirm that the address may stop." in refused.data.decode()
    assert client.get(f"/feeds/{token}.ics").status_code == 200
    response = client.post("/account/calendar/revoke", data=CONFIRM_REVOKE)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/calendar"
    assert client.get(f"/feeds/{token}.ics").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(FeedToken.id))) == 0
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="feed.revoke"))
    assert event.actor_id == user.id
    assert event.object_id == user.id
    again = client.post("/account/calendar/revoke", data=CONFIRM_REVOKE, follow_redirects=True)
    assert "You have no calendar address." in again.data.decode()


def test_posts_need_a_csrf_token(database_url, app, world):
    user = world["rep_both"]
    issue(user)
    protected = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    sign_in(client, user)
    assert client.post("/account/calendar", data=CONFIRM_REGENERATE).status_code == 400
    assert client.post("/account/calendar/revoke", data=CONFIRM_REVOKE).status_code == 400
    db.session.expire_all()
    assert get_feed_token(user) is not None


def test_anonymous_is_sent_to_login(client):
    response = client.get("/account/calendar")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.post("/account/calendar").status_code == 302


def test_account_page_links_to_the_subscription(login_as, world):
    page = login_as(world["rep_platform"]).get("/account").data.decode()
    assert 'href="/account/calendar"' in page
    assert "Calendar subscription" in page


def test_home_prompt_until_the_user_has_an_address(login_as, world):
    user = world["rep_platform"]
    client = login_as(user)
    assert 'href="/account/calendar"' in client.get("/").data.decode()
    issue(user)
    assert "Set up my calendar subscription" not in client.get("/").data.decode()


def test_meeting_section_partial(app, world, meetings):
    with app.test_request_context():
        html = render_template("feeds/_meeting_section.html", meeting=meetings["bureau"])
    assert f'href="/meetings/{meetings["bureau"].id}.ics"' in html
    assert "Add to my calendar (.ics)" in html


@pytest.mark.parametrize(
    ("language", "heading", "step"),
    [
        ("nl", "Agenda-abonnement", "Van internet"),
        ("fr", "Abonnement au calendrier", "À partir d'Internet"),
    ],
)
def test_page_speaks_dutch_and_french(login_as, world, language, heading, step):
    user = world["rep_both"]
    user.locale = language
    db.session.commit()
    page = login_as(user).get("/account/calendar").data.decode()
    assert f"<h1>{heading}</h1>" in page
    assert step in page.replace("&#39;", "'")


# --- secretariat ----------------------------------------------------------------------------


def test_secretariat_lists_and_revokes_addresses(login_as, world):
    token = issue(world["rep_both"])
    issue(world["minister"])
    client = login_as(world["secretariat"])
    page = client.get("/admin/feeds/").data.decode()
    assert "both@example.org" in page
    assert "minister@example.org" in page
    assert token not in page
    response = client.post(f"/admin/feeds/{world['rep_both'].id}/revoke")
    assert response.status_code == 302
    assert client.get(f"/feeds/{token}.ics").status_code == 404
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="feed.revoke"))
    assert event.actor_id == world["secretariat"].id
    assert event.object_id == world["rep_both"].id
    followed = client.post(f"/admin/feeds/{world['rep_both'].id}/revoke", follow_redirects=True)
    assert "has no calendar address" in followed.data.decode()


@pytest.mark.parametrize("role", ["rep_both", "minister", "rapporteur"])
def test_only_the_secretariat_revokes_other_addresses(login_as, world, role):
    token = issue(world["rep_bureau"])
    client = login_as(world[role])
    assert client.get("/admin/feeds/").status_code == 403
    assert client.post(f"/admin/feeds/{world['rep_bureau'].id}/revoke").status_code == 403
    assert client.get(f"/feeds/{token}.ics").status_code == 200


def test_revoking_for_an_unknown_account_is_404(login_as, world):
    client = login_as(world["secretariat"])
    assert client.post("/admin/feeds/999999/revoke").status_code == 404
