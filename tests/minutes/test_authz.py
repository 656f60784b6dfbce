"""Every minutes route, per role, as a table the lead folds into the global matrix.

``ROUTES = [(method, url_template, {role: status})]``. Placeholders in the URL are filled from
the ``targets`` fixture below (all meetings of the bureau unless said otherwise):

- ``{free_meeting}``: a past meeting without minutes
- ``{draft}``, ``{approved}``, ``{published}``: minutes in that status
- ``{draft_decision}``, ``{draft_action}``: a decision and a follow-up action of ``{draft}``
- ``{action}``: a follow-up action of ``{published}`` owned by the BUREAUONLY agency
- ``{platform_published}``: published minutes of a platform meeting

POSTs are sent without form data: the table is about who gets past authorization (403/404),
not about what a valid form does (the other tests cover that). Anonymous users are sent to the
login page by every route.
"""

from __future__ import annotations

import pytest

from coordination.db import db
from coordination.minutes.models import MinutesStatus
from tests import factories
from tests.minutes import factories as mf

ROLES = ["secretariat", "rep_both", "rep_bureau", "rep_platform", "minister", "rapporteur"]


def _all(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _secretariat_only(status: int) -> dict[str, int]:
    """Unpublished minutes: the others may not know they exist."""
    return {**_all(404), "secretariat": status}


#: Published bureau minutes: readers of the bureau get ``status``; rep_platform never knew.
def _bureau_readers(status: int, *, secretariat: int | None = None) -> dict[str, int]:
    return {
        **_all(status),
        "rep_platform": 404,
        "secretariat": status if secretariat is None else secretariat,
    }


def _bureau_writers(secretariat: int) -> dict[str, int]:
    """Published bureau minutes, a secretariat action: readers 403, outsiders 404."""
    return _bureau_readers(403, secretariat=secretariat)


ROUTES = [
    ("GET", "/minutes/", _all(200)),
    ("GET", "/minutes/?forum=bureau", _all(200)),
    ("GET", "/minutes/?forum=platform", _all(200)),
    # Starting minutes: 404 where the meeting is not visible, 403 where it is.
    ("GET", "/minutes/meeting/{free_meeting}/new", _bureau_writers(200)),
    ("POST", "/minutes/meeting/{free_meeting}/new", _bureau_writers(400)),
    # Drafts: the secretariat only, by every URL.
    ("GET", "/minutes/{draft}", _secretariat_only(200)),
    ("GET", "/minutes/{draft}.pdf", _secretariat_only(200)),
    ("GET", "/minutes/{draft}.html", _secretariat_only(200)),
    ("GET", "/minutes/{draft}/revisions", _secretariat_only(200)),
    ("GET", "/minutes/{draft}/revisions/1", _secretariat_only(200)),
    ("GET", "/minutes/{draft}/diff?old=1&new=1", _secretariat_only(200)),
    ("GET", "/minutes/{draft}/edit", _secretariat_only(200)),
    ("POST", "/minutes/{draft}/edit", _secretariat_only(400)),
    ("GET", "/minutes/{draft}/attendance", _secretariat_only(200)),
    ("POST", "/minutes/{draft}/attendance", _secretariat_only(302)),
    ("GET", "/minutes/{draft}/decisions", _secretariat_only(200)),
    ("POST", "/minutes/{draft}/decisions", _secretariat_only(400)),
    ("POST", "/minutes/{draft}/decisions/{draft_decision}/delete", _secretariat_only(303)),
    ("GET", "/minutes/{draft}/follow-ups", _secretariat_only(200)),
    ("POST", "/minutes/{draft}/follow-ups", _secretariat_only(400)),
    ("POST", "/minutes/{draft}/follow-ups/{draft_action}/delete", _secretariat_only(303)),
    ("POST", "/minutes/follow-ups/{draft_action}/status", _secretariat_only(303)),
    ("POST", "/minutes/{draft}/approve", _secretariat_only(303)),
    ("GET", "/minutes/{approved}", _secretariat_only(200)),
    ("GET", "/minutes/{approved}.pdf", _secretariat_only(200)),
    ("POST", "/minutes/{approved}/publish", _secretariat_only(303)),
    ("POST", "/minutes/{approved}/withdraw-approval", _secretariat_only(303)),
    # Published bureau minutes: the bureau's agencies on that date, ministers, the rapporteur.
    ("GET", "/minutes/{published}", _bureau_readers(200)),
    ("GET", "/minutes/{published}.pdf", _bureau_readers(200)),
    ("GET", "/minutes/{published}.html", _bureau_readers(200)),
    ("GET", "/minutes/{published}/revisions", _bureau_readers(200)),
    ("GET", "/minutes/{published}/revisions/1", _bureau_readers(200)),
    ("GET", "/minutes/{published}/revisions/2", _all(404)),
    ("GET", "/minutes/{published}/diff?old=1&new=1", _bureau_readers(200)),
    ("GET", "/minutes/{published}/diff?old=1&new=2", _all(404)),
    ("GET", "/minutes/{published}/edit", _bureau_writers(200)),
    ("POST", "/minutes/{published}/edit", _bureau_writers(400)),
    ("GET", "/minutes/{published}/attendance", _bureau_writers(200)),
    ("GET", "/minutes/{published}/decisions", _bureau_writers(200)),
    ("GET", "/minutes/{published}/follow-ups", _bureau_writers(200)),
    ("POST", "/minutes/{published}/approve", _bureau_writers(303)),
    ("POST", "/minutes/{published}/publish", _bureau_writers(303)),
    (
        "POST",
        "/minutes/follow-ups/{action}/status",
        {**_bureau_writers(303), "rep_bureau": 303},
    ),
    # Published platform minutes: the bureau-only agency never sat there.
    (
        "GET",
        "/minutes/{platform_published}",
        {**_all(200), "rep_bureau": 404},
    ),
    (
        "GET",
        "/minutes/{platform_published}.pdf",
        {**_all(200), "rep_bureau": 404},
    ),
]


@pytest.fixture
def targets(world):
    secretariat = world["secretariat"]
    free = factories.meeting(world["bureau"], title="Without minutes")
    draft = mf.minutes(world["meeting"], author=secretariat)
    approved = mf.minutes(
        factories.meeting(world["bureau"]), status=MinutesStatus.APPROVED, author=secretariat
    )
    published = mf.minutes(
        factories.meeting(world["bureau"]), status=MinutesStatus.PUBLISHED, author=secretariat
    )
    platform = mf.minutes(
        factories.meeting(world["platform"]), status=MinutesStatus.PUBLISHED, author=secretariat
    )
    values = {
        "free_meeting": free.id,
        "draft": draft.id,
        "approved": approved.id,
        "published": published.id,
        "platform_published": platform.id,
        "draft_decision": mf.decision(draft).id,
        "draft_action": mf.follow_up(draft, world["bureau_only"]).id,
        "action": mf.follow_up(published, world["bureau_only"]).id,
    }
    db.session.commit()
    return values


CASES = [
    pytest.param(method, url, role, status, id=f"{method} {url} {role}")
    for method, url, expected in ROUTES
    for role, status in expected.items()
]


@pytest.mark.parametrize(("method", "url", "role", "status"), CASES)
def test_route_per_role(world, targets, login_as, method, url, role, status):
    client = login_as(world[role])
    response = client.open(url.format(**targets), method=method)
    assert response.status_code == status


@pytest.mark.parametrize(("method", "url"), [(m, u) for m, u, _ in ROUTES])
def test_anonymous_users_are_sent_to_login(targets, client, method, url):
    response = client.open(url.format(**targets), method=method)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_every_minutes_route_is_in_the_table(app):
    listed = {url.split("?")[0] for _, url, _ in ROUTES}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("minutes."):
            pattern = rule.rule
            for name in rule.arguments:
                pattern = pattern.replace(f"<id:{name}>", "{}")
            assert any(_shape(url) == pattern for url in listed), (
                f"{rule.rule} is missing from ROUTES"
            )


def _shape(url: str) -> str:
    import re

    return re.sub(r"\{\w+\}|\d+", "{}", url)
