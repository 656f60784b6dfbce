"""Error pages, security headers and hostile URLs."""

from __future__ import annotations

import pytest

from coordination.db import db
from tests import factories


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Page not found" in response.data


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users/99999999999999999999999/edit",
        "/admin/users/-1/edit",
        "/admin/users/0/edit",
        "/agencies/forums/2147483648",
        "/admin/users/abc/edit",
    ],
)
def test_hostile_ids_are_404_not_500(app, login_as, url):
    user = factories.user(role=factories.Role.SECRETARIAT)
    db.session.commit()
    assert login_as(user).get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "object_id=abc",
        "object_id=99999999999999999999",
        "action=" + "x" * 5000,
        "actor=%00%00",
        "page=-5",
        "page=abc",
    ],
)
def test_audit_filters_never_500(app, login_as, query):
    user = factories.user(role=factories.Role.SECRETARIAT)
    db.session.commit()
    response = login_as(user).get(f"/admin/audit/?{query}")
    assert response.status_code in (200, 400, 404)


def test_health(client):
    assert client.get("/health").json == {"status": "ok"}


def test_nul_byte_in_the_path_is_refused_with_a_message(client):
    response = client.get("/feeds/abc%00def.ics")
    assert response.status_code in (400, 404)
    assert response.status_code != 500


def test_client_address_behind_a_trusted_proxy(database_url, app):
    from flask import request

    from tests.conftest import make_app

    proxied = make_app(database_url, PROXY_FIX_X_FOR=1)

    @proxied.get("/_test/remote-addr")
    def remote_addr():
        return request.remote_addr or ""

    client = proxied.test_client()
    response = client.get("/_test/remote-addr", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.data == b"203.0.113.7"
    direct = app.test_client()
    assert direct.get("/health", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 200


@pytest.mark.parametrize(
    "url", ["/account", "/meetings/", "/dashboard/", "/measures/export.csv", "/measures/"]
)
def test_what_a_signed_in_user_sees_is_never_cached(app, login_as, url):
    user = factories.user(role=factories.Role.SECRETARIAT)
    db.session.commit()
    response = login_as(user).get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_public_pages_keep_their_own_caching(client):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/meetings/", "/measures/", "/admin/audit/", "/minutes/"])
@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "1e9", "٣", "2147483648"])
def test_absurd_page_numbers_are_not_a_server_error(app, login_as, path, page):
    user = factories.user(role=factories.Role.SECRETARIAT)
    db.session.commit()
    response = login_as(user).get(f"{path}?page={page}")
    assert response.status_code in (200, 400)
