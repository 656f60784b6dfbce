"""Read-only aggregates across domains (no models live here).

Every figure of the action-plan dashboard and of the briefing pack is computed by the database
(``GROUP BY``, ``COUNT ... FILTER``/``CASE``, a window function for the latest result of an
indicator), so that a page runs the same few statements for 10 measures or 5,000 measures with
50 indicators each. Functions return small frozen dataclasses, never ORM rows to loop over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Subquery,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased, joinedload

from coordination.agencies.models import Agency, Forum, ForumMembership, agency_label
from coordination.core.texts import Texts
from coordination.db import db
from coordination.decisions.models import ItemDecision, Outcome
from coordination.measures.models import (
    ActionPlan,
    Indicator,
    IndicatorDirection,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureStatus,
    MeasureTransition,
    ProgressReport,
    ReportStatus,
    Theme,
)
from coordination.measures.workflow import REPORTABLE_STATUSES
from coordination.meetings.models import AgendaItem, AgendaItemKind, Meeting, MeetingStatus
from coordination.minutes.models import Decision
from coordination.users.models import User

# --- home page of the secretariat and of agency representatives ----------------------------


@dataclass(frozen=True)
class AdminCounts:
    active_users: int
    inactive_users: int
    active_agencies: int


def admin_counts() -> AdminCounts:
    """Figures for the secretariat's home page, in one statement."""
    row = db.session.execute(
        select(
            select(func.count(User.id)).where(User.active.is_(True)).scalar_subquery(),
            select(func.count(User.id)).where(User.active.is_(False)).scalar_subquery(),
            select(func.count(Agency.id)).where(Agency.active.is_(True)).scalar_subquery(),
        )
    ).one()
    return AdminCounts(active_users=row[0], inactive_users=row[1], active_agencies=row[2])


def forums_of_agency_on(agency_id: int, day: date) -> list[tuple[Forum, ForumMembership]]:
    """The forums an agency sits in on ``day``, with the membership."""
    rows = db.session.execute(
        select(Forum, ForumMembership)
        .join(ForumMembership, ForumMembership.forum_id == Forum.id)
        .where(
            ForumMembership.agency_id == agency_id,
            ForumMembership.covers(day),
        )
        .order_by(Forum.political.desc(), Forum.code)
    ).all()
    return [(forum, membership) for forum, membership in rows]


# --- filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard shows: one plan, optionally one theme and one lead agency."""

    plan_id: int
    theme_id: int | None = None
    lead_agency_id: int | None = None


def measure_conditions(filters: DashboardFilters) -> list[ColumnElement[bool]]:
    conditions = [Measure.plan_id == filters.plan_id]
    if filters.theme_id is not None:
        conditions.append(Measure.theme_id == filters.theme_id)
    if filters.lead_agency_id is not None:
        conditions.append(Measure.lead_agency_id == filters.lead_agency_id)
    return conditions


@dataclass(frozen=True)
class Named:
    """A theme or an agency as the dashboard names it (``|localised`` reads ``name_<lang>``;
    an agency's ``label`` is its short name in the reader's language)."""

    id: int
    code: str
    name_nl: str
    name_fr: str
    name_en: str
    #: An agency's short names (a theme has none).
    short_name: Texts | None = None

    @property
    def label(self) -> Texts:
        return agency_label(self.code, self.short_name)


#: The columns ``Named`` reads, in its order: an agency by its code ...
_AGENCY_NAMED = (
    Agency.id, Agency.code, Agency.name_nl, Agency.name_fr, Agency.name_en, Agency.short_name,
)  # fmt: skip
#: ... a theme by its position in the plan (see ``_named_theme``).
_THEME_NAMED = (Theme.id, Theme.position, Theme.name_nl, Theme.name_fr, Theme.name_en)


def _named_theme(theme_id: int, position: int, name_nl: str, name_fr: str, name_en: str) -> Named:
    """A theme as the dashboard names it, from the values of ``_THEME_NAMED``."""
    return Named(theme_id, str(position), name_nl, name_fr, name_en)


# --- status, themes, implementation rate ---------------------------------------------------


#: Measures the platform adopted: the denominator of the implementation rate.
ADOPTED_STATUSES = tuple(status for status in MeasureStatus if status in REPORTABLE_STATUSES)


