"""Demo data: the decision chain of the demo action plan.

The measures' histories are written as they happened (agenda items, adoptions at platform
meetings); this ties each decision to its agenda item and to the minutes of its meeting, the way
recording it on the decisions page does today: a proposal the bureau prepared is forwarded to the
platform meeting that took it up, one the platform took up again later was deferred, an adoption
or a rejection is the decision on the platform's item. The minutes, written years ago, get the
decision as they would have recorded it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.auth.services import find_user_by_email
from coordination.db import db, utcnow
from coordination.decisions.models import ItemDecision, Outcome
from coordination.decisions.services import decision_text
from coordination.demo.measures import SECRETARIAT_EMAIL
from coordination.measures.models import Measure, MeasureStatus
from coordination.meetings.models import AgendaItem, AgendaItemKind
from coordination.minutes.models import Decision, Minutes

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

_OUTCOME_OF_STATUS = {
    MeasureStatus.ADOPTED: Outcome.ADOPTED,
    MeasureStatus.REJECTED: Outcome.REJECTED,
}


def load_decisions(summary: DemoSummary) -> None:
    """Record the decision on every decided item of the demo measures not yet recorded."""
    decided = set(db.session.scalars(select(ItemDecision.agenda_item_id)))
    actor = find_user_by_email(SECRETARIAT_EMAIL)
    now = utcnow()
    measures = db.session.scalars(
        select(Measure).options(
            selectinload(Measure.agenda_items).selectinload(AgendaItem.meeting),
            selectinload(Measure.transitions),
        )
    )
    for measure in measures:
        items = sorted(
            (
                item
                for item in measure.agenda_items
                if item.kind is AgendaItemKind.DECISION and item.meeting.starts_at <= now
            ),
            key=lambda item: item.meeting.starts_at,
        )
        for position, item in enumerate(items):
            if item.id in decided:
                continue
            decision = _decision_on(measure, item, items[position + 1 :])
            if decision is None:
                continue
            decision.decided_by = actor
            _record_in_minutes(decision)
            db.session.add(decision)
            summary.count("decisions on agenda items")
    db.session.flush()


def _decision_on(
    measure: Measure, item: AgendaItem, later: list[AgendaItem]
) -> ItemDecision | None:
    """What the meeting decided on ``item``, told by what happened next; None if undecided."""
    meeting = item.meeting
    decided_at = meeting.ends_at
    if not meeting.forum.political:
        platform = next((i for i in later if i.meeting.forum.political), None)
        if platform is None:
            return None
        return ItemDecision(
            agenda_item=item, measure=measure, outcome=Outcome.FORWARDED,
            forwarded_to=platform, decided_at=decided_at,
        )  # fmt: skip
    transition = next(
        (
            t
            for t in measure.transitions
            if t.meeting_id == meeting.id and t.to_status in _OUTCOME_OF_STATUS
        ),
        None,
    )
    if transition is not None:
        return ItemDecision(
            agenda_item=item, measure=measure, outcome=_OUTCOME_OF_STATUS[transition.to_status],
            transition=transition, decided_at=transition.at,
        )  # fmt: skip
    if any(i.meeting.forum.political for i in later):
        return ItemDecision(
            agenda_item=item, measure=measure, outcome=Outcome.DEFERRED, decided_at=decided_at
        )
    return None


def _record_in_minutes(decision: ItemDecision) -> None:
    """The decision at the end of the meeting's minutes, if they were written."""
    meeting = decision.agenda_item.meeting
    minutes = db.session.scalar(
        select(Minutes)
        .where(Minutes.meeting_id == meeting.id)
        .options(selectinload(Minutes.decisions))
    )
    if minutes is None:
        return
    note = decision.transition.note if decision.transition else ""
    forwarded = decision.forwarded_to
    decision.decision = Decision(
        minutes=minutes,
        position=len(minutes.decisions) + 1,
        text=decision_text(decision.measure, decision.outcome, note, forwarded),
        agenda_item=decision.agenda_item,
    )
