"""Every route of the dashboards, per role (to be folded into the global matrix).

Ministers, the rapporteur and the secretariat read the dashboard, the briefing pack and the
exports; agency representatives get 403 there (their home page shows their agency's work).
URL templates name objects built by ``authz_objects``.
"""

from __future__ import annotations

import pytest

from tests.dashboard import builders

ROLES = ["secretariat", "rep_both", "rep_bureau", "rep_platform", "minister", "rapporteur"]
REPS = ("rep_both", "rep_bureau", "rep_platform")


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def plan_readers(status: int) -> dict[str, int]:
    return {**everyone(status), **dict.fromkeys(REPS, 403)}


ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/", everyone(200)),
    ("GET", "/dashboard/", plan_readers(200)),
    ("GET", "/dashboard/?plan={plan}&theme={theme}&lead={lead}", plan_readers(200)),
    ("GET", "/dashboard/?plan={old_plan}", plan_readers(200)),
    ("GET", "/dashboard/?plan=abc", plan_readers(400)),
    ("GET", "/dashboard/?plan=999999", plan_readers(400)),
    ("GET", "/dashboard/?plan={plan}&theme={old_theme}", plan_readers(400)),
    ("GET", "/dashboard/briefing", plan_readers(200)),
    ("GET", "/dashboard/briefing.pdf", plan_readers(200)),
    ("GET", "/dashboard/export.csv", plan_readers(200)),
    ("GET", "/dashboard/export.csv?plan={old_plan}", plan_readers(200)),
    ("GET", "/dashboard/export.csv?lead=x", plan_readers(400)),
    ("GET", "/dashboard/export.json", plan_readers(200)),
    ("GET", "/dashboard/export.json?theme={theme}", plan_readers(200)),
    ("GET", "/dashboard/export.json?theme=0", plan_readers(400)),
    ("POST", "/dashboard/", everyone(405)),
]


@pytest.fixture
def authz_objects(app):
    world = builders.build()
    world["ids"] = {
        "plan": world["plan"].id,
        "theme": world["themes"][0].id,
        "lead": world["both"].id,
        "old_plan": world["old"].id,
        "old_theme": world["old"].themes[0].id,
    }
    return world


@pytest.mark.parametrize(
    ("method", "template", "expected"), ROUTES, ids=[f"{m} {t}" for m, t, _ in ROUTES]
)
def test_route_per_role(authz_objects, login_as, method, template, expected):
    url = template.format(**authz_objects["ids"])
    for role in ROLES:
        client = login_as(authz_objects[role])
        response = client.open(url, method=method, data={})
        assert response.status_code == expected[role], (role, method, url)


@pytest.mark.parametrize("template", [t for m, t, _ in ROUTES if m == "GET"])
def test_anonymous_is_sent_to_the_login(authz_objects, client, template):
    response = client.get(template.format(**authz_objects["ids"]))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
