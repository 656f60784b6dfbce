"""The secretariat sees what is written in one official language only: a list and a count."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.translation.content import untranslated_count
from tests import factories
from tests.measures import factories as mf


def brussels(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=BRUSSELS)


@pytest.fixture
def world(app):
    return factories.world()


@pytest.fixture
def content(world):
    ahead = factories.meeting(
        world["bureau"],
        brussels(today_brussels() + timedelta(days=10)),
        title=Texts(nl="Bureau — december", fr="Bureau — décembre"),
        place=Texts(nl="FOD Justitie, Brussel"),  # French missing
    )
    factories.agenda_item(ahead, Texts(fr="Cas et tendances"))  # Dutch missing
    factories.agenda_item(ahead, Texts(nl="Varia", fr="Divers"))
    past = factories.meeting(
        world["bureau"], brussels(today_brussels() - timedelta(days=10)), title=Texts(nl="Oud")
    )
    plan = mf.plan()
    measure = mf.measure(plan, world["both"], title=Texts(nl="Opleiding", fr="Formation"))
    measure.description = Texts(en="Written in English only")
    db.session.commit()
    return {"ahead": ahead, "past": past, "measure": measure}


def test_the_count_is_the_texts_lacking_dutch_or_french(content):
    # The place of the meeting ahead, its first agenda item, the measure's description; the
    # meeting of last month no longer matters; a text written in both does not count.
    assert untranslated_count(today_brussels()) == 3


def test_the_list_names_each_text_and_what_it_lacks(content, login_as, world):
    client = login_as(world["secretariat"])
    html = client.get("/admin/translations/").get_data(as_text=True)
    assert "FOD Justitie, Brussel" in html
    assert "Cas et tendances" in html
    assert "Written in English only" in html
    assert "Oud" not in html
    assert "Varia" not in html
    assert f'href="/meetings/{content["ahead"].id}/edit"' in html
    assert f'href="/measures/{content["measure"].id}/edit"' in html
    assert "Missing: French" in html
    assert "Missing: Dutch, French" in html


def test_the_home_page_gives_the_secretariat_the_count(content, login_as, world):
    html = login_as(world["secretariat"]).get("/").get_data(as_text=True)
    count = re.search(r'id="untranslated-count"><strong>(\d+) texts to translate', html)
    assert count is not None
    assert int(count.group(1)) == 3
    assert 'href="/admin/translations/"' in html


def test_translating_takes_a_text_off_the_list(content, login_as, world):
    content["ahead"].place = Texts(nl="FOD Justitie, Brussel", fr="SPF Justice, Bruxelles")
    db.session.commit()
    assert untranslated_count(today_brussels()) == 2


def test_the_list_runs_a_bounded_number_of_statements(content, login_as, world, count_queries):
    client = login_as(world["secretariat"])
    with count_queries() as statements:
        assert client.get("/admin/translations/").status_code == 200
    assert statements.count <= 40
