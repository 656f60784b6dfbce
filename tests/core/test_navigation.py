"""Each role's navigation shows what that role may use, and nothing else."""

from __future__ import annotations

import pytest

from coordination.db import db
from tests import factories


@pytest.fixture
def world(app):
    objects = factories.world()
    db.session.commit()
    return objects


EXPECTED = {
    "secretariat": {"Agencies and forums", "Accounts", "Audit log"},
    "rep_both": {"Agencies and forums"},
    "minister": {"Agencies and forums"},
    "rapporteur": {"Agencies and forums"},
}
ADMIN_ONLY = {"Accounts", "Audit log"}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_navigation_per_role(world, login_as, role):
    page = login_as(world[role]).get("/").data.decode()
    nav = page.split('<ul class="main-nav">', 1)[1].split("</ul>", 1)[0]
    for label in EXPECTED[role]:
        assert label in nav, (role, label)
    for label in ADMIN_ONLY - EXPECTED[role]:
        assert label not in nav, (role, label)
    assert "My account" in nav


def test_secretariat_pages_are_forbidden_to_others(world, login_as):
    client = login_as(world["rep_both"])
    for url in ("/admin/users/", "/admin/audit/", "/agencies/new"):
        assert client.get(url).status_code == 403, url
