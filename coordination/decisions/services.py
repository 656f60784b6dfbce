"""Recording a decision on an agenda item: the measure, the minutes and the timeline change
together, in the caller's transaction, whatever the entry point (page, CLI, demo data)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time

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
from coordination.core.time import brussels_to_utc, to_brussels, today_brussels
from coordination.db import db, utcnow
from coordination.decisions.models import DecisionCorrection, ItemDecision, Outcome
from coordination.decisions.workflow import NEW_STATUS, outcome_label, outcomes_for, status_after
from coordination.measures.models import Measure, MeasureStatus
from coordination.measures.services import put_measure_on_agenda
from coordination.measures.workflow import (
    agenda_item_for,
    correct_measure_status,
    status_label,
    transition_measure,
)
from coordination.meetings.models import AgendaItem, AgendaItemKind, Meeting, MeetingStatus
from coordination.meetings.services import remove_agenda_item
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

#: A corrected decision, as the minutes write it after the new decision.
CORRECTION_SENTENCE = _l("Corrected on %(date)s: %(note)s")

#: The longest reason for a correction (it is also a change note of the minutes).
CORRECTION_NOTE_MAX = minutes_services.CHANGE_NOTE_MAX


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
            .options(selectinload(ItemDecision.decision), selectinload(ItemDecision.corrections))
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
    measure: Measure,
    outcome: Outcome,
    note: str,
    forwarded_to: AgendaItem | None,
    *,
    corrected_at: datetime | None = None,
) -> Texts:
    """The decision as the minutes record it, written in each language the measure's title
    is (the secretariat's note, in the language it was typed, follows; for a corrected
    decision, introduced by the date of the correction)."""
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
            if corrected_at is not None:
                note = str(CORRECTION_SENTENCE) % {
                    "date": brussels_date(to_brussels(corrected_at).date()),
                    "note": note.strip(),
                }
        texts[language] = f"{sentence}\n\n{note.strip()}" if note.strip() else sentence
    return Texts(**texts)


def correction_outcomes(recorded: ItemDecision) -> list[Outcome]:
    """What a recorded decision can be corrected to: the other outcomes of its forum."""
    return [
        outcome
        for outcome in outcomes_for(recorded.agenda_item.meeting)
        if outcome is not recorded.outcome
    ]


def correct_decision(
    recorded: ItemDecision,
    outcome: Outcome,
    *,
    note: str,
    actor: User | None,
    now: datetime | None = None,
) -> DecisionCorrection:
    """Correct a recorded decision through the meeting's minutes, in one go.

    The measure takes the status the corrected decision gives it (the earlier transition stays
    on its timeline, the new one follows), the minutes' decision is rewritten with the reason,
    a proposal forwarded by mistake leaves the platform's agenda (one forwarded late joins it).
    Minutes still a draft or circulated change in place; published minutes get a correction
    with ``note`` as its change note, e-mailed to their readers.

    :raise ValidationError: no reason given, or the outcome is not a correction.
    :raise NotAllowed: the minutes are approved (withdraw the approval first); the measure has
        moved on since the decision; the platform already decided on the forwarded proposal.
    :raise ConflictError: someone changed the measure or the minutes at the same time.
    """
    moment = now or utcnow()
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            _l("Say why the decision is corrected: readers of the minutes see it.")
        )
    if len(note) > CORRECTION_NOTE_MAX:
        raise ValidationError(_l("The change note is too long (at most 500 characters)."))
    if outcome not in correction_outcomes(recorded):
        raise ValidationError(_l("Choose a decision other than the one recorded."))
    item = recorded.agenda_item
    meeting = item.meeting
    measure = recorded.measure
    minutes = _minutes_of_decision(recorded, actor, moment)
    if minutes.status not in minutes_workflow.CORRECTABLE:
        minutes_workflow.ensure_editable(minutes.status)  # before anything changes
    was = status_after(recorded.outcome)
    if measure.status is not was:
        raise NotAllowed(
            _l(
                "Measure %(code)s has moved on since this decision (it is now “%(status)s”): "
                "the decision can no longer be corrected.",
                code=measure.code,
                status=status_label(measure.status),
            )
        )
    if recorded.outcome is Outcome.FORWARDED:
        _withdraw_forwarded_item(recorded, actor)
    if outcome is Outcome.FORWARDED:
        recorded.forwarded_to = _forward_to_platform(measure, meeting, actor)
    transition = None
    if status_after(outcome) is not was:
        transition = correct_measure_status(
            measure, status_after(outcome), actor=actor, note=note, meeting=meeting
        )
    correction = DecisionCorrection(
        item_decision=recorded,
        from_outcome=recorded.outcome,
        to_outcome=outcome,
        note=note,
        transition=transition,
        corrected_at=moment,
        corrected_by=actor,
    )
    db.session.add(correction)
    recorded.outcome = outcome
    text = decision_text(measure, outcome, note, recorded.forwarded_to, corrected_at=moment)
    if recorded.decision is None:  # recorded before the chain: the minutes gain it now
        recorded.decision = minutes_services.add_decision(
            minutes, text=text, agenda_item=item, actor=actor, correction=True
        )
    else:
        recorded.decision.text = text
    minutes.updated_at = moment
    db.session.flush()
    if minutes.status in minutes_workflow.CORRECTABLE:
        minutes_services.publish_correction_note(minutes, note=note, actor=actor, at=moment)
    record_event(
        "decision.correct",
        actor=actor,
        obj=measure,
        changes={
            "agenda_item_id": item.id,
            "meeting_id": meeting.id,
            "outcome": [correction.from_outcome.value, outcome.value],
            "note": note,
        },
    )
    return correction


def _minutes_of_decision(recorded: ItemDecision, actor: User | None, moment: datetime) -> Minutes:
    if recorded.decision is not None:
        return recorded.decision.minutes
    return _minutes_for_decisions(recorded.agenda_item.meeting, actor, moment)


def _withdraw_forwarded_item(recorded: ItemDecision, actor: User | None) -> None:
    """Take a proposal forwarded by mistake off the platform's agenda, unless the platform
    decided on it already (that decision is corrected first)."""
    item = recorded.forwarded_to
    recorded.forwarded_to = None
    if item is None:
        return
    if _is_decided(item):
        raise NotAllowed(
            _l(
                "The platform meeting of %(date)s has already decided on this proposal: "
                "correct that decision first.",
                date=brussels_date(item.meeting.local_date),
            )
        )
    remove_agenda_item(item, expected_version=item.version, actor=actor)


def _is_decided(item: AgendaItem) -> bool:
    taken = db.session.scalar(select(ItemDecision.id).where(ItemDecision.agenda_item_id == item.id))
    return taken is not None


def _check_not_decided(item: AgendaItem) -> None:
    if _is_decided(item):
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


def next_platform_meeting(after: Meeting, *, today: date | None = None) -> Meeting | None:
    """The first platform meeting after ``after``, not held before today, whose agenda is
    still open (a bureau that records its decision late does not forward to the past)."""
    from_today = brussels_to_utc(today or today_brussels(), time.min)
    return db.session.scalar(
        select(Meeting)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(
            Forum.political.is_(True),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > after.starts_at,
            Meeting.starts_at >= from_today,
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
