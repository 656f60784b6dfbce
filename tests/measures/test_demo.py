"""The demo action plan: plausible, complete, idempotent, linked to the demo meetings."""

from __future__ import annotations

import sqlalchemy as sa

from coordination.db import db
from coordination.demo import load_demo_data
from coordination.demo.measures import MEASURES, final_status
from coordination.measures import queries
from coordination.measures.models import ActionPlan, Measure, MeasureStatus, ReportStatus
from coordination.meetings.models import AgendaItem
from tests.test_demo import snapshot


def build_module_data() -> dict:
    """The demo data, loaded once for the module (each test rolls back its own changes)."""
    return {"summary": load_demo_data()}


def measure(code: str) -> Measure:
    return db.session.scalar(sa.select(Measure).where(Measure.code == code))


def test_demo_plan_has_every_status_and_late_measures(module_data):
    plan = db.session.scalar(sa.select(ActionPlan))
    assert plan.code == "NAP-2021-2025"
    assert [theme.name_en for theme in plan.themes][-1] == "Labour exploitation"
    assert all(theme.name_nl and theme.name_fr for theme in plan.themes)
    measures = list(db.session.scalars(sa.select(Measure)))
    assert len(measures) == 40
    assert {m.status for m in measures} == set(MeasureStatus)
    assert sum(m.is_late for m in measures) >= 5
    assert "MYRIA" not in {m.lead_agency.code for m in measures}
    for spec in MEASURES:
        loaded = measure(spec.code)
        assert loaded.status is final_status(spec)
        assert loaded.transitions[-1].to_status is loaded.status
        assert loaded.transitions[0].from_status is None


def test_demo_indicators_tell_the_real_story(module_data):
    ecosoc = measure("6.1")
    [indicator] = ecosoc.indicators
    results = {row.year: row for row in queries.indicator_results(indicator)}
    assert results[2024].result.value == 240
    assert results[2024].verdict == "met"
    assert results[2025].verdict == "no_result"  # the 2025 report awaits review
    assert {r.status for r in ecosoc.reports} == {ReportStatus.ACCEPTED, ReportStatus.SUBMITTED}
    defence = measure("5.3")
    assert defence.lead_agency.code == "DEFENCE"
    assert "20 March 2006" in defence.description.en
    assert "20 maart 2006" in defence.description.nl
    assert "20 mars 2006" in defence.description.fr
    assert ReportStatus.RETURNED in {r.status for r in defence.reports}
    assert {row.verdict for row in queries.indicator_results(defence.indicators[0])} >= {
        "met",
        "not_met",
    }


def test_demo_is_idempotent(module_data):
    before = snapshot()
    summary = load_demo_data()
    db.session.commit()
    assert snapshot() == before
    assert summary.describe() == "demo data already loaded: nothing to do"


def test_demo_links_history_to_the_meetings(module_data):
    ecosoc = queries.load_measure(measure("6.1").id)
    steps = [
        (entry.kind, entry.meeting.forum.code if entry.meeting else None)
        for entry in queries.timeline(ecosoc)
    ]
    assert steps[:5] == [
        ("created", None),
        ("agenda", "bureau"),
        ("agenda", "platform"),
        ("transition", "platform"),
        ("transition", None),
    ]
    assert ("agenda", "bureau") in steps[5:]  # back to the bureau for follow-up
    rejected = measure("1.7")
    decided_at = rejected.transitions[-1].meeting
    assert decided_at.forum.code == "platform"
    assert (decided_at.local_date.year, decided_at.local_date.month) == (2022, 10)
    on_october = queries.measures_on_meeting(
        db.session.scalar(
            sa.select(AgendaItem.meeting_id).where(AgendaItem.measure_id == measure("1.6").id)
        )
    )
    assert {m.code for _item, m in on_october} == {"1.6", "6.4"}
    before = snapshot()
    load_demo_data()
    db.session.commit()
    assert snapshot() == before
