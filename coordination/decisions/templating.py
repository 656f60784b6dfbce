"""What other domains' pages show of the decisions: a measure's timeline marks the decision
taken on each of its agenda items, and an adoption entered without one."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coordination.core.sections import add_section
from coordination.db import db
from coordination.decisions.models import DecisionCorrection, ItemDecision
from coordination.decisions.workflow import outcome_label
from coordination.measures.models import Measure, MeasureTransition
from coordination.measures.workflow import PLATFORM_DECISIONS
from coordination.meetings.models import AgendaItem, Meeting
from coordination.minutes.models import Decision, Minutes


@dataclass(frozen=True)
class MeasureDecisions:
    """The decisions taken on a measure's agenda items, by item and by transition, and the
    transitions their corrections made."""

    by_item: dict[int, ItemDecision] = field(default_factory=dict)
    by_transition: dict[int, ItemDecision] = field(default_factory=dict)
    corrections: dict[int, DecisionCorrection] = field(default_factory=dict)

    def on_item(self, item_id: int) -> ItemDecision | None:
        return self.by_item.get(item_id)

    def correction_by(self, transition: MeasureTransition) -> DecisionCorrection | None:
        """The correction of a decision that made ``transition``, if it did."""
        return self.corrections.get(transition.id)

    def entered_without_item(self, transition: MeasureTransition) -> bool:
        """An adoption or a rejection recorded directly, not on an agenda item (before the
        chain existed, or by the status form)."""
        return (
            transition.to_status in PLATFORM_DECISIONS
            and transition.id not in self.by_transition
            and transition.id not in self.corrections
        )


def measure_decisions(measure: Measure) -> MeasureDecisions:
    """The decisions on ``measure``'s agenda items, with their corrections (two statements)."""
    rows = db.session.scalars(
        select(ItemDecision)
        .where(ItemDecision.measure_id == measure.id)
        .options(selectinload(ItemDecision.corrections))
    )
    decisions = list(rows)
    return MeasureDecisions(
        by_item={row.agenda_item_id: row for row in decisions},
        by_transition={row.transition_id: row for row in decisions if row.transition_id},
        corrections={
            correction.transition_id: correction
            for row in decisions
            for correction in row.corrections
            if correction.transition_id
        },
    )


def decisions_on_meeting(meeting_id: int) -> dict[int, ItemDecision]:
    """The decisions taken on a meeting's agenda items, by item id (one statement)."""
    rows = db.session.scalars(
        select(ItemDecision)
        .join(AgendaItem, AgendaItem.id == ItemDecision.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting_id)
    )
    return {row.agenda_item_id: row for row in rows}


def decisions_on_agenda(meeting: Meeting) -> dict[int, ItemDecision]:
    """The meeting page's section: ``decisions_on_meeting``, no statement for an empty agenda
    (the page has loaded its items)."""
    return decisions_on_meeting(meeting.id) if meeting.agenda_items else {}


def decisions_of_minutes(minutes: Minutes) -> dict[int, ItemDecision]:
    """The minutes pages' section: ``decisions_in_minutes``, no statement without decisions
    (the page has loaded them)."""
    return decisions_in_minutes(minutes) if minutes.decisions else {}


def decisions_in_minutes(minutes: Minutes) -> dict[int, ItemDecision]:
    """The minutes' decisions taken on an agenda item, by the minutes decision's id, with
    their measure (one statement)."""
    rows = db.session.scalars(
        select(ItemDecision)
        .join(Decision, Decision.id == ItemDecision.decision_id)
        .where(Decision.minutes_id == minutes.id)
        .options(joinedload(ItemDecision.measure))
    )
    return {row.decision_id: row for row in rows if row.decision_id is not None}


def register_template_helpers(bp: Blueprint) -> None:
    bp.add_app_template_global(measure_decisions)
    bp.add_app_template_global(decisions_in_minutes)
    add_section("meeting", "decisions", decisions_on_agenda)
    add_section("minutes", "decisions", decisions_of_minutes)
    bp.add_app_template_global(outcome_label, "decision_outcome_label")
