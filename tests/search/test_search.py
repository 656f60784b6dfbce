"""Search: each kind found by a word of its text in Dutch and in French, only what the user
may see (never counted otherwise), codes, short names and dates as people type them, hostile
texts answered clearly, passages escaped."""

from __future__ import annotations

import re

import pytest
from flask_login import login_user

from coordination.db import db
from coordination.search import queries
from coordination.search.models import SearchGroup, SearchKind
from coordination.search.queries import SearchFilters
from tests.search.builders import build_search_world


def build_module_data() -> dict:
    return build_search_world()


@pytest.fixture
def world(module_data):
    return module_data


def found(app, user, text: str, language: str = "nl", **filters) -> dict:
    """{(kind, object id)} and each group's total of what ``user`` finds."""
    with app.test_request_context():
        login_user(user)
        results = queries.search(user, SearchFilters(text=text, **filters), language)
    return {
        "objects": {
            (result.kind, result.object_id) for g in results.groups for result in g.results
        },
        "totals": {group.group: group.total for group in results.groups},
        "results": [result for group in results.groups for result in group.results],
        "total": results.total,
    }


WORDS = [
    # kind, object of the world, a Dutch word, a French word (as typed: accents or not)
    (SearchKind.MEETING, "bureau_meeting", "zeehaven", "portuaire"),
    (SearchKind.AGENDA_ITEM, "item", "bouwsector", "construction"),
    (SearchKind.MINUTES, "minutes", "champignonkwekerijen", "champignonnieres"),
    (SearchKind.DECISION, "decision", "draaiboek", "mémorandum"),
    (SearchKind.FOLLOW_UP, "follow_up", "opvangcapaciteit", "hébergement"),
    (SearchKind.DOCUMENT, "document", "kerncijfers", None),
    (SearchKind.DOCUMENT, "french_document", None, "saisonniers"),
    (SearchKind.MEASURE, "measure", "arbeidsinspecteurs", "controleurs"),
    (SearchKind.PROGRESS_REPORT, "report", "horeca", None),
    (SearchKind.PROGRESS_REPORT, "french_report", None, "hôtellerie"),
]


@pytest.mark.parametrize(("kind", "name", "dutch", "french"), WORDS)
@pytest.mark.parametrize("reader", ["secretariat", "rep_bureau"])
def test_each_kind_is_found_by_a_word_in_each_language(
    app, world, kind, name, dutch, french, reader
):
    expected = (kind, world[name].id)
    for word in (dutch, french):
        if word is None:
            continue
        # In either interface language: a Dutch word finds a text a French reader is shown.
        for interface in ("nl", "fr"):
            assert expected in found(app, world[reader], word, interface)["objects"], (
                word,
                interface,
            )


def test_a_word_finds_its_inflections_or_its_continuation(app, world, backend):
    # PostgreSQL stems ("inspecties" / "inspectie"); SQLite does not.
    if backend == "postgresql":
        assert (SearchKind.PROGRESS_REPORT, world["report"].id) in found(
            app, world["secretariat"], "inspectie"
        )["objects"]
    # Both find the words that start with what is typed, as people type them; a word that
    # starts none finds nothing.
    for beginning in ("inspecti", "insp", "240 insp"):
        assert (SearchKind.PROGRESS_REPORT, world["report"].id) in found(
            app, world["secretariat"], beginning
        )["objects"], beginning
    assert (SearchKind.MEASURE, world["measure"].id) in found(
        app, world["secretariat"], "arbeidsinsp"
    )["objects"]
    assert found(app, world["secretariat"], "nspectie")["objects"] == set()


def test_a_bureau_only_agency_never_sees_a_platform_result_nor_counts_one(app, world):
    mine = found(app, world["rep_bureau"], "kustwacht")
    assert mine["objects"] == {(SearchKind.AGENDA_ITEM, world["item"].id)}
    assert mine["totals"] == {SearchGroup.MEETINGS: 1}
    assert mine["total"] == 1
    everything = found(app, world["secretariat"], "kustwacht")
    assert everything["objects"] >= {
        (SearchKind.AGENDA_ITEM, world["platform_item"].id),
        (SearchKind.MINUTES, world["platform_minutes"].id),
        (SearchKind.DOCUMENT, world["platform_document"].id),
    }
    assert everything["total"] == 4
    # Ministers and the rapporteur read both forums; the platform-only agency the platform.
    assert found(app, world["minister"], "kustwacht")["total"] == 4
    assert found(app, world["rapporteur"], "kustwacht")["total"] == 4
    assert found(app, world["rep_platform"], "kustwacht")["total"] == 3