@dataclass(frozen=True)
class PlanFigures:
    """Headline figures of the (filtered) plan."""

    counts: dict[MeasureStatus, int]
    late: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def implemented(self) -> int:
        return self.counts.get(MeasureStatus.IMPLEMENTED, 0)

    @property
    def proposed(self) -> int:
        return self.counts.get(MeasureStatus.PROPOSED, 0)

    @property
    def adopted(self) -> int:
        """Measures the platform adopted, whatever happened to them since (but withdrawal)."""
        return sum(self.counts.get(status, 0) for status in ADOPTED_STATUSES)

    @property
    def implementation_rate(self) -> float | None:
        """Implemented measures as a share of the adopted ones; None when none was adopted."""
        return self.implemented / self.adopted if self.adopted else None

    def count(self, status: MeasureStatus) -> int:
        return self.counts.get(status, 0)


def plan_figures(filters: DashboardFilters, today: date) -> PlanFigures:
    """Measures by status and late measures (one statement)."""
    rows = db.session.execute(
        select(
            Measure.status,
            func.count(Measure.id),
            func.count(Measure.id).filter(Measure.late_condition(today)),
        )
        .where(*measure_conditions(filters))
        .group_by(Measure.status)
    ).all()
    counts = {MeasureStatus(status): number for status, number, _late in rows}
    return PlanFigures(
        counts={status: counts[status] for status in MeasureStatus if counts.get(status)},
        late=sum(late for _status, _number, late in rows),
    )


@dataclass(frozen=True)
class ThemeFigures:
    theme: Named
    position: int
    counts: dict[MeasureStatus, int]
    late: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: MeasureStatus) -> int:
        return self.counts.get(status, 0)


def theme_figures(filters: DashboardFilters, today: date) -> list[ThemeFigures]:
    """Measures by theme and status, every theme of the plan included (one statement)."""
    join_on = and_(Measure.theme_id == Theme.id, *measure_conditions(filters))
    theme_conditions = [Theme.plan_id == filters.plan_id]
    if filters.theme_id is not None:
        theme_conditions.append(Theme.id == filters.theme_id)
    rows: Sequence[Any] = db.session.execute(
        select(
            *_THEME_NAMED,
            Measure.status,
            func.count(Measure.id),
            func.count(Measure.id).filter(Measure.late_condition(today)),
        )
        .outerjoin(Measure, join_on)
        .where(*theme_conditions)
        .group_by(*_THEME_NAMED, Measure.status)
        .order_by(Theme.position)
    ).all()
    names: dict[int, Named] = {}
    counts: dict[int, dict[MeasureStatus, int]] = {}
    late: dict[int, int] = {}
    for *theme, status, number, late_number in rows:
        theme_id = theme[0]
        names.setdefault(theme_id, _named_theme(*theme))
        counts.setdefault(theme_id, {})
        late[theme_id] = late.get(theme_id, 0) + late_number
        if status is not None:
            counts[theme_id][MeasureStatus(status)] = number
    return [
        ThemeFigures(named, int(named.code), counts[theme_id], late[theme_id])
        for theme_id, named in names.items()
    ]


# --- late measures -------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyLate:
    agency: Named
    late: int


#: How many lead agencies the late-measures chart and table name; the others are summed up, so
#: that a plan led by hundreds of agencies still gives a readable chart and a light page.
LATE_AGENCY_LIMIT = 12


@dataclass(frozen=True)
class LateByAgency:
    """The lead agencies with the most late measures, and the others summed up."""

    top: list[AgencyLate]
    other_agencies: int = 0
    other_late: int = 0

    def __bool__(self) -> bool:
        return bool(self.top)


def late_by_lead_agency(filters: DashboardFilters, today: date) -> LateByAgency:
    """Late measures per lead agency, most late first (one statement)."""
    late = func.count(Measure.id)
    rows: Sequence[Any] = db.session.execute(
        select(*_AGENCY_NAMED, late)
        .join(Measure, Measure.lead_agency_id == Agency.id)
        .where(*measure_conditions(filters), Measure.late_condition(today))
        .group_by(*_AGENCY_NAMED)
        .order_by(late.desc(), Agency.code)
    ).all()
    ranked = [AgencyLate(Named(*agency), late_number) for *agency, late_number in rows]
    others = ranked[LATE_AGENCY_LIMIT:]
    return LateByAgency(ranked[:LATE_AGENCY_LIMIT], len(others), sum(row.late for row in others))


