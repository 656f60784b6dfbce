"""Done when: logged in as the demo minister, the dashboard shows the demo plan truthfully.

Every figure is checked against the database with independent, simple computations: every
measure loaded and counted in Python, indicator verdicts from ``measures.queries``.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import sqlalchemy as sa

from coordination.auth.services import find_user_by_email
from coordination.core.time import today_brussels
from coordination.db import db
from coordination.demo import load_demo_data
from coordination.measures import queries as measure_queries
from coordination.measures.models import ActionPlan, Measure, MeasureStatus, MeasureTransition
from coordination.measures.workflow import REPORTABLE_STATUSES
from tests.dashboard.html import Page, text_of


def number(text: str) -> float:
    """A figure as shown in any of the three languages: "33,3 %", "33.3%", "1 234"."""
    return float(re.sub(r"[^\d,.]", "", text).replace(",", "."))


def build_module_data() -> dict:
    """The demo data, loaded once for the module (each test rolls back its own changes)."""
    return {"summary": load_demo_data()}


@pytest.fixture
def demo(module_data, login_as):
    minister = find_user_by_email("minister@demo.coordination.be")
    plan = db.session.scalar(sa.select(ActionPlan).where(ActionPlan.code == "NAP-2021-2025"))
    measures = list(db.session.scalars(sa.select(Measure).where(Measure.plan_id == plan.id)))
    return {"client": login_as(minister), "plan": plan, "measures": measures}


def test_the_demo_minister_sees_the_demo_plan_truthfully(demo):
    response = demo["client"].get("/dashboard/")
    assert response.status_code == 200
    view = Page(response.get_data(as_text=True))
    assert 'lang="fr"' in view.html  # the demo minister reads French
    measures, today = demo["measures"], today_brussels()
    adopted = [m for m in measures if m.status in REPORTABLE_STATUSES]
    implemented = [m for m in measures if m.status is MeasureStatus.IMPLEMENTED]
    late = [m for m in measures if m.late_on(today)]
    figures = [text_of(strong) for strong in view.all("#key-figures li strong")]
    assert [number(figure) for figure in figures] == [
        len(measures),
        len(adopted),
        len(implemented),
        round(100 * len(implemented) / len(adopted), 1),
        len(late),
        sum(m.status is MeasureStatus.PROPOSED for m in measures),
    ]
    # By status.
    by_status = Counter(m.status for m in measures)
    assert [int(row[1].split()[0]) for row in view.rows("#status-table")] == [
        by_status[status] for status in MeasureStatus
    ]
    # By theme: totals and late measures.
    themes = {theme.position: theme for theme in demo["plan"].themes}
    rows = view.rows("#themes-table")
    assert len(rows) == len(themes)
    for row in rows:
        theme = themes[int(row[0].split(".")[0])]
        in_theme = [m for m in measures if m.theme_id == theme.id]
        assert int(row[-2]) == len(in_theme)
        assert int(row[-1]) == sum(m.late_on(today) for m in in_theme)
    # Late measures by lead agency, named by its short name in the minister's French.
    late_by_lead = Counter(m.lead_agency.short_name.fr for m in late)
    table = {
        text_of(row.query("abbr")): int(text_of(row.query("td")))
        for row in view.all("#late-agencies-table tbody tr")
    }
    assert table == dict(late_by_lead)
    # The lead agency of each overdue measure and indicator highlight: a French short name.
    french = {m.lead_agency.short_name.fr for m in measures}
    leads = [row[1] for row in view.rows("#overdue-table")] + [
        row[2] for table in ("#below-table", "#above-table") for row in view.rows(table)
        if len(row) > 1  # not the "None." of an empty table
    ]  # fmt: skip
    assert leads
    assert set(leads) <= french
    overdue = [row[0].split(" — ")[0] for row in view.rows("#overdue-table")]
    assert overdue == [
        m.code for m in sorted(late, key=lambda m: (m.deadline, m.theme.position, len(m.code),
                                                    m.code))
    ][:20]  # fmt: skip
    # Indicators: verdicts per year, as the measure page computes them.
    verdicts: dict[int, Counter] = {}
    for measure in adopted:
        for indicator in measure.indicators:
            targets = {target.year for target in indicator.targets}
            for result in measure_queries.indicator_results(indicator):
                if result.year in targets:
                    verdicts.setdefault(result.year, Counter())[result.verdict] += 1
    assert [[int(cell) for cell in row] for row in view.rows("#indicator-years-table")] == [
        [year, sum(c.values()), c["met"], c["not_met"], c["no_result"]]
        for year, c in sorted(verdicts.items())
    ]
    # Adoptions: every transition to "adopted" of the plan is counted once.
    adoptions = db.session.scalar(
        sa.select(sa.func.count(MeasureTransition.id))
        .join(Measure)
        .where(Measure.plan_id == demo["plan"].id, MeasureTransition.to_status == "adopted")
    )
    if view.all("#adoption-table"):
        shown = sum(int(row[1]) for row in view.rows("#adoption-table"))
        footer = view.rows("#adoption-table", "tfoot")
        without = int(footer[0][1]) if footer else 0
    else:  # the demo meetings are not loaded: the history has no meeting to link to
        shown = 0
        without = int(number(view.text("#adoptions-without-meeting")))
    assert shown + without == adoptions
    # The charts (adoptions need the demo meetings), each a figure with its table.
    assert len(view.all("figure.chart-figure svg[role=img]")) >= 4


def test_the_demo_briefing_pack_pdf_opens(demo):
    response = demo["client"].get("/dashboard/briefing.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    page = demo["client"].get("/dashboard/briefing")
    assert page.status_code == 200
