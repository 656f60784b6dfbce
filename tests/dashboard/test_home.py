"""The home page per role: an agency's work first for its representatives, the plan at a glance
for ministers, the rapporteur and the secretariat."""

from __future__ import annotations

import pytest
from jinja2 import ChoiceLoader, DictLoader

from coordination.db import db
from tests.dashboard import builders
from tests.dashboard.html import Page, text_of


@pytest.fixture
def env(app):
    return builders.build()


@pytest.fixture
def domain_sections(app, monkeypatch):
    """Stand-ins for the home sections of meetings and minutes (built in other branches)."""
    stubs = {
        f"{domain}/_home_section.html": f'<section id="{domain}-home"><h2>{domain}</h2></section>'
        for domain in ("meetings", "minutes")
    }
    monkeypatch.setattr(app, "jinja_loader", ChoiceLoader([DictLoader(stubs), app.jinja_loader]))
    monkeypatch.setattr(app.jinja_env, "cache", None)


def home(client) -> Page:
    response = client.get("/")
    assert response.status_code == 200
    return Page(response.get_data(as_text=True))


def section_order(view: Page) -> list[str]:
    return [section.etree_element.get("aria-labelledby") or section.etree_element.get("id")
            for section in view.all("main section")]  # fmt: skip


def test_a_representative_sees_their_agency_first(env, login_as, domain_sections):
    view = home(login_as(env["rep_both"]))
    assert section_order(view)[:3] == ["home-measures-title", "minutes-home", "meetings-home"]
    assert "Measures your agency leads" in view.html
    assert view.all("#glance-title") == []
    assert "/dashboard/" not in view.html


@pytest.mark.parametrize("role", ["minister", "rapporteur", "secretariat"])
def test_plan_readers_see_the_plan_at_a_glance(env, login_as, domain_sections, role):
    view = home(login_as(env[role]))
    order = section_order(view)
    # What changed since the last platform meeting opens the page, then the plan at a glance.
    assert order[:4] == ["changes-title", "glance-title", "home-measures-title", "meetings-home"]
    assert "Since the platform meeting of" in text_of(view.one("#changes-title"))
    figures = [text_of(li) for li in view.all("#glance-figures li")]
    assert figures[0].startswith("25% implementation rate (1 of 4 adopted measures)")
    upcoming = env["meetings"]["upcoming"]
    assert upcoming.local_date.isoformat() in view.one("#glance-figures time").etree_element.get(
        "datetime"
    )
    assert "1 proposal to decide on" in figures[1]
    links = [a.etree_element.get("href") for a in view.all("#glance-title ~ ul a")]
    assert links == ["/dashboard/", "/dashboard/briefing", "/dashboard/briefing.pdf"]


def test_home_runs_a_bounded_number_of_statements(env, login_as, count_queries):
    client = login_as(env["minister"])
    with count_queries() as counter:
        assert client.get("/").status_code == 200
    # One or two statements per section (user, forums, what changed, the minister's
    # departments, plan at a glance, the plan's counts, next meetings, follow-ups, calendar
    # prompt): a constant, whatever the amount of data.
    # One more than before the cache: the read of the data versions (core.cache).
    assert counter.count <= 18, counter.statements


@pytest.mark.parametrize("role", ["secretariat", "rep_both", "minister", "rapporteur"])
def test_the_home_page_queries_nothing_while_rendering(env, login_as, queries_while_rendering,
                                                       role):  # fmt: skip
    """Each domain's section of the home page is read by the view (core.sections)."""
    client = login_as(env[role])
    # As in a real request: nothing the test loaded is already in the session.
    db.session.expunge_all()
    with queries_while_rendering("dashboard/home.html") as watch:
        home(client)
    assert watch.renders == 1
    assert watch.statements == []