@dataclass(frozen=True)
class LateMeasure:
    id: int
    code: str
    title: Texts
    status: MeasureStatus
    deadline: date
    days_late: int
    lead: Named
    theme: Named


#: How many late measures a page lists (the most overdue); the list page has them all.
LATE_LIST_LIMIT = 20


#: The lead agency and the theme of a measure (read by ``_lead_and_theme``).
_LEAD_AND_THEME_COLUMNS = (*_AGENCY_NAMED, *_THEME_NAMED)


def _lead_and_theme(values: Sequence[Any]) -> tuple[Named, Named]:
    """The lead agency and the theme from the values of ``_LEAD_AND_THEME_COLUMNS``."""
    split = len(_AGENCY_NAMED)
    return Named(*values[:split]), _named_theme(*values[split:])


def most_overdue(
    filters: DashboardFilters, today: date, *, limit: int = LATE_LIST_LIMIT
) -> list[LateMeasure]:
    """The late measures whose deadline passed longest ago (one statement)."""
    rows: Sequence[Any] = db.session.execute(
        select(
            Measure.id,
            Measure.code,
            Measure.title,
            Measure.status,
            Measure.deadline,
            *_LEAD_AND_THEME_COLUMNS,
        )
        .join(Agency, Agency.id == Measure.lead_agency_id)
        .join(Theme, Theme.id == Measure.theme_id)
        .where(*measure_conditions(filters), Measure.late_condition(today))
        .order_by(Measure.deadline, Theme.position, func.length(Measure.code), Measure.code)
        .limit(limit)
    ).all()
    return [
        LateMeasure(
            measure_id,
            code,
            title,
            MeasureStatus(status),
            deadline,
            (today - deadline).days,
            *_lead_and_theme(lead_and_theme),
        )
        for measure_id, code, title, status, deadline, *lead_and_theme in rows
    ]


# --- indicators: targets against results ---------------------------------------------------


def latest_results(conditions: list[ColumnElement[bool]], year: int | None = None) -> Subquery:
    """Subquery: the result of each indicator and year (indicator_id, year, value, source) of
    the measures that meet ``conditions``.

    The result is the latest value that counts (``IndicatorValue.counts``: entered by the
    secretariat, or from an accepted progress report), as in ``measures.queries``.
    """
    ranked = (
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.year,
            IndicatorValue.value,
            IndicatorValue.source,
            func.row_number()
            .over(
                partition_by=(IndicatorValue.indicator_id, IndicatorValue.year),
                order_by=(IndicatorValue.reported_at.desc(), IndicatorValue.id.desc()),
            )
            .label("rank"),
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Measure, Measure.id == Indicator.measure_id)
        .outerjoin(ProgressReport, ProgressReport.id == IndicatorValue.report_id)
        .where(
            *conditions,
            *([IndicatorValue.year == year] if year is not None else []),
            or_(
                IndicatorValue.report_id.is_(None),
                ProgressReport.status == ReportStatus.ACCEPTED,
            ),
        )
        .subquery("ranked")
    )
    return (
        select(ranked.c.indicator_id, ranked.c.year, ranked.c.value, ranked.c.source)
        .where(ranked.c.rank == 1)
        .subquery("results")
    )


def _result_of_target(results: Subquery) -> ColumnElement[bool]:
    """Joins a target to the result (``latest_results``) of its indicator in its year."""
    return and_(
        results.c.indicator_id == IndicatorTarget.indicator_id,
        results.c.year == IndicatorTarget.year,
    )


def _indicator_conditions(filters: DashboardFilters) -> list[ColumnElement[bool]]:
    """Indicators of the measures the plan adopted (proposals and rejections are no target)."""
    return [*measure_conditions(filters), Measure.status.in_(ADOPTED_STATUSES)]


def _met(direction, result, target) -> ColumnElement[bool]:
    return or_(
        and_(direction == IndicatorDirection.MORE_IS_BETTER, result >= target),
        and_(direction == IndicatorDirection.LESS_IS_BETTER, result <= target),
    )


@dataclass(frozen=True)
class IndicatorYear:
    """Targets of one year, by verdict."""

    year: int
    met: int
    not_met: int
    no_result: int

    @property
    def targets(self) -> int:
        return self.met + self.not_met + self.no_result

    @property
    def with_result(self) -> int:
        return self.met + self.not_met


