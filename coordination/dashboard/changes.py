"""What changed in the action plan between two moments, computed from its history: "since the
last platform meeting", between two platform meetings, or since a date.

Every figure is exact for any past comparison: a measure's status at a moment is the last
transition recorded by then, results count from the moment they counted (entered by the
secretariat, or their report accepted), follow-up actions from the publication of their minutes
and their closing. Each figure comes with its list (the same rows), so that a count always
agrees with the list a reader opens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, union_all

from coordination.core.labels import Labels
from coordination.core.time import to_brussels
from coordination.dashboard.queries import (
    DashboardFilters,
    last_platform_meeting,
    measure_conditions,
    platform_meetings,
)
from coordination.db import db
from coordination.measures.models import (
    OPEN_STATUSES,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureStatus,
    MeasureTransition,
    ProgressReport,
    ReportStatus,
)
from coordination.meetings.models import Meeting, MeetingStatus
from coordination.minutes.models import FollowUpAction, FollowUpStatus, Minutes


class Change(StrEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"
    STARTED = "started"
    IMPLEMENTED = "implemented"
    POSTPONED = "postponed"
    BECAME_LATE = "became_late"
    RESULTS = "results"
    REPORTS = "reports"
    ACTIONS_DONE = "actions_done"
    ACTIONS_OVERDUE = "actions_overdue"


#: The transitions each status change counts (into that status, in the period).
_INTO = {
    Change.ADOPTED: MeasureStatus.ADOPTED,
    Change.REJECTED: MeasureStatus.REJECTED,
    Change.STARTED: MeasureStatus.IN_PROGRESS,
    Change.IMPLEMENTED: MeasureStatus.IMPLEMENTED,
    Change.POSTPONED: MeasureStatus.POSTPONED,
}
#: Lists are long enough to read, short enough for a page (the count stays exact).
LIST_LIMIT = 200


@dataclass(frozen=True)
class Period:
    """From ``start`` (excluded) to ``end`` (included), instants in UTC; ``since`` names the
    platform meeting it starts from, when it does."""

    start: datetime
    end: datetime
    since: Meeting | None = None
    until: Meeting | None = None

    @property
    def first_moment(self) -> datetime:
        """The first instant the period counts (its start is excluded)."""
        return self.start + timedelta(microseconds=1)

    @property
    def start_day(self) -> date:
        return to_brussels(self.first_moment).date()

    @property
    def end_day(self) -> date:
        return to_brussels(self.end).date()


@dataclass(frozen=True)
class MeasureRow:
    id: int
    code: str
    title: object
    #: When it happened (for a measure that became late: its deadline).
    at: datetime | date | None = None


@dataclass(frozen=True)
class ActionRow:
    id: int
    minutes_id: int
    description: object
    due_date: date | None


@dataclass
class Changes:
    period: Period
    measures: dict[Change, list[MeasureRow]] = field(default_factory=dict)
    actions: dict[Change, list[ActionRow]] = field(default_factory=dict)
    counts: dict[Change, int] = field(default_factory=dict)

    def count(self, change: Change) -> int:
        return self.counts.get(change, 0)

    @property
    def anything(self) -> bool:
        return any(self.counts.values())


def changes_between(
    period: Period, filters: DashboardFilters, *, with_lists: bool = True
) -> Changes:
    """Every change of the plan (and theme, lead agency) in ``period``: the counts in one
    statement, then each list (unless only the counts are wanted)."""
    changes = Changes(period)
    conditions = measure_conditions(filters)
    measures = {change: _moved_into(status, period, conditions) for change, status in _INTO.items()}
    measures[Change.BECAME_LATE] = _became_late(period, conditions)
    measures[Change.RESULTS] = _results_counted(period, conditions)
    measures[Change.REPORTS] = _reports_submitted(period, conditions)
    actions = {
        Change.ACTIONS_DONE: _actions_done(period),
        Change.ACTIONS_OVERDUE: _actions_overdue(period),
    }
    counts = union_all(
        *(
            select(literal(change.value).label("change"), func.count().label("n")).select_from(
                query.subquery()
            )
            for change, query in {**measures, **actions}.items()
        )
    )
    changes.counts = {Change(change): n for change, n in db.session.execute(counts)}
    if with_lists:
        for change, query in measures.items():
            changes.measures[change] = _measure_rows(query)
        for change, query in actions.items():
            changes.actions[change] = _action_rows(query)
    return changes


def _measure_rows(query: Select) -> list[MeasureRow]:
    rows = query.subquery()
    listed = db.session.execute(
        select(Measure.id, Measure.code, Measure.title, rows.c.at)
        .join(rows, rows.c.measure_id == Measure.id)
        .order_by(rows.c.at.desc(), Measure.code)
        .limit(LIST_LIMIT)
    )
    return [MeasureRow(id=row[0], code=row[1], title=row[2], at=row[3]) for row in listed]


def _action_rows(query: Select) -> list[ActionRow]:
    rows = query.subquery()
    listed = db.session.execute(
        select(
            FollowUpAction.id,
            FollowUpAction.minutes_id,
            FollowUpAction.description,
            FollowUpAction.due_date,
        )
        .join(rows, rows.c.id == FollowUpAction.id)
        .order_by(FollowUpAction.due_date, FollowUpAction.id)
        .limit(LIST_LIMIT)
    )
    return [
        ActionRow(id=row[0], minutes_id=row[1], description=row[2], due_date=row[3])
        for row in listed
    ]


def _in(column, period: Period) -> ColumnElement[bool]:
    return and_(column > period.start, column <= period.end)


def _moved_into(
    status: MeasureStatus, period: Period, conditions: list[ColumnElement[bool]]
) -> Select:
    """The measures that moved into ``status`` in the period (each once, at its last move).

    A measure's first transition is its creation, or its carry-over into a new plan, not a
    decision: it does not count."""
    return (
        select(
            MeasureTransition.measure_id.label("measure_id"),
            func.max(MeasureTransition.at).label("at"),
        )
        .join(Measure, Measure.id == MeasureTransition.measure_id)
        .where(
            MeasureTransition.to_status == status,
            MeasureTransition.from_status.is_not(None),
            _in(MeasureTransition.at, period),
            *conditions,
        )
        .group_by(MeasureTransition.measure_id)
    )


def _status_at(moment: datetime):
    """Each measure's status at ``moment``: its last transition by then (a subquery)."""
    ranked = select(
        MeasureTransition.measure_id.label("measure_id"),
        MeasureTransition.to_status.label("status"),
        func.row_number()
        .over(
            partition_by=MeasureTransition.measure_id,
            order_by=(MeasureTransition.at.desc(), MeasureTransition.id.desc()),
        )
        .label("rank"),
    ).where(MeasureTransition.at <= moment)
    ranked_rows = ranked.subquery()
    return (
        select(ranked_rows.c.measure_id, ranked_rows.c.status)
        .where(ranked_rows.c.rank == 1)
        .subquery()
    )


