"""Agencies are shown by their short name in the reader's language (DVZ, OE), never by the
English code that identifies them (IMMIGRATION); the secretariat writes the short names side
by side."""

from __future__ import annotations

import importlib.util
import re

import pytest
from sqlalchemy import select

from coordination.agencies.models import Agency, AgencyKind
from coordination.agencies.services import update_agency
from coordination.audit.models import AuditEvent
from coordination.core.errors import ValidationError
from coordination.core.texts import Texts
from coordination.db import db
from coordination.demo.structure import AGENCIES, SHORT_NAMES
from coordination.users.models import Role
from tests import factories
from tests.conftest import ROOT

IMMIGRATION_OFFICE = Texts(nl="DVZ", fr="OE", en="Immigration Office")
MARK_FR = '<span class="untranslated">(non disponible dans votre langue)</span>'


def immigration_office(**fields) -> Agency:
    return factories.agency(
        "IMMIGRATION", AgencyKind.IMMIGRATION, name_nl="Dienst Vreemdelingenzaken",
        name_fr="Office des étrangers", name_en="Immigration Office", **fields,
    )  # fmt: skip


def reader(language: str, role: Role = Role.AGENCY_REP):
    return factories.user(role, locale=language)


def cells(html: str) -> list[str]:
    """The cells of the page's tables, tags inside kept, space trimmed."""
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, flags=re.S)]


def edit_form(agency: Agency, **changes: str) -> dict[str, str]:
    form = {
        "code": agency.code, "kind": agency.kind.value, "name_nl": agency.name_nl,
        "name_fr": agency.name_fr, "name_en": agency.name_en, "active": "y",
        "short_name-nl": "", "short_name-fr": "", "short_name-en": "",
    }  # fmt: skip
    form.update(changes)
    return form


# --- the rule ------------------------------------------------------------------------------


def test_the_label_is_the_short_name_else_the_code():
    assert Agency(code="IMMIGRATION", short_name=IMMIGRATION_OFFICE).label == IMMIGRATION_OFFICE
    assert Agency(code="LOCALPOL").label == Texts.same("LOCALPOL")
    assert Agency(code="LOCALPOL", short_name=Texts()).label == Texts.same("LOCALPOL")
    assert Agency(code="SOCINSP", short_name=Texts(nl="TSW")).label == Texts(nl="TSW")


def test_a_choice_names_the_agency_once_when_its_short_name_is_its_name(app):
    payoke = Agency(code="PAYOKE", name_nl="Payoke", name_fr="Payoke", name_en="Payoke")
    payoke.short_name = Texts.same("Payoke")
    immigration = Agency(
        code="IMMIGRATION", name_nl="Dienst Vreemdelingenzaken", name_fr="Office des étrangers",
        name_en="Immigration Office", short_name=IMMIGRATION_OFFICE,
    )  # fmt: skip
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert payoke.choice_label() == "Payoke"
        assert immigration.choice_label() == "OE — Office des étrangers"


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "shown"), [("nl", "DVZ"), ("fr", "OE")])
def test_the_directory_shows_the_short_name_in_the_readers_language(login_as, language, shown):
    immigration_office(short_name=IMMIGRATION_OFFICE)
    html = login_as(reader(language)).get("/agencies/").get_data(as_text=True)
    assert shown in cells(html)
    assert "IMMIGRATION" not in html


def test_a_missing_french_short_name_shows_the_dutch_one_marked(login_as):
    factories.agency(
        "SOCINSP", AgencyKind.INSPECTORATE, name_nl="Toezicht op de Sociale Wetten",
        name_fr="Contrôle des lois sociales", name_en="Social inspection",
        short_name=Texts(nl="TSW"),
    )  # fmt: skip
    html = login_as(reader("fr")).get("/agencies/").get_data(as_text=True)
    assert f'<span lang="nl">TSW</span> {MARK_FR}' in cells(html)
    assert "SOCINSP" not in html


def test_an_agency_without_a_short_name_is_shown_by_its_code(login_as):
    factories.agency("LOCALPOL")
    html = login_as(reader("fr")).get("/agencies/").get_data(as_text=True)
    assert "LOCALPOL" in cells(html)


def test_the_secretariat_sees_the_code_beside_the_short_name(login_as):
    factories.agency("IMMIGRATION", AgencyKind.IMMIGRATION, short_name=IMMIGRATION_OFFICE)
    html = login_as(reader("nl", Role.SECRETARIAT)).get("/agencies/").get_data(as_text=True)
    assert {"DVZ", "<code>IMMIGRATION</code>"} <= set(cells(html))


def test_a_forum_names_its_members_and_offers_them_by_short_name(login_as):
    forum = factories.forum("bureau")
    immigration = factories.agency(
        "IMMIGRATION", name_fr="Office des étrangers", short_name=IMMIGRATION_OFFICE
    )
    factories.membership(forum, immigration)
    html = login_as(reader("fr", Role.SECRETARIAT)).get(f"/agencies/forums/{forum.id}")
    html = html.get_data(as_text=True)
    assert 'OE <span class="muted">Office des étrangers</span>' in html
    assert '<option value="IMMIGRATION">OE — Office des étrangers</option>' in html


