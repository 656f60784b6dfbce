"""The action-plan dashboard: every figure checked against the database, filters in the URL,
bad filters, charts with their tables, and a bounded number of statements.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from coordination.core.texts import Texts
from coordination.dashboard import queries
from coordination.db import db
from coordination.measures.models import Measure, MeasureStatus
from coordination.measures.workflow import REPORTABLE_STATUSES
from tests.dashboard import builders
from tests.dashboard.html import Page, text_of

S = MeasureStatus


@pytest.fixture
def env(app):
    return builders.build()


def page(client, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return Page(response.get_data(as_text=True))


def key_figures(view: Page) -> list[str]:
    return [text_of(strong) for strong in view.all("#key-figures li strong")]


def expected_figures(plan_id: int, today, **where) -> dict:
    """The headline figures, computed independently: every measure loaded, counted in Python."""
    measures = [
        m
        for m in db.session.scalars(sa.select(Measure).where(Measure.plan_id == plan_id))
        if all(getattr(m, f"{name}_id") == value for name, value in where.items())
    ]
    adopted = [m for m in measures if m.status in REPORTABLE_STATUSES]
    implemented = [m for m in measures if m.status is S.IMPLEMENTED]
    rate = f"{round(100 * len(implemented) / len(adopted))}%" if adopted else "—"
    return {
        "total": len(measures),
        "adopted": len(adopted),
        "implemented": len(implemented),
        "rate": rate,
        "late": sum(m.late_on(today) for m in measures),
        "proposed": sum(m.status is S.PROPOSED for m in measures),
        "by_status": {status: sum(m.status is status for m in measures) for status in S},
    }


# --- every figure ---------------------------------------------------------------------------


def test_key_figures_are_those_of_the_database(env, login_as):
    view = page(login_as(env["minister"]), "/dashboard/")
    expected = expected_figures(env["plan"].id, env["today"])
    assert key_figures(view) == ["8", "4", "1", "25%", "3", "2"]
    assert key_figures(view) == [
        str(expected[key]) for key in ("total", "adopted", "implemented", "rate", "late")
    ] + [str(expected["proposed"])]
    assert "National action plan 2021-2025" in view.text("p.lead")


def test_status_table_and_chart_agree_with_the_database(env, login_as):
    view = page(login_as(env["rapporteur"]), "/dashboard/")
    expected = expected_figures(env["plan"].id, env["today"])["by_status"]
    rows = view.rows("#status-table")
    assert [row[0] for row in rows] == [
        "Proposed", "Adopted", "In progress", "Postponed", "Implemented", "Rejected", "Withdrawn",
    ]  # fmt: skip
    assert [int(row[1].split()[0]) for row in rows] == [expected[status] for status in S]
    assert view.rows("#status-table", "tfoot") == [["Total", "8"]]
    # The chart says the same figures (value labels and its text alternative).
    svg = view.one("#chart-status")
    desc = text_of(svg.query("desc"))
    assert "Proposed: 2; Adopted: 1; In progress: 1" in desc
    assert "Implementation rate: 25%" in desc


def test_themes_table(env, login_as):
    view = page(login_as(env["minister"]), "/dashboard/")
    header = [text_of(cell) for cell in view.all("#themes-table thead th")]
    assert header == [
        "Theme", "Proposed", "Adopted", "In progress", "Postponed", "Implemented", "Rejected",
        "Withdrawn", "Total", "Late",
    ]  # fmt: skip
    assert view.rows("#themes-table") == [
        ["1. Prevention", "0", "0", "1", "0", "1", "0", "1", "3", "1"],
        ["2. Detection and identification", "1", "1", "0", "0", "0", "0", "0", "2", "1"],
        ["3. Protection of victims", "1", "0", "0", "1", "0", "1", "0", "3", "1"],
    ]


def test_late_measures_with_their_lead_agencies(env, login_as):
    view = page(login_as(env["minister"]), "/dashboard/")
    assert [row[0].split()[0] for row in view.rows("#late-agencies-table")] == [
        "BOTH", "BUREAUONLY", "PLATFORMONLY",
    ]  # fmt: skip
    assert [row[1] for row in view.rows("#late-agencies-table")] == ["1", "1", "1"]
    overdue = view.rows("#overdue-table")
    assert [row[0].split(" — ")[0] for row in overdue] == ["3.1", "1.1", "2.1"]
    assert [row[1] for row in overdue] == ["BUREAUONLY", "BOTH", "PLATFORMONLY"]
    assert [row[4] for row in overdue] == ["400", "10", "5"]
    # Late is said in words; the status is a word too.
    assert overdue[0][2] == "Postponed"
    link = view.one("#late-title ~ p a").etree_element.get("href")
    query = parse_qs(urlsplit(link).query)
    assert query == {"late": ["y"], "plan": [str(env["plan"].id)]}


def test_late_agencies_beyond_the_first_few_are_summed_up(env, login_as, monkeypatch):
    """Hundreds of lead agencies must not make a chart of hundreds of bars."""
    monkeypatch.setattr(queries, "LATE_AGENCY_LIMIT", 2)
    view = page(login_as(env["minister"]), "/dashboard/")
    rows = view.rows("#late-agencies-table")
    assert [row[0].split()[0] for row in rows[:2]] == ["BOTH", "BUREAUONLY"]
    assert rows[2] == ["Other agencies (1 agency)", "1"]
    assert view.text("#chart-late desc").endswith("; Other agencies: 1.")
    briefing = page(login_as(env["minister"]), "/dashboard/briefing")
    assert briefing.rows("#briefing-late-agencies")[2] == ["Other agencies (1 agency)", "1"]


def test_indicator_targets_against_results_per_year(env, login_as):
    view = page(login_as(env["minister"]), "/dashboard/")
    # 2.1 is a proposal: its indicator is no target of the plan yet.
    assert view.rows("#indicator-years-table") == [
        ["2023", "1", "0", "1", "0"],
        ["2024", "5", "3", "1", "1"],
        ["2025", "1", "0", "0", "1"],
    ]
    assert "Highlights of 2024" in view.html
    below = view.rows("#below-table")
    assert len(below) == 1
    assert below[0][0].startswith("Shelter places")
    assert below[0][3:5] == ["200", "150"]
    assert below[0][5] == "Target not met \u221225%"
    above = view.rows("#above-table")
    # Less is better: 20 days against a target of 30 is met by a third.
    assert [(row[0].split(" (")[0], row[5]) for row in above] == [
        ("Officers trained", "Target met +140%"),
        ("Days to identify a victim", "Target met +33.3%"),
        ("Language versions", "Target met +20%"),
    ]
    # Only values that count: 240 from the accepted report, not the pending 50; 60, not the
    # returned 10.
    assert above[0][3:5] == ["100", "240"]
    assert above[2][3:5] == ["50", "60"]


def test_adoption_at_each_platform_meeting(env, login_as):
    view = page(login_as(env["minister"]), "/dashboard/")
    rows = view.rows("#adoption-table")
    assert [(row[0].split(" — ")[1], row[1]) for row in rows] == [
        ("Platform spring 2021", "2"),
        ("Platform autumn 2023", "0"),
        ("Platform recent session", "1"),
    ]
    assert view.rows("#adoption-table", "tfoot") == [
        ["Adopted without a recorded platform meeting", "1"]
    ]
    # Independent count: transitions to "adopted" of the plan's measures.
    adoptions = db.session.scalar(
        sa.text(
            "SELECT count(*) FROM measure_transitions t JOIN measures m ON m.id = t.measure_id "
            "WHERE m.plan_id = :plan AND t.to_status = 'adopted'"
        ),
        {"plan": env["plan"].id},
    )
    assert adoptions == sum(int(row[1]) for row in rows) + 1


# --- filters --------------------------------------------------------------------------------


def test_filters_live_in_the_url(env, login_as):
    client = login_as(env["minister"])
    t2 = env["themes"][1]
    view = page(client, f"/dashboard/?theme={t2.id}")
    assert key_figures(view)[:2] == ["2", "1"]
    assert [row[0] for row in view.rows("#themes-table")] == ["2. Detection and identification"]
    assert view.one("#theme").etree_element.find(".//*[@selected]") is not None
    expected = expected_figures(env["plan"].id, env["today"], lead_agency=env["both"].id)
    view = page(client, f"/dashboard/?lead={env['both'].id}")
    assert key_figures(view)[0] == str(expected["total"]) == "4"
    assert key_figures(view)[4] == str(expected["late"]) == "1"
    # The exports and the list links carry the same filters.
    csv_link = view.one("a[href^='/dashboard/export.csv']").etree_element.get("href")
    assert parse_qs(urlsplit(csv_link).query) == {
        "plan": [str(env["plan"].id)],
        "lead": [str(env["both"].id)],
    }


def test_another_plan_by_its_id_or_by_one_of_its_themes(env, login_as):
    client = login_as(env["rapporteur"])
    old = env["old"]
    view = page(client, f"/dashboard/?plan={old.id}")
    assert key_figures(view)[:5] == ["2", "2", "1", "50%", "1"]
    assert "NAP-2016-2020" in view.text("p.lead")
    view = page(client, f"/dashboard/?theme={old.themes[0].id}")
    assert "NAP-2016-2020" in view.text("p.lead")


NO_SUCH_LEAD = "No agency leading a measure is called"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("plan=abc", "Not a valid choice"),
        ("plan=999999", "Not a valid choice"),
        ("theme=x", "Not a valid choice"),
        ("plan=1.5", "Not a valid choice"),
        ("lead=-1", NO_SUCH_LEAD),
        ("lead=99999999999999999999", NO_SUCH_LEAD),
        ("lead=%C2%B2", NO_SUCH_LEAD),  # a superscript two: a digit to Python, not a number
    ],
)
def test_bad_filters_are_a_400_that_says_why(env, login_as, query, message):
    view = page(login_as(env["minister"]), f"/dashboard/?{query}", status=400)
    assert "There is a problem" in view.html
    assert message in view.text(".error-summary")
    assert view.all("#key-figures") == []


def test_a_theme_of_another_plan_is_refused(env, login_as):
    old_theme = env["old"].themes[0]
    view = page(
        login_as(env["minister"]),
        f"/dashboard/?plan={env['plan'].id}&theme={old_theme.id}",
        status=400,
    )
    assert "This theme belongs to another action plan." in view.text(".error-summary")


def test_no_plan_yet(app, login_as):
    from tests import factories

    world = factories.world()
    db.session.commit()
    view = page(login_as(world["minister"]), "/dashboard/")
    assert "No action plan yet." in view.html


# --- charts and accessibility ---------------------------------------------------------------


def test_each_chart_is_a_figure_with_a_caption_next_to_a_table(env, login_as):
    view = page(login_as(env["minister"]), "/dashboard/")
    charts = view.all("figure.chart-figure")
    assert len(charts) == 5
    for figure in charts:
        svg = figure.query("svg")
        assert svg.etree_element.get("role") == "img"
        assert text_of(svg.query("title"))
        assert text_of(figure.query("figcaption"))
        table = figure.parent.query("table")
        assert text_of(table.query("caption"))
        assert table.query_all("th[scope]")
    # Strict CSP: no inline style anywhere, not even in the charts.
    assert "style=" not in view.html
    assert "<style" not in view.html
    assert len(view.all("h1")) == 1


def test_navigation_shows_the_dashboard_to_plan_readers(env, login_as):
    for role, shown in [("minister", True), ("rapporteur", True), ("secretariat", True),
                        ("rep_both", False)]:  # fmt: skip
        view = page(login_as(env[role]), "/")
        nav = view.one("ul.main-nav")
        labels = [text_of(link) for link in nav.query_all("a")]
        assert ("Dashboard" in labels) is shown, role
        current = [text_of(link) for link in nav.query_all("a[aria-current]")]
        assert current == ["Home"], role
    view = page(login_as(env["minister"]), "/dashboard/")
    assert [text_of(a) for a in view.all("ul.main-nav a[aria-current]")] == ["Dashboard"]


# --- statements -----------------------------------------------------------------------------


def add_measures(env, number: int) -> None:
    from tests.measures import factories as mf

    plan = env["plan"]
    for index in range(number):
        measure = mf.measure(
            plan,
            env["both"],
            list(S)[index % len(S)],
            code=f"8.{index + 100}",
            theme=plan.themes[index % 3],
            deadline=env["today"] - timedelta(days=index % 3),
        )
        indicator = mf.indicator(measure, targets={2024: "10", 2025: "10"})
        mf.value(indicator, 2024, str(index % 20))
    db.session.commit()


def test_dashboard_runs_a_fixed_number_of_statements(env, login_as, count_queries):
    client = login_as(env["secretariat"])
    with count_queries() as few:
        assert client.get("/dashboard/").status_code == 200
    add_measures(env, 60)
    with count_queries() as many:
        assert client.get("/dashboard/").status_code == 200
    assert many.count == few.count
    # Computed (the cache misses after a write): the figures, and the data versions read.
    assert few.count <= 17, few.statements


# --- the cache ------------------------------------------------------------------------------


def test_the_dashboard_comes_from_the_cache_until_the_plan_changes(env, login_as, count_queries):
    """Figures and charts are computed once per state of the plan (core.cache): the second view
    reads none of the plan's aggregates, and the view after a committed change shows it."""
    client = login_as(env["minister"])
    with count_queries() as computed:
        first = page(client, "/dashboard/")
    with count_queries() as from_cache:
        second = page(client, "/dashboard/")
    assert key_figures(second) == key_figures(first)
    for chart in ("#chart-status", "#chart-themes"):
        assert text_of(second.one(chart)) == text_of(first.one(chart))
    assert from_cache.count < computed.count - 5, from_cache.statements
    assert not any("indicator_values" in statement for statement in from_cache.statements)

    proposed = env["measures"]["3.3"]
    assert proposed.status is S.PROPOSED
    proposed.status = S.ADOPTED
    db.session.commit()
    third = page(client, "/dashboard/")
    expected = expected_figures(env["plan"].id, env["today"])
    assert key_figures(third) != key_figures(first)
    assert key_figures(third)[1] == str(expected["adopted"])

    # A meeting's change (an adoption's date and title come from the meetings) shows too.
    env["meetings"]["march_2021"].title = Texts.same("Platform, spring 2021")
    db.session.commit()
    assert "Platform, spring 2021" in page(client, "/dashboard/").html


def test_each_language_has_its_own_cached_charts(env, login_as):
    client = login_as(env["minister"])
    charts = {}
    for language in ("nl", "fr", "nl"):
        client.get(f"/language/{language}")
        view = page(client, "/dashboard/")
        assert view.one("html").etree_element.get("lang") == language
        charts.setdefault(language, []).append(view.one("#chart-status").etree_element)
    nl_svg, fr_svg = ("".join(charts[language][0].itertext()) for language in ("nl", "fr"))
    assert nl_svg != fr_svg
    assert "".join(charts["nl"][1].itertext()) == nl_svg
