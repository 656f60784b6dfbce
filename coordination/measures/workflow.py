"""The life cycle of a measure: THE table of allowed transitions and the one service that
enforces it.

    proposed -> adopted -> in_progress -> implemented
    proposed -> rejected
    any open status -> withdrawn
    adopted | in_progress -> postponed -> in_progress

Adoption and rejection are political decisions: they happen at a (not cancelled, already held
or current) meeting of the platform that had the measure on its agenda, which becomes part of
the measure's record.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from coordination.audit.services import record_event
from coordination.core.errors import ConflictError, NotAllowed
from coordination.core.labels import Labels
from coordination.core.templating import brussels_date
from coordination.core.time import today_brussels
from coordination.db import db, utcnow
from coordination.measures.models import Measure, MeasureStatus, MeasureTransition
from coordination.meetings.models import AgendaItem, Meeting, MeetingStatus
from coordination.users.models import User

#: Decisions only a platform meeting takes.
PLATFORM_DECISIONS = frozenset({MeasureStatus.ADOPTED, MeasureStatus.REJECTED})

#: A measure the plan has adopted and that a lead agency reports on.
REPORTABLE_STATUSES = frozenset(
    {
        MeasureStatus.ADOPTED,
        MeasureStatus.IN_PROGRESS,
        MeasureStatus.POSTPONED,
        MeasureStatus.IMPLEMENTED,
    }
)

_S = MeasureStatus

#: THE table: from each status, the statuses a measure may go to.
ALLOWED_TRANSITIONS: dict[MeasureStatus, frozenset[MeasureStatus]] = {
    _S.PROPOSED: frozenset({_S.ADOPTED, _S.REJECTED, _S.WITHDRAWN}),
    _S.ADOPTED: frozenset({_S.IN_PROGRESS, _S.POSTPONED, _S.WITHDRAWN}),
    _S.IN_PROGRESS: frozenset({_S.IMPLEMENTED, _S.POSTPONED, _S.WITHDRAWN}),
    _S.POSTPONED: frozenset({_S.IN_PROGRESS, _S.WITHDRAWN}),
    _S.IMPLEMENTED: frozenset(),
    _S.REJECTED: frozenset(),
    _S.WITHDRAWN: frozenset(),
}

STATUS_LABELS = Labels(
    MeasureStatus,
    {
        _S.PROPOSED: _l("Proposed"),
        _S.ADOPTED: _l("Adopted"),
        _S.IN_PROGRESS: _l("In progress"),
        _S.POSTPONED: _l("Postponed"),
        _S.IMPLEMENTED: _l("Implemented"),
        _S.REJECTED: _l("Rejected"),
        _S.WITHDRAWN: _l("Withdrawn"),
    },
)

#: What the secretariat does when it moves a measure to a status (button and option labels).
ACTION_LABELS = {
    _S.ADOPTED: _l("Adopt (platform decision)"),
    _S.REJECTED: _l("Reject (platform decision)"),
    _S.IN_PROGRESS: _l("Start or resume implementation"),
    _S.POSTPONED: _l("Postpone"),
    _S.IMPLEMENTED: _l("Mark as implemented"),
    _S.WITHDRAWN: _l("Withdraw"),
}


def status_label(status: MeasureStatus | str) -> str:
    return str(STATUS_LABELS[MeasureStatus(status)])


def allowed_targets(status: MeasureStatus) -> list[MeasureStatus]:
    """The statuses reachable from ``status``, in the order of the life cycle."""
    return [target for target in MeasureStatus if target in ALLOWED_TRANSITIONS[status]]


def is_allowed(current: MeasureStatus, target: MeasureStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[current]


def agenda_item_for(measure: Measure, meeting: Meeting) -> AgendaItem | None:
    """The item of ``meeting``'s agenda that puts ``measure`` before it, if any (one at most)."""
    if measure.id is None or meeting.id is None:
        return None
    return db.session.scalar(
        select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.measure_id == measure.id
        )
    )