def indicator_years(filters: DashboardFilters) -> list[IndicatorYear]:
    """Per year: targets met, not met, and without a result yet (one statement)."""
    conditions = _indicator_conditions(filters)
    results = latest_results(conditions)
    met = _met(Indicator.direction, results.c.value, IndicatorTarget.target)
    rows = db.session.execute(
        select(
            IndicatorTarget.year,
            func.count(IndicatorTarget.id).filter(results.c.value.is_not(None), met),
            func.count(IndicatorTarget.id).filter(results.c.value.is_not(None), ~met),
            func.count(IndicatorTarget.id).filter(results.c.value.is_(None)),
        )
        .join(Indicator, Indicator.id == IndicatorTarget.indicator_id)
        .join(Measure, Measure.id == Indicator.measure_id)
        .outerjoin(results, _result_of_target(results))
        .where(*conditions)
        .group_by(IndicatorTarget.year)
        .order_by(IndicatorTarget.year)
    ).all()
    return [IndicatorYear(*row) for row in rows]


def highlight_year(years: list[IndicatorYear], today: date) -> int | None:
    """The latest year (not in the future) for which at least one target has a result."""
    candidates = [row.year for row in years if row.with_result and row.year <= today.year]
    return max(candidates, default=None)


@dataclass(frozen=True)
class IndicatorHighlight:
    indicator_id: int
    name: Texts
    unit: str
    direction: IndicatorDirection
    year: int
    target: Decimal
    result: Decimal
    met: bool
    #: How far the result is above (positive) or below (negative) its target, as a share of
    #: the target, in the direction that is better (a fall is good when less is better).
    gap: float
    measure_id: int
    measure_code: str
    measure_title: Texts
    lead_code: str
    lead_short_name: Texts

    @property
    def lead_label(self) -> Texts:
        return agency_label(self.lead_code, self.lead_short_name)


#: How many indicators each highlight table shows.
HIGHLIGHT_LIMIT = 10


def indicator_highlights(
    filters: DashboardFilters, year: int, *, met: bool, limit: int = HIGHLIGHT_LIMIT
) -> list[IndicatorHighlight]:
    """The targets of ``year`` missed by the widest margin (``met=False``), or met by the
    widest margin (``met=True``); the margin is relative to the target (one statement).

    A zero target has no relative margin: met counts as 0, missed as -100 %.
    """
    conditions = _indicator_conditions(filters)
    results = latest_results(conditions, year)
    target = cast(IndicatorTarget.target, Float)
    result = cast(results.c.value, Float)
    is_met = _met(Indicator.direction, results.c.value, IndicatorTarget.target)
    signed = case(
        (Indicator.direction == IndicatorDirection.LESS_IS_BETTER, target - result),
        else_=result - target,
    )
    gap = case(
        (IndicatorTarget.target == 0, case((is_met, literal(0.0)), else_=literal(-1.0))),
        else_=signed / func.abs(target),
    ).label("gap")
    rows = db.session.execute(
        select(
            Indicator.id,
            Indicator.name,
            Indicator.unit,
            Indicator.direction,
            IndicatorTarget.target,
            results.c.value,
            is_met,
            gap,
            Measure.id,
            Measure.code,
            Measure.title,
            # Lookups by primary key rather than a join: the row count of ``results`` is
            # hard to estimate, and PostgreSQL chose a nested loop over every agency for it.
            *(_of_lead_agency(column) for column in _LEAD_LABEL_COLUMNS),
        )
        .join(Indicator, Indicator.id == IndicatorTarget.indicator_id)
        .join(Measure, Measure.id == Indicator.measure_id)
        .join(results, _result_of_target(results))
        .where(*conditions, IndicatorTarget.year == year, is_met if met else ~is_met)
        .order_by(gap.desc() if met else gap.asc(), Measure.code, Indicator.id)
        .limit(limit)
    ).all()
    return [
        IndicatorHighlight(
            indicator_id=row[0],
            name=row[1],
            unit=row[2],
            direction=IndicatorDirection(row[3]),
            year=year,
            target=Decimal(row[4]),
            result=Decimal(row[5]),
            met=bool(row[6]),
            gap=float(row[7]),
            measure_id=row[8],
            measure_code=row[9],
            measure_title=row[10],
            lead_code=row[11],
            lead_short_name=Texts(*row[12:15]),
        )
        for row in rows
    ]


#: What names a measure's lead agency in a row of figures: its code and its short names.
_LEAD_LABEL_COLUMNS = (
    Agency.code, Agency.short_name_nl, Agency.short_name_fr, Agency.short_name_en,
)  # fmt: skip


