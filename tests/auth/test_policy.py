"""The authorization policy, exercised as a table (role x action -> allowed)."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest

from coordination.auth.policy import Action, can, known_actions
from coordination.db import db
from tests import factories
from tests.conftest import ROOT

ROLES = ["secretariat", "rep_both", "rep_bureau", "rep_platform", "minister", "rapporteur"]

# action -> the roles that may do it (object-less checks)
GLOBAL_ACTIONS = {
    "agencies.manage": {"secretariat"},
    "forums.manage": {"secretariat"},
    "users.manage": {"secretariat"},
    "audit.view": {"secretariat"},
    "outbox.view": {"secretariat"},
    "agencies.view": set(ROLES),
    "forums.view": set(ROLES),
    "meetings.list": set(ROLES),
    "meetings.manage": {"secretariat"},
    "agenda.edit": {"secretariat"},
    "documents.manage": {"secretariat"},
    "minutes.write": {"secretariat"},
    "minutes.publish": {"secretariat"},
    "measures.view": set(ROLES),
    "measures.manage": {"secretariat"},
    "measures.decide": {"secretariat"},
    "dashboard.view": {"secretariat", "minister", "rapporteur"},
    "briefing.view": {"secretariat", "minister", "rapporteur"},
    "plan.export": {"secretariat", "minister", "rapporteur"},
    "feeds.own": set(ROLES),
    "feeds.revoke_any": {"secretariat"},
}


@pytest.fixture
def world(app):
    objects = factories.world()
    db.session.commit()
    return objects


@pytest.mark.parametrize("action", sorted(GLOBAL_ACTIONS))
def test_global_actions_per_role(world, action):
    for role in ROLES:
        expected = role in GLOBAL_ACTIONS[action]
        assert can(world[role], action) is expected, (role, action)


def test_anonymous_and_inactive_users_may_do_nothing(world):
    from flask_login import AnonymousUserMixin

    anonymous = AnonymousUserMixin()
    inactive = world["secretariat"]
    inactive.active = False
    for action in known_actions():
        assert can(anonymous, action) is False
        assert can(None, action) is False
        assert can(inactive, action) is False


def test_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError, match=r"no\.such\.action"):
        can(world["secretariat"], "no.such.action")


def test_every_action_a_template_asks_about_exists():
    """Templates name actions as strings: a typo there must fail here, not on a user's page."""
    asked = {
        match.group(1)
        for path in (ROOT / "templates").rglob("*.html")
        for match in re.finditer(r"""\bcan\(\s*['"]([^'"]+)['"]""", path.read_text())
    }
    assert asked, "no template asks the policy: the pattern is out of date"
    assert sorted(asked - {action.value for action in Action}) == []


def _meeting(forum, day=date(2024, 5, 14), confidential=False):
    return SimpleNamespace(forum_id=forum.id, local_date=day, place_confidential=confidential)


@pytest.mark.parametrize(
    ("role", "forum", "expected"),
    [
        ("secretariat", "bureau", True),
        ("secretariat", "platform", True),
        ("minister", "bureau", True),
        ("rapporteur", "bureau", True),
        ("rep_both", "bureau", True),
        ("rep_both", "platform", True),
        ("rep_bureau", "bureau", True),
        ("rep_bureau", "platform", False),
        ("rep_platform", "platform", True),
        ("rep_platform", "bureau", False),
    ],
)
def test_meeting_visibility(world, role, forum, expected):
    assert can(world[role], "meetings.view", _meeting(world[forum])) is expected


def test_membership_history_decides_visibility(world):
    late = factories.agency("LATE")
    factories.membership(world["bureau"], late, since=date(2024, 1, 1), until=date(2024, 12, 31))
    rep = factories.user(agency_=late)
    db.session.commit()
    assert can(rep, "meetings.view", _meeting(world["bureau"], date(2023, 12, 31))) is False
    assert can(rep, "meetings.view", _meeting(world["bureau"], date(2024, 1, 1))) is True
    assert can(rep, "meetings.view", _meeting(world["bureau"], date(2024, 12, 31))) is True
    assert can(rep, "meetings.view", _meeting(world["bureau"], date(2025, 1, 1))) is False


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("secretariat", True),
        ("rep_both", True),
        ("rep_bureau", True),
        ("minister", False),  # the cabinet sits in the platform, not the bureau
        ("rapporteur", False),  # observers read minutes, not the shelter's address
    ],
)
def test_confidential_place_only_for_full_members(world, role, expected):
    meeting = _meeting(world["bureau"], confidential=True)
    assert can(world[role], "meetings.view_place", meeting) is expected


def test_rep_outside_the_forum_never_sees_the_place(world):
    meeting = _meeting(world["platform"], confidential=False)
    assert can(world["rep_bureau"], "meetings.view_place", meeting) is False


@pytest.mark.parametrize("status", ["draft", "approved"])
def test_unpublished_minutes_are_secretariat_only(world, status):
    minutes = SimpleNamespace(status=status, meeting=_meeting(world["bureau"]))
    assert can(world["secretariat"], "minutes.view", minutes) is True
    for role in ROLES[1:]:
        assert can(world[role], "minutes.view", minutes) is False


def test_published_minutes_follow_the_meeting(world):
    minutes = SimpleNamespace(status="published", meeting=_meeting(world["bureau"]))
    assert can(world["rep_bureau"], "minutes.view", minutes) is True
    assert can(world["rep_platform"], "minutes.view", minutes) is False
    assert can(world["minister"], "minutes.view", minutes) is True
    assert can(world["rapporteur"], "minutes.view", minutes) is True


def test_only_the_lead_agency_and_secretariat_report_on_a_measure(world):
    measure = SimpleNamespace(lead_agency_id=world["both"].id)
    assert can(world["rep_both"], "measures.report", measure) is True
    assert can(world["secretariat"], "measures.report", measure) is True
    for role in ("rep_bureau", "rep_platform", "minister", "rapporteur"):
        assert can(world[role], "measures.report", measure) is False


def test_nobody_deactivates_themselves(world):
    secretariat = world["secretariat"]
    assert can(secretariat, "users.deactivate", secretariat) is False
    assert can(secretariat, "users.deactivate", world["rep_both"]) is True
