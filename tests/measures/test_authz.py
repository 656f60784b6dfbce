"""Every route of the action plan, per role (to be folded into the global matrix).

URL templates name objects built by ``authz_objects``: ``{measure}`` is led by BOTH (so
rep_both may report and BUREAUONLY is its partner), ``{platform_meeting}`` is a past platform
meeting (not visible to rep_bureau), ``{bureau_meeting}`` a bureau meeting (not visible to
rep_platform). POSTs carry no data: a refused user gets 403/404, the secretariat a 400
(invalid form) or a redirect, and nothing changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.measures.workflow import MeasureStatus
from coordination.meetings.models import AgendaItemKind
from tests import factories
from tests.measures import factories as mf

ROLES = ["secretariat", "rep_both", "rep_bureau", "rep_platform", "minister", "rapporteur"]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def secretariat_only(ok: int) -> dict[str, int]:
    return {**everyone(403), "secretariat": ok}


ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/measures/", everyone(200)),
    ("GET", "/measures/?late=y&q=police", everyone(200)),
    ("GET", "/measures/export.csv", {**everyone(200), "rep_both": 403, "rep_bureau": 403,
                                     "rep_platform": 403}),
    ("GET", "/measures/{measure}", everyone(200)),
    ("GET", "/measures/new", secretariat_only(200)),
    ("POST", "/measures/new", secretariat_only(400)),
    ("GET", "/measures/{measure}/edit", secretariat_only(200)),
    ("POST", "/measures/{measure}/edit", secretariat_only(400)),
    ("GET", "/measures/{measure}/status", secretariat_only(200)),
    ("POST", "/measures/{measure}/status", secretariat_only(400)),
    ("GET", "/measures/{measure}/agenda", secretariat_only(200)),
    ("POST", "/measures/{measure}/agenda", secretariat_only(400)),
    ("GET", "/measures/{measure}/indicators/new", secretariat_only(200)),
    ("POST", "/measures/{measure}/indicators/new", secretariat_only(400)),
    ("GET", "/measures/indicators/{indicator}/edit", secretariat_only(200)),
    ("POST", "/measures/indicators/{indicator}/edit", secretariat_only(400)),
    ("GET", "/measures/{measure}/reports/new", {**secretariat_only(200), "rep_both": 200}),
    ("POST", "/measures/{measure}/reports/new", {**secretariat_only(400), "rep_both": 400}),
    ("GET", "/measures/reports", secretariat_only(200)),
    ("GET", "/measures/reports/{report}/review", secretariat_only(200)),
    ("POST", "/measures/reports/{report}/review", secretariat_only(400)),
    ("GET", "/measures/plans", everyone(200)),
    ("GET", "/measures/plans/new", secretariat_only(200)),
    ("POST", "/measures/plans/new", secretariat_only(400)),
    ("GET", "/measures/plans/{plan}", everyone(200)),
    ("POST", "/measures/plans/{plan}", secretariat_only(400)),
    ("GET", "/measures/plans/{plan}/carry-over", secretariat_only(200)),
    ("POST", "/measures/plans/{plan}/carry-over", secretariat_only(400)),
    ("POST", "/measures/plans/{plan}/close", secretariat_only(302)),
    ("GET", "/meetings/{platform_meeting}/decisions", {**secretariat_only(200), "rep_bureau": 404}),
    ("POST", "/meetings/{platform_meeting}/decisions", {**secretariat_only(400),
                                                        "rep_bureau": 404}),
    ("GET", "/meetings/{bureau_meeting}/decisions", everyone(404)),
    ("POST", "/meetings/{bureau_meeting}/decisions", everyone(404)),
    ("GET", "/measures/999999", everyone(404)),
    ("GET", "/meetings/999999/decisions", everyone(404)),
]  # fmt: skip


@pytest.fixture
def authz_objects(app):
    world = factories.world()
    plan = mf.plan()
    measure = mf.measure(
        plan, world["both"], MeasureStatus.IN_PROGRESS, partners=[world["bureau_only"]]
    )
    proposal = mf.measure(plan, world["both"], MeasureStatus.PROPOSED)
    indicator = mf.indicator(measure, targets={2024: "100"})
    report = mf.report(measure, world["rep_both"], 2024)
    yesterday = today_brussels() - timedelta(days=1)
    platform_meeting = factories.meeting(
        world["platform"],
        datetime(yesterday.year, yesterday.month, yesterday.day, 10, tzinfo=BRUSSELS),
    )
    factories.agenda_item(
        platform_meeting, "Proposal", kind=AgendaItemKind.DECISION, measure_id=proposal.id
    )
    bureau_meeting = factories.meeting(world["bureau"])
    db.session.commit()
    world.update(
        ids={
            "measure": measure.id,
            "indicator": indicator.id,
            "report": report.id,
            "plan": plan.id,
            "platform_meeting": platform_meeting.id,
            "bureau_meeting": bureau_meeting.id,
        }
    )
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


@pytest.mark.parametrize(("method", "template"), [(m, t) for m, t, _ in ROUTES])
def test_anonymous_is_sent_to_the_login(authz_objects, client, method, template):
    response = client.open(template.format(**authz_objects["ids"]), method=method, data={})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
