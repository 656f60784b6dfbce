"""Every feeds route, for every role (and anonymous), with objects they may and may not see.

``ROUTES`` is the table the lead folds into the global matrix: (method, URL template, {role:
status}). Templates name objects of ``factories.world()`` plus a bureau meeting, a platform
meeting and the calendar token of the bureau-only representative (``{token}``). The token
routes answer the same whoever is logged in: the token is the credential.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from coordination.core.time import today_brussels
from coordination.db import db
from coordination.feeds.services import issue_feed_token, new_token
from tests import factories
from tests.feeds.conftest import brussels

ROLES = ["secretariat", "rep_both", "rep_bureau", "rep_platform", "minister", "rapporteur"]
EVERYONE = [*ROLES, "anonymous"]


def status(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = anonymous
    table.update(overrides)
    return table


ROUTES = [
    ("GET", "/account/calendar", status(200)),
    # Creates an address; replacing the bureau rep's existing one needs the confirmation box.
    ("POST", "/account/calendar", status(200, rep_bureau=400)),
    # Without the confirmation box: refused, nothing changed.
    ("POST", "/account/calendar/revoke", status(400)),
    ("GET", "/admin/feeds/", status(403, secretariat=200)),
    ("POST", "/admin/feeds/{rep_bureau_id}/revoke", status(403, secretariat=302)),
    ("POST", "/admin/feeds/2147483647/revoke", status(404)),
    ("GET", "/meetings/{bureau_meeting}.ics", status(200, rep_platform=404)),
    ("GET", "/meetings/{platform_meeting}.ics", status(200, rep_bureau=404)),
    ("GET", "/meetings/2147483647.ics", status(404)),
    ("GET", "/meetings/0.ics", status(404, anonymous=404)),
    ("GET", "/feeds/{token}.ics", status(200, anonymous=200)),
    ("GET", "/feeds/{token}/bureau.ics", status(200, anonymous=200)),
    ("GET", "/feeds/{token}/platform.ics", status(404, anonymous=404)),
    ("GET", "/feeds/{unknown_token}.ics", status(404, anonymous=404)),
    ("GET", "/feeds/{unknown_token}/bureau.ics", status(404, anonymous=404)),
]


@pytest.fixture
def objects(app):
    world = factories.world()
    day = today_brussels() + timedelta(days=14)
    values = {
        "bureau_meeting": factories.meeting(world["bureau"], brussels(day)).id,
        "platform_meeting": factories.meeting(world["platform"], brussels(day)).id,
        "rep_bureau_id": world["rep_bureau"].id,
        "token": issue_feed_token(world["rep_bureau"], actor=None),
        "unknown_token": new_token(),
    }
    db.session.commit()
    return world, values


@pytest.mark.parametrize(("method", "template", "expected"), ROUTES)
def test_route_per_role(app, objects, method, template, expected):
    world, values = objects
    assert set(expected) == set(EVERYONE)
    url = template.format(**values)
    for role in EVERYONE:
        client = app.test_client()
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = world[role].get_id()
                session["_fresh"] = True
        response = client.open(url, method=method)
        assert response.status_code == expected[role], (role, method, url)
        if response.status_code == 302 and role == "anonymous":
            assert response.headers["Location"].startswith("/login")