def _of_lead_agency(column: Any) -> Any:
    """``column`` of the measure's lead agency, looked up by its primary key."""
    return select(column).where(Agency.id == Measure.lead_agency_id).scalar_subquery()


# --- adoption at platform meetings ---------------------------------------------------------


@dataclass(frozen=True)
class MeetingAdoptions:
    meeting_id: int
    local_date: date
    title: Texts
    forum_id: int
    adopted: int


@dataclass(frozen=True)
class Adoptions:
    meetings: list[MeetingAdoptions]
    #: Adoptions recorded without their platform meeting (history entered before the
    #: meetings existed on the platform, or a measure entered as adopted).
    without_meeting: int

    @property
    def total(self) -> int:
        return sum(row.adopted for row in self.meetings) + self.without_meeting


def adoptions(filters: DashboardFilters, plan: ActionPlan, now: datetime) -> Adoptions:
    """Measures adopted at each platform meeting (two statements).

    Every platform meeting held during the plan is listed, also those that adopted nothing,
    and any other meeting that adopted one of its measures.
    """
    adopted = (
        select(MeasureTransition.meeting_id, func.count(MeasureTransition.id).label("adopted"))
        .join(Measure, Measure.id == MeasureTransition.measure_id)
        .where(
            *measure_conditions(filters),
            MeasureTransition.to_status == MeasureStatus.ADOPTED,
            MeasureTransition.meeting_id.is_not(None),
        )
        .group_by(MeasureTransition.meeting_id)
        .subquery("adopted")
    )
    in_plan_period = and_(
        Forum.political.is_(True),
        Meeting.status != MeetingStatus.CANCELLED,
        Meeting.starts_at <= now,
        Meeting.local_date >= date(plan.start_year, 1, 1),
        Meeting.local_date <= date(plan.end_year, 12, 31),
    )
    rows: Sequence[Any] = db.session.execute(
        select(
            Meeting.id,
            Meeting.local_date,
            Meeting.title,
            Meeting.forum_id,
            func.coalesce(adopted.c.adopted, 0),
        )
        .join(Forum, Forum.id == Meeting.forum_id)
        .outerjoin(adopted, adopted.c.meeting_id == Meeting.id)
        .where(or_(in_plan_period, adopted.c.adopted.is_not(None)))
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    without_meeting = db.session.scalar(
        select(func.count(MeasureTransition.id))
        .join(Measure, Measure.id == MeasureTransition.measure_id)
        .where(
            *measure_conditions(filters),
            MeasureTransition.to_status == MeasureStatus.ADOPTED,
            MeasureTransition.meeting_id.is_(None),
        )
    )
    return Adoptions(
        meetings=[MeetingAdoptions(*row) for row in rows], without_meeting=without_meeting or 0
    )


# --- platform meetings and proposals -------------------------------------------------------


def platform_meetings() -> Select[Meeting]:
    """Meetings of the platform (the political forum), with their forum."""
    return (
        select(Meeting)
        .join(Forum, Forum.id == Meeting.forum_id)
        .where(Forum.political.is_(True))
        .options(joinedload(Meeting.forum))
    )


def next_platform_meeting(now: datetime) -> Meeting | None:
    """The first scheduled platform meeting that has not started yet."""
    return db.session.scalar(
        platform_meetings()
        .where(Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at > now)
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(1)
    )


def last_platform_meeting(now: datetime) -> Meeting | None:
    """The latest platform meeting that has started and was not cancelled."""
    return db.session.scalar(
        platform_meetings()
        .where(Meeting.status != MeetingStatus.CANCELLED, Meeting.starts_at <= now)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Proposal:
    id: int
    code: str
    title: Texts
    plan_code: str
    deadline: date | None
    lead: Named
    theme: Named
    #: What the bureau said when it forwarded the proposal to this meeting (its decision in
    #: the bureau's minutes), and the day of that bureau meeting.
    recommendation: Texts | None = None
    recommended_on: date | None = None


@dataclass(frozen=True)
class Proposals:
    """Proposals awaiting a decision of the platform."""

    #: On the next platform meeting's agenda for a decision; or, when no platform meeting is
    #: scheduled, every proposal of the plan (the first ``PROPOSALS_LIMIT``).
    listed: list[Proposal]
    #: How many proposals ``listed`` stands for (it may be cut at ``PROPOSALS_LIMIT``).
    total: int
    #: Proposals of the plan that are not on that agenda (0 without a meeting).
    not_on_agenda: int


#: Proposals listed when no meeting narrows them down.
PROPOSALS_LIMIT = 50


def _proposal_columns():
    return (
        Measure.id,
        Measure.code,
        Measure.title,
        ActionPlan.code,
        Measure.deadline,
        *_LEAD_AND_THEME_COLUMNS,
    )


def _proposal(row: Sequence[Any]) -> Proposal:
    """A proposal from the values of ``_proposal_columns``."""
    measure_id, code, title, plan_code, deadline, *lead_and_theme = row
    return Proposal(measure_id, code, title, plan_code, deadline, *_lead_and_theme(lead_and_theme))


def bureau_recommendations(item_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per platform agenda item, what the bureau decided when it forwarded the proposal there
    (one statement; nothing for an item the bureau did not forward)."""
    if not item_ids:
        return {}
    bureau_item = aliased(AgendaItem)
    rows = db.session.execute(
        select(ItemDecision.forwarded_to_id, Decision.text, Meeting.local_date)
        .join(bureau_item, bureau_item.id == ItemDecision.agenda_item_id)
        .join(Meeting, Meeting.id == bureau_item.meeting_id)
        .outerjoin(Decision, Decision.id == ItemDecision.decision_id)
        .where(
            ItemDecision.forwarded_to_id.in_(item_ids),
            ItemDecision.outcome == Outcome.FORWARDED,
        )
    )
    return {
        item_id: {"recommendation": text or None, "recommended_on": day}
        for item_id, text, day in rows
        if item_id is not None
    }


def proposals_awaiting_decision(meeting: Meeting | None, plan_id: int | None) -> Proposals:
    """Proposals the next platform meeting must decide on (three statements at most).

    With a meeting: the proposals its agenda puts to a decision, in agenda order, and how many
    proposals of the plan are not on it. Without: the proposals of the plan, in plan order.
    """
    base = (
        select(*_proposal_columns())
        .join(ActionPlan, ActionPlan.id == Measure.plan_id)
        .join(Agency, Agency.id == Measure.lead_agency_id)
        .join(Theme, Theme.id == Measure.theme_id)
        .where(Measure.status == MeasureStatus.PROPOSED)
    )
    in_plan = Measure.plan_id == plan_id if plan_id is not None else false()
    if meeting is not None:
        on_agenda = and_(
            AgendaItem.meeting_id == meeting.id, AgendaItem.kind == AgendaItemKind.DECISION
        )
        rows = db.session.execute(
            base.add_columns(AgendaItem.id)
            .join(AgendaItem, AgendaItem.measure_id == Measure.id)
            .where(on_agenda)
            .order_by(AgendaItem.position, AgendaItem.id)
        ).all()
        advice = bureau_recommendations([row[-1] for row in rows])
        listed = list(
            {
                row[0]: replace(_proposal(row[:-1]), **advice.get(row[-1], {})) for row in rows
            }.values()
        )
        agenda_measures = select(AgendaItem.measure_id).where(
            on_agenda, AgendaItem.measure_id.is_not(None)
        )
        not_on_agenda = db.session.scalar(
            select(func.count(Measure.id)).where(
                in_plan,
                Measure.status == MeasureStatus.PROPOSED,
                Measure.id.not_in(agenda_measures),
            )
        )
        return Proposals(listed=listed, total=len(listed), not_on_agenda=not_on_agenda or 0)
    rows = db.session.execute(
        base.where(in_plan)
        .order_by(Theme.position, func.length(Measure.code), Measure.code)
        .limit(PROPOSALS_LIMIT)
    ).all()
    total = db.session.scalar(
        select(func.count(Measure.id)).where(in_plan, Measure.status == MeasureStatus.PROPOSED)
    )
    return Proposals(listed=[_proposal(row) for row in rows], total=total or 0, not_on_agenda=0)


def proposals_on_meeting_count(meeting: Meeting) -> int:
    """How many proposals a meeting's agenda puts to a decision (one statement)."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(Measure.id)))
            .join(AgendaItem, AgendaItem.measure_id == Measure.id)
            .where(
                AgendaItem.meeting_id == meeting.id,
                AgendaItem.kind == AgendaItemKind.DECISION,
                Measure.status == MeasureStatus.PROPOSED,
            )
        )
        or 0
    )


# --- the whole dashboard -------------------------------------------------------------------


@dataclass
class PlanDashboard:
    """The dashboard's figures: values only (no database objects), kept in the cache."""

    filters: DashboardFilters
    today: date
    figures: PlanFigures
    themes: list[ThemeFigures]
    late_by_agency: LateByAgency
    overdue: list[LateMeasure]
    indicator_years: list[IndicatorYear]
    highlight_year: int | None
    furthest_below: list[IndicatorHighlight] = field(default_factory=list)
    furthest_above: list[IndicatorHighlight] = field(default_factory=list)
    adoptions: Adoptions | None = None


def plan_dashboard(
    plan: ActionPlan, filters: DashboardFilters, today: date, now: datetime
) -> PlanDashboard:
    """Every figure of the action-plan dashboard, in a fixed number of statements (≤ 10)."""
    years = indicator_years(filters)
    year = highlight_year(years, today)
    return PlanDashboard(
        filters=filters,
        today=today,
        figures=plan_figures(filters, today),
        themes=theme_figures(filters, today),
        late_by_agency=late_by_lead_agency(filters, today),
        overdue=most_overdue(filters, today),
        indicator_years=years,
        highlight_year=year,
        furthest_below=[] if year is None else indicator_highlights(filters, year, met=False),
        furthest_above=[] if year is None else indicator_highlights(filters, year, met=True),
        adoptions=adoptions(filters, plan, now),
    )


# --- the briefing pack of the next platform meeting ----------------------------------------


#: Late measures and highlights a briefing pack lists (it must fit a few pages).
BRIEFING_LATE_LIMIT = 10
BRIEFING_HIGHLIGHT_LIMIT = 5


@dataclass
class BriefingPack:
    plan: ActionPlan | None
    today: date
    now: datetime
    #: The meeting the pack prepares (None: no platform meeting is scheduled).
    next_meeting: Meeting | None
    #: The latest platform meeting held (the follow-ups of its minutes are still open).
    last_meeting: Meeting | None
    proposals: Proposals
    figures: PlanFigures | None = None
    late_by_agency: LateByAgency = field(default_factory=lambda: LateByAgency([]))
    overdue: list[LateMeasure] = field(default_factory=list)
    indicator_years: list[IndicatorYear] = field(default_factory=list)
    highlight_year: int | None = None
    furthest_below: list[IndicatorHighlight] = field(default_factory=list)
    furthest_above: list[IndicatorHighlight] = field(default_factory=list)


def briefing_pack(plan: ActionPlan | None, today: date, now: datetime) -> BriefingPack:
    """What the next platform meeting must know and decide (at most 12 statements)."""
    meeting = next_platform_meeting(now)
    pack = BriefingPack(
        plan=plan,
        today=today,
        now=now,
        next_meeting=meeting,
        last_meeting=last_platform_meeting(now),
        proposals=proposals_awaiting_decision(meeting, plan.id if plan else None),
    )
    if plan is None:
        return pack
    filters = DashboardFilters(plan_id=plan.id)
    pack.figures = plan_figures(filters, today)
    pack.late_by_agency = late_by_lead_agency(filters, today)
    pack.overdue = most_overdue(filters, today, limit=BRIEFING_LATE_LIMIT)
    pack.indicator_years = indicator_years(filters)
    pack.highlight_year = highlight_year(pack.indicator_years, today)
    if pack.highlight_year is not None:
        pack.furthest_below = indicator_highlights(
            filters, pack.highlight_year, met=False, limit=BRIEFING_HIGHLIGHT_LIMIT
        )
        pack.furthest_above = indicator_highlights(
            filters, pack.highlight_year, met=True, limit=BRIEFING_HIGHLIGHT_LIMIT
        )
    return pack


# --- the plan at a glance (home page of ministers, the rapporteur, the secretariat) --------


@dataclass(frozen=True)
class PlanGlance:
    plan: ActionPlan
    figures: PlanFigures
    next_meeting: Meeting | None
    proposals_on_agenda: int


def plan_glance(plan: ActionPlan, today: date, now: datetime) -> PlanGlance:
    """Implementation rate, late measures and the next platform meeting (three statements)."""
    meeting = next_platform_meeting(now)
    return PlanGlance(
        plan=plan,
        figures=plan_figures(DashboardFilters(plan_id=plan.id), today),
        next_meeting=meeting,
        proposals_on_agenda=proposals_on_meeting_count(meeting) if meeting else 0,
    )