def _late_at(moment: datetime, day: date):
    """The ids of the measures late at ``moment`` (deadline before ``day``, the Brussels day
    of the moment, and still open then)."""
    status = _status_at(moment)
    return (
        select(Measure.id)
        .join(status, status.c.measure_id == Measure.id)
        .where(
            Measure.deadline.is_not(None),
            Measure.deadline < day,
            status.c.status.in_(sorted(OPEN_STATUSES)),
        )
    )


def _became_late(period: Period, conditions: list[ColumnElement[bool]]) -> Select:
    """Late at the end and not at the start (listed by their deadline)."""
    return select(Measure.id.label("measure_id"), Measure.deadline.label("at")).where(
        Measure.id.in_(_late_at(period.end, period.end_day)),
        Measure.id.not_in(_late_at(period.start, to_brussels(period.start).date())),
        *conditions,
    )


def _results_counted(period: Period, conditions: list[ColumnElement[bool]]) -> Select:
    """Measures with an indicator result that started to count in the period: entered by the
    secretariat then, or reported in a report accepted then."""
    counted_at = func.coalesce(ProgressReport.reviewed_at, IndicatorValue.reported_at)
    return (
        select(Measure.id.label("measure_id"), func.max(counted_at).label("at"))
        .select_from(IndicatorValue)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Measure, Measure.id == Indicator.measure_id)
        .outerjoin(ProgressReport, ProgressReport.id == IndicatorValue.report_id)
        .where(
            or_(
                and_(IndicatorValue.report_id.is_(None), _in(IndicatorValue.reported_at, period)),
                and_(
                    ProgressReport.status == ReportStatus.ACCEPTED,
                    _in(ProgressReport.reviewed_at, period),
                ),
            ),
            *conditions,
        )
        .group_by(Measure.id)
    )


def _reports_submitted(period: Period, conditions: list[ColumnElement[bool]]) -> Select:
    return (
        select(
            ProgressReport.measure_id.label("measure_id"),
            func.max(ProgressReport.submitted_at).label("at"),
        )
        .join(Measure, Measure.id == ProgressReport.measure_id)
        .where(_in(ProgressReport.submitted_at, period), *conditions)
        .group_by(ProgressReport.measure_id)
    )


def _published_by(moment: datetime) -> ColumnElement[bool]:
    return FollowUpAction.minutes_id.in_(
        select(Minutes.id).where(Minutes.published_at.is_not(None), Minutes.published_at <= moment)
    )


def _actions_done(period: Period) -> Select:
    """Follow-up actions of published minutes closed as done in the period."""
    return select(FollowUpAction.id).where(
        FollowUpAction.status == FollowUpStatus.DONE,
        _in(FollowUpAction.closed_at, period),
        _published_by(period.end),
    )


def _actions_overdue(period: Period) -> Select:
    """Follow-up actions of minutes published by the end, past their due date then and not
    closed by then."""
    return select(FollowUpAction.id).where(
        FollowUpAction.due_date.is_not(None),
        FollowUpAction.due_date < period.end_day,
        or_(FollowUpAction.closed_at.is_(None), FollowUpAction.closed_at > period.end),
        _published_by(period.end),
    )


def since_last_platform_meeting(now: datetime) -> Period | None:
    """From the start of the last platform meeting (its decisions included) until now."""
    last = last_platform_meeting(now)
    return Period(last.starts_at, now, since=last) if last is not None else None


def platform_meetings_before(now: datetime) -> Sequence[Meeting]:
    """The platform meetings that have started (not cancelled), latest first: the moments a
    comparison may start or end at."""
    return db.session.scalars(
        platform_meetings()
        .where(Meeting.status != MeetingStatus.CANCELLED, Meeting.starts_at <= now)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    ).all()


#: What each figure says, in the reader's language.
CHANGE_LABELS = Labels(
    Change,
    {
        Change.ADOPTED: _l("Measures adopted"),
        Change.REJECTED: _l("Measures rejected"),
        Change.STARTED: _l("Measures started"),
        Change.IMPLEMENTED: _l("Measures implemented"),
        Change.POSTPONED: _l("Measures postponed"),
        Change.BECAME_LATE: _l("Measures that became late"),
        Change.RESULTS: _l("Measures with indicator results reported and accepted"),
        Change.REPORTS: _l("Measures with progress reports submitted"),
        Change.ACTIONS_DONE: _l("Follow-up actions done"),
        Change.ACTIONS_OVERDUE: _l("Follow-up actions overdue"),
    },
)
