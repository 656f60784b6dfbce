"""The demo data tells the decision chain: proposals the bureau forwarded, the platform's
decisions on its agenda items, each in the minutes of its meeting."""

from __future__ import annotations

import sqlalchemy as sa

from coordination.db import db
from coordination.decisions.models import ItemDecision, Outcome
from coordination.demo import load_demo_data
from coordination.measures.models import MeasureTransition
from coordination.measures.workflow import PLATFORM_DECISIONS


def build_module_data() -> dict:
    """The demo data, loaded once for the module (each test rolls back its own changes)."""
    return {"summary": load_demo_data()}


def test_the_demo_decisions_run_from_the_bureau_to_the_minutes(module_data):
    decisions = list(db.session.scalars(sa.select(ItemDecision)))
    outcomes = {decision.outcome for decision in decisions}
    assert {Outcome.FORWARDED, Outcome.ADOPTED, Outcome.REJECTED} <= outcomes
    assert len({d.measure_id for d in decisions if d.outcome is Outcome.ADOPTED}) >= 5
    for decision in decisions:
        meeting = decision.agenda_item.meeting
        assert meeting.forum.political == (decision.outcome is not Outcome.FORWARDED)
        if decision.transition is not None:
            assert decision.transition.meeting_id == meeting.id
        if decision.decision is not None:
            assert decision.decision.minutes.meeting_id == meeting.id
            assert decision.decision.text.missing_official() == []
        if decision.outcome is Outcome.FORWARDED:
            assert decision.forwarded_to.meeting.forum.political
    assert any(d.decision is not None for d in decisions if d.outcome is Outcome.ADOPTED)


def test_every_demo_adoption_was_decided_on_an_agenda_item(module_data):
    linked = set(db.session.scalars(sa.select(ItemDecision.transition_id)))
    bare = [
        transition
        for transition in db.session.scalars(sa.select(MeasureTransition))
        if transition.to_status in PLATFORM_DECISIONS and transition.id not in linked
    ]
    assert [(t.measure.code, t.meeting_id) for t in bare if t.meeting_id is not None] == []


def test_loading_the_demo_again_records_no_decision_twice(module_data):
    before = db.session.scalar(sa.select(sa.func.count(ItemDecision.id)))
    assert load_demo_data().created.get("decisions on agenda items", 0) == 0
    assert db.session.scalar(sa.select(sa.func.count(ItemDecision.id))) == before
