"""My departments: a minister's cabinet oversees agencies (data the secretariat keeps); the
minister sees the measures they lead first, the late ones first."""

from __future__ import annotations

import pytest

from coordination.db import db
from tests.dashboard import builders


@pytest.fixture
def env(app):
    return builders.build()


def test_the_secretariat_says_which_agencies_a_cabinet_oversees(env, login_as):
    secretariat = login_as(env["secretariat"])
    cabinet = env["cabinet"]
    url = f"/agencies/{cabinet.id}/authority"
    assert "Agencies under its authority" in secretariat.get("/agencies/").get_data(as_text=True)
    assert secretariat.post(url, data={"agencies": ["BOTH"]}).status_code == 302
    db.session.refresh(cabinet)
    assert [agency.code for agency in cabinet.overseen] == ["BOTH"]
    refused = secretariat.post(url, data={"agencies": ["BOTH", "CABINET"]})
    assert refused.status_code == 400  # not offered: "Not a valid choice"
    db.session.refresh(cabinet)
    assert [agency.code for agency in cabinet.overseen] == ["BOTH"]


def test_the_minister_sees_the_measures_of_the_departments_first(env, login_as):
    env["cabinet"].overseen = [env["both"]]
    db.session.commit()
    client = login_as(env["minister"])
    dashboard = client.get("/dashboard/").get_data(as_text=True)
    section = dashboard.split('id="departments-title"', 1)[1].split("</section>", 1)[0]
    in_plan = {code: m for code, m in env["measures"].items() if m.plan_id == env["plan"].id}
    led_by_both = [code for code, m in in_plan.items() if m.lead_agency_id == env["both"].id]
    assert led_by_both
    for code in in_plan:
        assert (f">{code} — " in section) == (code in led_by_both), code
    # The late ones first: 1.1 is late (its deadline passed ten days ago).
    assert section.index(">1.1 — ") < section.index(">1.2 — ")
    assert "late" in section
    assert dashboard.index('id="departments-title"') < dashboard.index("Filter the dashboard")
    home = client.get("/").get_data(as_text=True)
    assert 'id="departments-title"' in home
    # Nobody else has departments.
    rapporteur = login_as(env["rapporteur"]).get("/dashboard/").get_data(as_text=True)
    assert 'id="departments-title"' not in rapporteur
