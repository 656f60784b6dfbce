"""Content both communities read is written in Dutch and French: each reader sees their own
language, the other one with a visible mark when theirs is missing, and the secretariat edits
the languages side by side."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from coordination.core.errors import ValidationError
from coordination.core.language_guess import guess_language, split_by_language
from coordination.core.texts import Texts, checked_texts
from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.measures.models import Measure
from coordination.minutes.models import MinutesStatus
from tests import factories
from tests.measures import factories as measure_factories
from tests.minutes import factories as minutes_factories

# --- the value -----------------------------------------------------------------------------


def test_a_reader_sees_their_language_else_the_other_marked():
    both = Texts(nl="Opvang", fr="Accueil")
    assert both.shown_in("fr").text == "Accueil"
    assert not both.shown_in("nl").missing
    dutch_only = Texts(nl="Opvang")
    shown = dutch_only.shown_in("fr")
    assert (shown.text, shown.language, shown.missing) == ("Opvang", "nl", True)
    assert dutch_only.missing_official() == ["fr"]
    assert Texts(en="Shelter").shown_in("nl").language == "en"  # English last
    assert not Texts()


def test_the_mark_is_visible_and_the_text_escaped(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        html = Texts(nl="<b>Opvang</b>").__html__()
    assert '<span lang="nl">&lt;b&gt;Opvang&lt;/b&gt;</span>' in html
    assert '<span class="untranslated">(non disponible dans votre langue)</span>' in html


def test_a_service_requires_dutch_or_french_within_the_length():
    assert checked_texts(Texts(fr="  Accueil "), label="Title") == Texts(fr="Accueil")
    assert checked_texts("Payoke", label="Title") == Texts.same("Payoke")
    with pytest.raises(ValidationError):
        checked_texts(Texts(en="Shelter only"), label="Title")
    with pytest.raises(ValidationError):
        checked_texts(Texts(nl="x" * 11), label="Title", max_length=10)
    assert checked_texts(Texts(), label="Place", required=False) == Texts()


def test_existing_text_is_told_apart_by_its_words():
    assert guess_language("Maandelijkse vergadering van het bureau") == "nl"
    assert guess_language("Réunion mensuelle du bureau de coordination") == "fr"
    assert split_by_language("Bureau — maandelijkse vergadering / réunion mensuelle") == {
        "nl": "Bureau — maandelijkse vergadering",
        "fr": "réunion mensuelle",
    }


# --- on the pages --------------------------------------------------------------------------


def brussels(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=BRUSSELS)


@pytest.fixture
def content(app):
    world = factories.world()
    meeting = factories.meeting(
        world["bureau"],
        brussels(today_brussels() + timedelta(days=7)),
        title=Texts(nl="Maandelijks bureau", fr="Bureau mensuel"),
    )
    item = factories.agenda_item(
        meeting,
        Texts(nl="Cijfers van de inspecties"),  # French missing
        description=Texts(
            nl="De **teams** stellen hun cijfers voor.",
            fr="Les **équipes** présentent leurs chiffres.",
        ),
    )
    plan = measure_factories.plan()
    measure = measure_factories.measure(
        plan, world["both"], title=Texts(nl="Opleiding van de politie", fr="Formation de la police")
    )
    indicator = measure_factories.indicator(measure, Texts(fr="Sessions données"))  # no Dutch
    held = factories.meeting(
        world["bureau"],
        brussels(today_brussels() - timedelta(days=7)),
        title=Texts(nl="Bureau", fr="Bureau"),
    )
    minutes = minutes_factories.minutes(held, status=MinutesStatus.DRAFT)
    minutes_factories.decision(
        minutes, Texts(nl="Het bureau keurt goed.", fr="Le bureau approuve.")
    )
    minutes_factories.follow_up(minutes, world["both"], Texts(nl="Cijfers bezorgen"))
    for user, language in ((world["secretariat"], "nl"), (world["rep_both"], "fr")):
        user.locale = language
    db.session.commit()
    return {**world, "meeting": meeting, "item": item, "measure": measure,
            "indicator": indicator, "minutes": minutes}  # fmt: skip


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_each_content_type_shows_the_readers_language(content, login_as):
    french = login_as(content["rep_both"])
    meeting_page = page(french, f"/meetings/{content['meeting'].id}")
    assert "Bureau mensuel" in meeting_page
    assert "Maandelijks bureau" not in meeting_page
    assert "Les <strong>équipes</strong> présentent" in meeting_page
    assert "Formation de la police" in page(french, f"/measures/{content['measure'].id}")
    dutch = login_as(content["secretariat"])
    assert "Maandelijks bureau" in page(dutch, f"/meetings/{content['meeting'].id}")
    minutes_page = page(dutch, f"/minutes/{content['minutes'].id}")
    assert "Het bureau keurt goed." in minutes_page
    assert "Le bureau approuve." not in minutes_page


def test_a_missing_translation_is_shown_marked(content, login_as):
    french = page(login_as(content["rep_both"]), f"/meetings/{content['meeting'].id}")
    assert re.search(
        r'<span lang="nl">Cijfers van de inspecties</span> <span class="untranslated">'
        r"\(non disponible dans votre langue\)</span>",
        french,
    )
    dutch = page(login_as(content["secretariat"]), f"/measures/{content['measure'].id}")
    assert '<span lang="fr">Sessions données</span>' in dutch
    assert "(niet beschikbaar in uw taal)" in dutch


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/meetings/{meeting}/edit", "title"),
        ("/meetings/agenda/{item}/edit", "description"),
        ("/measures/{measure}/edit", "title"),
        ("/measures/indicators/{indicator}/edit", "name"),
        ("/minutes/{minutes}/decisions", "text"),
        ("/minutes/{minutes}/follow-ups", "description"),
    ],
)
def test_the_secretariat_edits_the_languages_side_by_side(content, login_as, url, field):
    ids = {key: content[key].id for key in ("meeting", "item", "measure", "indicator", "minutes")}
    html = page(login_as(content["secretariat"]), url.format(**ids))
    for language in ("nl", "fr", "en"):
        assert re.search(
            rf'<(input|textarea)[^>]*id="{field}-{language}"[^>]*lang="{language}"', html
        ) or re.search(
            rf'<(input|textarea)[^>]*lang="{language}"[^>]*id="{field}-{language}"', html
        ), (url, language)


def test_a_text_in_neither_official_language_is_refused_in_the_users_language(content, login_as):
    client = login_as(content["secretariat"])  # reads Dutch
    measure = content["measure"]
    response = client.post(
        f"/measures/{measure.id}/edit",
        data={
            "theme": str(measure.theme_id), "code": measure.code, "title-en": "English only",
            "lead_agency": str(measure.lead_agency_id), "version": str(measure.version),
        },
    )  # fmt: skip
    assert response.status_code == 400
    assert "Schrijf het in het Nederlands of in het Frans (of beide)." in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    saved = db.session.scalar(select(Measure).where(Measure.id == measure.id))
    assert saved.title == Texts(nl="Opleiding van de politie", fr="Formation de la police")
