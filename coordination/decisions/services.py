"""Recording a decision on an agenda item: the measure, the minutes and the timeline change
together, in the caller's transaction, whatever the entry point (page, CLI, demo data)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from coordination.agencies.models import Forum
from coordination.audit.services import record_event
from coordination.core.errors import ConflictError, NotAllowed, ValidationError
from coordination.core.i18n import babel_locale
from coordination.core.templating import brussels_date
from coordination.core.texts import CONTENT_LANGUAGES, Texts
from coordination.core.time import to_brussels
from coordination.db import db, utcnow
from coordination.decisions.models import ItemDecision, Outcome
from coordination.decisions.workflow import NEW_STATUS, outcome_label, outcomes_for
from coordination.measures.models import Measure, MeasureStatus
from coordination.measures.services import put_measure_on_agenda
from coordination.measures.workflow import agenda_item_for, transition_measure
from coordination.meetings.models import AgendaItem, AgendaItemKind, Meeting, MeetingStatus
from coordination.minutes import services as minutes_services
from coordination.minutes import workflow as minutes_workflow
from coordination.minutes.models import Minutes
from coordination.users.models import User

#: The decision as the minutes write it, in each content language.
DECISION_SENTENCES = {
    Outcome.ADOPTED: _l("The platform adopts measure %(code)s: %(title)s."),
    Outcome.REJECTED: _l("The platform rejects measure %(code)s: %(title)s."),
    Outcome.DEFERRED: _l("The decision on measure %(code)s (%(title)s) is deferred."),
    Outcome.RETURNED: _l("Measure %(code)s (%(title)s) goes back to the bureau for rework."),
    Outcome.FORWARDED: _l(
        "The bureau forwards measure %(code)s (%(title)s) to the platform meeting of %(date)s."
    ),
}


def items_to_decide(meeting: Meeting) -> list[tuple[AgendaItem, Measure, ItemDecision | None]]:
    """The decision items of ``meeting`` that put a measure before it, in agenda order, each
    with the decision already taken on it (two statements)."""
    rows = db.session.execute(
        select(AgendaItem, Measure)
        .join(Measure, Measure.id == AgendaItem.measure_id)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.kind == AgendaItemKind.DECISION)
        .options(selectinload(Measure.lead_agency))
        .order_by(AgendaItem.position)
    ).all()
    taken = {
        row.agenda_item_id: row
        for row in db.session.scalars(
            select(ItemDecision)
            .where(ItemDecision.agenda_item_id.in_([item.id for item, _measure in rows]))
            .options(selectinload(ItemDecision.decision))
        )
    }
    return [(item, measure, taken.get(item.id)) for item, measure in rows]


def awaiting_decision(
    items: list[tuple[AgendaItem, Measure, ItemDecision | None]],
) -> list[tuple[AgendaItem, Measure]]:
    """Of :func:`items_to_decide`, those still awaiting a decision: a proposal, none taken."""
    return [
        (item, measure)
        for item, measure, taken in items
        if taken is None and measure.status is MeasureStatus.PROPOSED
    ]


def proposals_to_decide(meeting: Meeting) -> list[tuple[AgendaItem, Measure]]:
    return awaiting_decision(items_to_decide(meeting))


def record_meeting_decisions(
    meeting: Meeting,
    decisions: Mapping[int, tuple[Outcome | None, str]],
    *,
    actor: User | None,
    now: datetime | None = None,
) -> list[ItemDecision]:
    """Record the meeting's decisions on the proposals of its agenda, all or nothing.

    ``decisions`` maps a measure id to (the outcome or None for "not decided", a note).

    :raise ValidationError: a measure is not a proposal awaiting a decision on this agenda, or
        nothing was decided.
    :raise NotAllowed: the meeting may not take that decision (see :func:`record_decision`).
    """
    waiting = {measure.id: item for item, measure in proposals_to_decide(meeting)}
    chosen: list[tuple[AgendaItem, Outcome, str]] = []
    for measure_id, (outcome, note) in decisions.items():
        item = waiting.get(measure_id)
        if item is None:
            raise ValidationError(
                _l("One of the measures is no longer a proposal on this agenda; reload the page.")
            )
        if outcome is not None:
            chosen.append((item, outcome, note))
    if not chosen:
        raise ValidationError(_l("No decision chosen: nothing was recorded."))
    return [
        record_decision(item, outcome, note=note, actor=actor, now=now)
        for item, outcome, note in chosen
    ]


def record_decision(
    item: AgendaItem,
    outcome: Outcome,
    *,
    note: str = "",
    actor: User | None,
    now: datetime | None = None,
) -> ItemDecision:
    """Record what the meeting decided on the proposal ``item`` puts before it.

    In one go: the measure's status (adopted, rejected) with the meeting on its timeline; the
    decision in the meeting's minutes (started as a draft if need be), linked to the item; for
    a bureau forwarding a proposal, a decision item on the next platform meeting's agenda.

    :raise ValidationError: the item puts no measure to a decision, or the forum does not take
        that kind of decision.
    :raise NotAllowed: the meeting is cancelled or has not started; the measure is no longer a
        proposal; the minutes are approved (a decision is then corrected through them); no
        platform meeting is scheduled to forward to.
    :raise ConflictError: a decision was already recorded on the item.
    """
    moment = now or utcnow()
    meeting = item.meeting
    measure = db.session.get(Measure, item.measure_id) if item.measure_id else None
    if measure is None or item.kind is not AgendaItemKind.DECISION:
        raise ValidationError(_l("This agenda item puts no measure to a decision."))
    if outcome not in outcomes_for(meeting):
        raise ValidationError(
            _l(
                "This meeting cannot take the decision “%(outcome)s”.",
                outcome=outcome_label(outcome),
            )
        )
    if meeting.is_cancelled:
        raise NotAllowed(_l("This meeting was cancelled: it took no decision."))
    if not meeting.has_started(moment):
        raise NotAllowed(
            _l("This meeting has not started yet: its decisions are recorded once it has.")
        )
    _check_not_decided(item)
    if measure.status is not MeasureStatus.PROPOSED:
        raise NotAllowed(_l("Measure %(code)s is no longer a proposal.", code=measure.code))
    minutes = _minutes_for_decisions(meeting, actor, moment)
    minutes_workflow.ensure_editable(minutes.status)  # before anything changes
    transition = None
    if outcome in NEW_STATUS:
        transition = transition_measure(
            measure,
            NEW_STATUS[outcome],
            actor=actor,
            note=note,
            meeting=meeting,
            today=to_brussels(moment).date(),
        )
    forwarded_to = (
        _forward_to_platform(measure, meeting, actor) if outcome is Outcome.FORWARDED else None
    )
    decision = minutes_services.add_decision(
        minutes,
        text=decision_text(measure, outcome, note, forwarded_to),
        agenda_item=item,
        actor=actor,
    )
    recorded = ItemDecision(
        agenda_item=item,
        measure=measure,
        outcome=outcome,
        decision=decision,
        transition=transition,
        forwarded_to=forwarded_to,
        decided_at=moment,
        decided_by=actor,
    )
    db.session.add(recorded)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same decision submitted twice at once: the first one stands
        raise ConflictError(_already_decided()) from None
    record_event(
        "decision.record",
        actor=actor,
        obj=measure,
        changes={"agenda_item_id": item.id, "meeting_id": meeting.id, "outcome": outcome.value},
    )
    return recorded


def decision_text(
    measure: Measure, outcome: Outcome, note: str, forwarded_to: AgendaItem | None
) -> Texts:
    """The decision as the minutes record it, written in each language the measure's title
    is (the secretariat's note, in the language it was typed, follows)."""
    texts = {}
    for language in CONTENT_LANGUAGES:
        title = measure.title.get(language)
        if not title:
            continue
        with force_locale(babel_locale(language)):
            sentence = str(DECISION_SENTENCES[outcome]) % {
                "code": measure.code,
                "title": title,
                "date": brussels_date(forwarded_to.meeting.local_date) if forwarded_to else "",
            }
        texts[language] = f"{sentence}\n\n{note.strip()}" if note.strip() else sentence
    return Texts(**texts)


def _check_not_decided(item: AgendaItem) -> None:
    taken = db.session.scalar(select(ItemDecision.id).where(ItemDecision.agenda_item_id == item.id))
    if taken is not None:
        raise ConflictError(_already_decided())


def _already_decided() -> str:
    return str(
        _l(
            "A decision was already recorded on this agenda item; "
            "it is corrected through the minutes."
        )
    )


def _minutes_for_decisions(meeting: Meeting, actor: User | None, moment: datetime) -> Minutes:
    """The meeting's minutes; a draft with the agenda as its outline if none were started."""
    minutes = minutes_services.minutes_of_meeting(meeting.id)
    if minutes is not None:
        return minutes
    outline = Texts(
        **{language: minutes_services.skeleton_text(meeting, language) for language in ("nl", "fr")}
    )
    return minutes_services.create_minutes(meeting, body=outline, actor=actor, at=moment)


def next_platform_meeting(after: Meeting) -> Meeting | None:
    """The first platform meeting after ``after`` whose agenda is still open."""
    return db.session.scalar(
        select(Meeting)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(
            Forum.political.is_(True),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > after.starts_at,
            Meeting.agenda_final.is_(False),
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def _forward_to_platform(measure: Measure, meeting: Meeting, actor: User | None) -> AgendaItem:
    """The decision item that puts ``measure`` before the next platform meeting (the one
    already there if the secretariat put it on that agenda)."""
    platform = next_platform_meeting(meeting)
    if platform is None:
        raise NotAllowed(
            _l(
                "No platform meeting with an open agenda is planned after this one: "
                "plan it first, then record the decision."
            )
        )
    return agenda_item_for(measure, platform) or put_measure_on_agenda(
        measure, platform, actor=actor
    )