def test_a_platform_meeting_is_nothing_to_the_bureau_only_agency_by_any_way(app, world):
    for text in ("printemps", "Plateforme de printemps", "19/03/2025", "19 maart 2025"):
        assert found(app, world["rep_bureau"], text)["total"] == 0, text
        assert (SearchKind.MEETING, world["platform_meeting"].id) in found(
            app, world["secretariat"], text
        )["objects"], text


@pytest.mark.parametrize("reader", ["rep_bureau", "rep_both", "minister", "rapporteur"])
def test_drafts_are_found_by_those_who_write_minutes_only(app, world, reader):
    draft_parts = {
        (SearchKind.MINUTES, world["draft"].id),
        (SearchKind.DECISION, world["draft_decision"].id),
        (SearchKind.FOLLOW_UP, world["draft_action"].id),
    }
    assert found(app, world["secretariat"], "kerstmarkt")["objects"] == draft_parts
    assert found(app, world[reader], "kerstmarkt")["total"] == 0
    # A draft circulated to the bureau's members is read on its page, never found.
    assert found(app, world[reader], "rozenkrans")["total"] == 0
    assert found(app, world["secretariat"], "rozenkrans")["total"] == 1


def test_a_measure_is_found_by_its_code_as_typed(app, world):
    reader = world["rep_bureau"]
    for text in ("6.8", " 6.8 "):
        result = found(app, reader, text.strip())
        assert result["results"][0].kind is SearchKind.MEASURE
        assert result["results"][0].object_id == world["measure"].id
        # Its progress reports carry the code too.
        assert (SearchKind.PROGRESS_REPORT, world["report"].id) in result["objects"]
    for text in ("3.4b", "3.4B", "3.4"):
        assert (SearchKind.MEASURE, world["other_measure"].id) in found(app, reader, text)[
            "objects"
        ], text


@pytest.mark.parametrize("name", ["DVZ", "OE", "oe", "IMMIGRATION"])
def test_an_agency_short_name_finds_what_it_leads(app, world, name):
    assert (SearchKind.MEASURE, world["measure"].id) in found(app, world["rep_bureau"], name)[
        "objects"
    ]


@pytest.mark.parametrize(
    "text",
    ["12/03/2025", "12.03.2025", "12-03-2025", "2025-03-12", "12 maart 2025", "12 mars 2025",
     "March 12, 2025", "12 Mar 2025", "maart 2025"],
)  # fmt: skip
def test_a_meeting_is_found_by_its_day_as_people_type_it(app, world, text):
    result = found(app, world["rep_bureau"], text)
    assert (SearchKind.MEETING, world["bureau_meeting"].id) in result["objects"]
    assert (SearchKind.MINUTES, world["minutes"].id) in result["objects"]


def test_filters_by_kind_forum_year_and_status(app, world):
    sec = world["secretariat"]
    assert found(app, sec, "kustwacht", group=SearchGroup.MINUTES)["objects"] == {
        (SearchKind.MINUTES, world["platform_minutes"].id)
    }
    assert found(app, sec, "kustwacht", forum_id=world["bureau"].id)["objects"] == {
        (SearchKind.AGENDA_ITEM, world["item"].id)
    }
    assert found(app, sec, "kustwacht", year=2024)["total"] == 0
    assert found(app, sec, "kustwacht", year=2025)["total"] == 4
    assert found(app, sec, "kerstmarkt", status="draft")["objects"] == {
        (SearchKind.MINUTES, world["draft"].id),
        (SearchKind.DECISION, world["draft_decision"].id),
    }
    assert found(app, sec, "arbeidsinspecteurs", status="in_progress")["total"] == 1
    assert found(app, sec, "arbeidsinspecteurs", status="proposed")["total"] == 0


def test_one_result_per_object_in_the_readers_language(app, world):
    # The meeting's title is written in both languages; a word of both finds it once.
    results = found(app, world["secretariat"], "bureau", "fr", group=SearchGroup.MEETINGS)
    meetings = [r for r in results["results"] if r.object_id == world["bureau_meeting"].id]
    assert len(meetings) == 1
    assert meetings[0].language == "fr"


def test_the_page_groups_results_with_counts_and_links(app, world, login_as):
    client = login_as(world["rep_bureau"])
    page = client.get("/search?q=kustwacht").get_data(as_text=True)
    assert "1 result for" in page
    assert "Meetings and agenda items" in page
    assert f"/meetings/{world['bureau_meeting'].id}#item-{world['item'].id}" in page
    assert f"/meetings/{world['platform_meeting'].id}" not in page
    assert "<mark>" in page
    assert 'id="results-meetings"' in page
    assert 'id="results-minutes"' not in page