def check_transition(
    measure: Measure,
    target: MeasureStatus,
    *,
    meeting: Meeting | None = None,
    today: date | None = None,
) -> None:
    """Refuse an impossible transition before anything changes.

    :raise NotAllowed: the table forbids it; or an adoption or rejection without a platform
        meeting, at a cancelled meeting, at a meeting that has not taken place yet or that did
        not have the measure on its agenda.
    """
    current = MeasureStatus(measure.status)
    if not is_allowed(current, target):
        raise NotAllowed(
            _l(
                "Measure %(code)s cannot go from “%(current)s” to “%(target)s”.",
                code=measure.code,
                current=STATUS_LABELS[current],
                target=STATUS_LABELS[target],
            )
        )
    if target not in PLATFORM_DECISIONS:
        return
    if meeting is None:
        raise NotAllowed(
            _l(
                "Adoption and rejection are decided at a platform meeting: "
                "choose the platform meeting that took the decision."
            )
        )
    if not meeting.forum.political:
        raise NotAllowed(
            _l(
                "Only a meeting of the platform can adopt or reject a measure; "
                "the meeting of %(date)s is not a platform meeting.",
                date=brussels_date(meeting.local_date),
            )
        )
    if meeting.status is MeetingStatus.CANCELLED:
        raise NotAllowed(
            _l(
                "The platform meeting of %(date)s was cancelled: it cannot have taken a decision.",
                date=brussels_date(meeting.local_date),
            )
        )
    if meeting.local_date > (today or today_brussels()):
        raise NotAllowed(
            _l(
                "The platform meeting of %(date)s has not taken place yet.",
                date=brussels_date(meeting.local_date),
            )
        )
    if agenda_item_for(measure, meeting) is None:
        raise NotAllowed(
            _l(
                "Measure %(code)s was not on the agenda of the platform meeting of %(date)s: "
                "a meeting decides only on its agenda.",
                code=measure.code,
                date=brussels_date(meeting.local_date),
            )
        )


def transition_measure(
    measure: Measure,
    to: MeasureStatus,
    *,
    actor: User | None,
    note: str = "",
    meeting: Meeting | None = None,
    today: date | None = None,
) -> MeasureTransition:
    """Move a measure to status ``to`` and record the transition (and an audit event).

    ``meeting`` is the meeting where the change was decided: required for adoption and
    rejection (a platform meeting), optional otherwise.

    :raise NotAllowed: see :func:`check_transition`; nothing is changed.
    :raise ConflictError: someone changed the measure concurrently (optimistic locking).
    """
    target = MeasureStatus(to)
    check_transition(measure, target, meeting=meeting, today=today)
    return _record_transition(measure, target, actor=actor, note=note, meeting=meeting)


def correct_measure_status(
    measure: Measure,
    to: MeasureStatus,
    *,
    actor: User | None,
    note: str,
    meeting: Meeting,
) -> MeasureTransition:
    """Give ``measure`` the status a corrected decision of ``meeting`` gives it.

    A decision corrected through the minutes may move the measure where the table does not
    (adopted back to proposed, adopted to rejected): the earlier transition stays on the
    timeline and this one follows it, so the history keeps both. The caller
    (``coordination.decisions``) checks that the correction is allowed.

    :raise ConflictError: someone changed the measure concurrently.
    """
    return _record_transition(measure, MeasureStatus(to), actor=actor, note=note, meeting=meeting)


def _record_transition(
    measure: Measure,
    target: MeasureStatus,
    *,
    actor: User | None,
    note: str,
    meeting: Meeting | None,
) -> MeasureTransition:
    current = MeasureStatus(measure.status)
    transition = MeasureTransition(
        measure=measure,
        from_status=current,
        to_status=target,
        at=utcnow(),
        by=actor,
        note=(note or "").strip(),
        meeting=meeting,
    )
    code = measure.code  # a failed flush expires the measure: read it before
    measure.status = target
    measure.updated_at = utcnow()
    db.session.add(transition)
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConflictError(
            _l(
                "Someone else changed measure %(code)s at the same time. Nothing was "
                "recorded: reload the page and try again.",
                code=code,
            )
        ) from error
    record_event(
        "measure.transition",
        actor=actor,
        obj=measure,
        changes={
            "status": [current.value, target.value],
            "meeting_id": meeting.id if meeting is not None else None,
        },
    )
    return transition