def test_the_accounts_list_names_agencies_by_short_name(login_as):
    immigration = factories.agency("IMMIGRATION", short_name=IMMIGRATION_OFFICE)
    factories.user(Role.AGENCY_REP, immigration, full_name="Anne Dupont")
    html = login_as(reader("fr", Role.SECRETARIAT)).get("/admin/users/").get_data(as_text=True)
    assert re.search(r"<abbr title=\"[^\"]*\">OE</abbr>", html)
    assert ">IMMIGRATION<" not in html


def test_the_directory_loads_short_names_with_the_agencies(login_as, count_queries):
    """The short names are columns of the agency's row: more agencies, no more statements."""
    client = login_as(reader("nl"))

    def statements() -> int:
        with count_queries() as counter:
            assert client.get("/agencies/").status_code == 200
        return counter.count

    factories.agency("IMMIGRATION", short_name=IMMIGRATION_OFFICE)
    few = statements()
    for number in range(10):
        factories.agency(f"EXTRA{number}", short_name=Texts(nl=f"N{number}", fr=f"F{number}"))
    assert statements() == few


# --- editing -------------------------------------------------------------------------------


def test_the_secretariat_writes_the_short_names_side_by_side(login_as):
    agency = factories.agency("IMMIGRATION", AgencyKind.IMMIGRATION)
    client = login_as(reader("nl", Role.SECRETARIAT))
    page = client.get(f"/agencies/{agency.id}/edit").get_data(as_text=True)
    for language in ("nl", "fr", "en"):
        assert f'name="short_name-{language}"' in page

    response = client.post(
        f"/agencies/{agency.id}/edit",
        data=edit_form(agency, **{"short_name-nl": " DVZ ", "short_name-fr": "OE"}),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(agency)
    assert agency.short_name == Texts(nl="DVZ", fr="OE")
    assert agency.code == "IMMIGRATION"
    event = db.session.scalars(select(AuditEvent).filter_by(action="agency.update")).one()
    assert "short_name_nl" in event.changes

    page = client.get(f"/agencies/{agency.id}/edit").get_data(as_text=True)
    assert re.search(r'name="short_name-fr"[^>]*value="OE"', page)


def test_a_new_agency_may_come_with_its_short_names(login_as):
    client = login_as(reader("fr", Role.SECRETARIAT))
    response = client.post(
        "/agencies/new",
        data={"code": "nsso", "kind": "inspectorate", "name_nl": "Rijksdienst voor Sociale "
              "Zekerheid", "name_fr": "Office national de sécurité sociale",
              "name_en": "National Social Security Office", "short_name-nl": "RSZ",
              "short_name-fr": "ONSS", "short_name-en": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    agency = db.session.scalars(select(Agency).filter_by(code="NSSO")).one()
    assert agency.short_name == Texts(nl="RSZ", fr="ONSS")


def test_the_short_name_is_optional(login_as):
    agency = factories.agency("LOCALPOL", short_name=Texts(nl="LP"))
    client = login_as(reader("nl", Role.SECRETARIAT))
    response = client.post(f"/agencies/{agency.id}/edit", data=edit_form(agency))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(agency)
    assert not agency.short_name
    assert agency.label == Texts.same("LOCALPOL")


def test_a_short_name_longer_than_40_characters_is_refused(login_as):
    agency = factories.agency("LOCALPOL")
    client = login_as(reader("en", Role.SECRETARIAT))
    response = client.post(
        f"/agencies/{agency.id}/edit", data=edit_form(agency, **{"short_name-fr": "x" * 41})
    )
    assert response.status_code == 400
    assert 'id="short_name-fr-error"' in response.get_data(as_text=True)
    db.session.refresh(agency)
    assert not agency.short_name


def test_the_service_checks_the_short_names(app):
    agency = factories.agency("LOCALPOL")
    arguments = {
        "kind": agency.kind, "name_nl": agency.name_nl, "name_fr": agency.name_fr,
        "name_en": agency.name_en, "active": True, "actor": None,
    }  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        update_agency(agency, short_name=Texts(nl="x" * 41), **arguments)
    assert "at most 40" in str(refused.value.message)
    update_agency(agency, short_name=Texts(nl="  LP ", fr=" "), **arguments)
    assert agency.short_name == Texts(nl="LP")


# --- demo data and migration ---------------------------------------------------------------


def migration_short_names() -> dict[str, tuple[str, str, str]]:
    path = next((ROOT / "migrations" / "versions").glob("*_3f8a2c6d9e11_*.py"))
    spec = importlib.util.spec_from_file_location("short_names_migration", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SHORT_NAMES


def test_every_demo_agency_has_short_names_in_dutch_and_french():
    assert {code for code, *_rest in AGENCIES} == set(SHORT_NAMES)
    assert all(texts.nl and texts.fr for texts in SHORT_NAMES.values())
    assert SHORT_NAMES["IMMIGRATION"] == IMMIGRATION_OFFICE
    assert (SHORT_NAMES["NSSO"].nl, SHORT_NAMES["NSSO"].fr) == ("RSZ", "ONSS")
    assert (SHORT_NAMES["SOCINSP"].nl, SHORT_NAMES["SOCINSP"].fr) == ("TSW", "CLS")


def test_the_migration_gives_existing_agencies_the_demos_short_names():
    assert {code: Texts(*names) for code, names in migration_short_names().items()} == SHORT_NAMES