def test_the_header_search_box_is_on_every_page(app, world, login_as):
    page = login_as(world["rep_bureau"]).get("/").get_data(as_text=True)
    assert '<search class="site-search"' in page
    assert 'for="site-search-q"' in page


def test_nothing_found_says_what_to_do_next(app, world, login_as):
    client = login_as(world["rep_bureau"])
    response = client.get("/search?q=onvindbaarwoord&kind=minutes")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "0 results for" in page
    assert "Search again without the filters" in page


def test_a_reader_cannot_filter_on_draft_statuses(app, world, login_as):
    client = login_as(world["rep_bureau"])
    page = client.get("/search?q=x").get_data(as_text=True)
    assert 'value="draft"' not in page
    assert client.get("/search?q=kerstmarkt&status=draft").status_code == 400
    assert 'value="draft"' in login_as(world["secretariat"]).get("/search?q=x").get_data(
        as_text=True
    )


HOSTILE = [
    '"', '""', '"unbalanced', "AND OR NOT", "OR", "NOT", "*", "**", "NEAR(", "NEAR(a b, 2)",
    "-", "--", "-kustwacht", ":", "title:kustwacht", "(kustwacht", "kustwacht)", "((", "))",
    "^", "'", "\\", "%", "_", "a & b | !c", "<->", "é", "😀", "'; DROP TABLE search_entries; --",
    "%00", " ", "6.8*", "12/13/2025", "99.99.9999", "\u202eevil", "a\tb\nc",
]  # fmt: skip


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_texts_get_an_answer_never_an_error(app, world, login_as, text):
    client = login_as(world["rep_both"])
    response = client.get("/search", query_string={"q": text})
    assert response.status_code == 200, text
    assert "There is a problem" not in response.get_data(as_text=True)


@pytest.mark.parametrize("text", ["kustwacht\x00", "\x00"])
def test_a_nul_byte_is_refused_as_everywhere(app, world, login_as, text):
    # The application refuses a NUL in any parameter (core.views): a 400, never a 500.
    response = login_as(world["rep_both"]).get("/search", query_string={"q": text})
    assert response.status_code == 400


def test_a_text_too_long_is_refused_with_a_message(app, world, login_as):
    client = login_as(world["rep_both"])
    response = client.get("/search", query_string={"q": "kustwacht " * 1024})
    assert response.status_code == 400
    assert "Type at most 200 characters to search for." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    ["q=%ff%fe", "q=%C3%28", "q=a&kind=bogus", "q=a&forum=abc", "q=a&year=abc",
     "q=a&year=99999", "q=a&status=bogus", "q=a&page=abc", "q=a&kind=minutes&page=99999999",
     "q=a&q=b", "kind=minutes"],
)  # fmt: skip
def test_bad_parameters_are_answered_never_an_error(app, world, login_as, query):
    response = login_as(world["rep_both"]).get(f"/search?{query}")
    assert response.status_code in (200, 400), query


def test_content_is_escaped_in_titles_and_passages(app, world, login_as):
    from tests import factories

    factories.agenda_item(
        world["bureau_meeting"],
        "<script>alert(1)</script> zeebrugge <b>vet</b>",
        description="<img src=x onerror=alert(2)> zeebrugge \ue000fake\ue001",
    )
    db.session.commit()
    page = login_as(world["rep_bureau"]).get("/search?q=zeebrugge").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "<b>vet</b>" not in page
    # Content cannot fake the engine's marks: only the word searched is marked.
    marks = re.findall(r"<mark>(.*?)</mark>", page)
    assert marks
    assert all(word.lower() == "zeebrugge" for word in marks)


def test_marked_passages_escape_everything_but_the_marks():
    marked = queries.marked("a <b> \ue000word\ue001 & c")
    assert str(marked) == "a &lt;b&gt; <mark>word</mark> &amp; c"
    assert str(queries.marked("\ue000unpaired <i>")) == "unpaired &lt;i&gt;"


def test_bounded_statements_whatever_the_number_of_results(app, world, login_as, count_queries):
    from tests import factories

    client = login_as(world["secretariat"])

    def statements(query: str) -> int:
        with count_queries() as counter:
            assert client.get(f"/search?{query}").status_code == 200
        return counter.count

    few = statements("q=kustwacht")
    for number in range(30):
        factories.agenda_item(world["bureau_meeting"], f"Kustwacht punt {number}")
    db.session.commit()
    assert statements("q=kustwacht") == few
    assert statements("q=kustwacht&kind=meetings&page=2") == few
    # The search itself is two statements (results with counts, passages) plus the forums.
    assert few <= 10
