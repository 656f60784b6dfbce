"""The lead-agency filter of the measure list and the dashboard: a text typed as people name
an agency, with suggestions, instead of a list of every agency (thousands at scale)."""

from __future__ import annotations

import re

import pytest

from coordination.db import db
from coordination.measures.models import MeasureStatus
from tests import factories
from tests.dashboard.html import Page
from tests.measures import factories as mf

DVZ_LABEL = "DVZ — Dienst Vreemdelingenzaken"


@pytest.fixture
def env(app):
    world = factories.world()
    plan = mf.plan(code="NAP-2021-2025")
    world["dvz"] = factories.agency(
        "IMMIGRATION",
        short_name_nl="DVZ",
        short_name_fr="OE",
        name_nl="Dienst Vreemdelingenzaken",
        name_fr="Office des étrangers",
        name_en="Immigration Office",
    )
    world["federal_police"] = factories.agency(
        "FEDPOL", short_name_nl="FGP", name_nl="Federale Politie", name_fr="Police fédérale"
    )
    world["local_police"] = factories.agency(
        "LOCPOL", name_nl="Lokale Politie", name_fr="Police locale", name_en="Local Police"
    )
    # Leads nothing: never offered, never matched.
    factories.agency("IDLE", name_nl="Politieschool", name_fr="École de police")
    mf.measure(plan, world["dvz"], MeasureStatus.ADOPTED, code="1.1", title="Residence permits")
    mf.measure(plan, world["federal_police"], code="1.2", title="Joint inspections")
    mf.measure(plan, world["local_police"], code="1.3", title="Neighbourhood training")
    db.session.commit()
    return world


@pytest.fixture
def reader(login_as):
    """A signed-in user reading the pages in Dutch (or the language given)."""

    def read_in(user, language: str = "nl"):
        client = login_as(user)
        assert client.get(f"/language/{language}").status_code == 302
        return client

    return read_in


def measure_codes(html: str) -> set[str]:
    return set(re.findall(r'<span class="muted">NAP-2021-2025</span> ([\d.]+)</td>', html))


@pytest.mark.parametrize(
    "typed",
    [
        "DVZ",
        "dvz",
        "OE",  # the French short name
        "Dienst Vreemdelingenzaken",
        "vreemdelingen",
        "Office des étrangers",
        "  Immigration   office ",
        DVZ_LABEL,  # as a suggestion writes it
        "IMMIGRATION",  # its code
        "{id}",  # the number a link carries
    ],
)
def test_an_agency_is_found_as_people_name_it(env, reader, typed):
    typed = typed.format(id=env["dvz"].id)
    response = reader(env["rep_bureau"]).get("/measures/", query_string={"lead": typed})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert measure_codes(html) == {"1.1"}
    # The field then names the agency, whatever fragment or number was typed.
    assert Page(html).one("#lead").etree_element.get("value") == DVZ_LABEL


def test_several_matches_are_named_and_offered(env, reader):
    response = reader(env["rep_bureau"]).get("/measures/?lead=politie")
    assert response.status_code == 400
    view = Page(response.get_data(as_text=True))
    summary = view.text(".error-summary")
    assert "“politie”: FGP, LOCPOL." in summary
    # Offered in the field's own list: a browser shows them without any script.
    datalist = view.one("#lead").etree_element.get("list")
    offered = [option.etree_element.get("value") for option in view.all(f"#{datalist} option")]
    assert offered == ["FGP — Federale Politie", "LOCPOL — Lokale Politie"]
    assert "Politieschool" not in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["Nobody", "%", "_", "-1", "99999999999999999999", "²"])
def test_a_text_naming_no_lead_agency_is_a_400_that_says_so(env, login_as, typed):
    """Wildcards are literal; a number too large for an id or a digit that is no number
    names nothing, and an agency that leads no measure is not one to filter by."""
    response = login_as(env["secretariat"]).get("/measures/", query_string={"lead": typed})
    assert response.status_code == 400
    assert "No agency leading a measure is called" in response.get_data(as_text=True)


def test_an_agency_leading_nothing_is_not_matched(env, login_as):
    response = login_as(env["secretariat"]).get("/measures/?lead=Politieschool")
    assert response.status_code == 400


def test_the_list_no_longer_holds_every_agency(env, login_as):
    html = login_as(env["secretariat"]).get("/measures/").get_data(as_text=True)
    assert "Federale Politie" not in html.split('id="lead"')[1].split("</datalist>")[0]
    assert not Page(html).all("select#lead")


def test_suggestions_while_typing(env, reader):
    client = reader(env["rep_platform"])
    answer = client.get("/measures/lead-agencies?q=poli").get_json()
    assert answer == {"suggestions": ["FGP — Federale Politie", "LOCPOL — Lokale Politie"]}
    assert client.get("/measures/lead-agencies?q=étrangers").get_json() == {
        "suggestions": [DVZ_LABEL]
    }
    assert client.get("/measures/lead-agencies?q=").get_json() == {"suggestions": []}
    assert client.get("/measures/lead-agencies?q=%25").get_json() == {"suggestions": []}
    too_long = client.get("/measures/lead-agencies", query_string={"q": "p" * 201})
    assert too_long.status_code == 200
    assert too_long.get_json() == {"suggestions": []}


def test_suggestions_speak_the_readers_language(env, reader):
    client = reader(env["rep_platform"], "fr")
    assert client.get("/measures/lead-agencies?q=DVZ").get_json() == {
        "suggestions": ["OE — Office des étrangers"]
    }


def test_the_dashboard_filters_by_a_typed_agency(env, reader):
    client = reader(env["minister"])
    response = client.get("/dashboard/?lead=vreemdelingen")
    assert response.status_code == 200
    view = Page(response.get_data(as_text=True))
    assert "DVZ — Dienst Vreemdelingenzaken" in view.text("p.lead")
    assert view.one("#lead").etree_element.get("value") == DVZ_LABEL
    ambiguous = client.get("/dashboard/?lead=police")
    assert ambiguous.status_code == 400
    assert "FGP, LOCPOL" in ambiguous.get_data(as_text=True)
