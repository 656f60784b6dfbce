"""Read-only queries of the action plan: the filtered list, a measure's page, the timeline,
targets against results, and the sections other pages include. Every function runs a fixed
number of statements, whatever the number of measures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from coordination.agencies.models import Agency
from coordination.core.texts import language_columns
from coordination.core.time import brussels_to_utc
from coordination.db import db
from coordination.measures.models import (
    ActionPlan,
    Indicator,
    IndicatorDirection,
    IndicatorValue,
    Measure,
    MeasureStatus,
    MeasureTransition,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    Theme,
)
from coordination.meetings.models import AgendaItem, Meeting
from coordination.users.models import Role, User

#: Measures a lead agency reports on every year.
ACTIVE_STATUSES = (MeasureStatus.ADOPTED, MeasureStatus.IN_PROGRESS, MeasureStatus.POSTPONED)


@dataclass(frozen=True)
class MeasureFilters:
    plan_id: int | None = None
    theme_id: int | None = None
    status: MeasureStatus | None = None
    lead_agency_id: int | None = None
    late: bool = False
    #: Searched in the code and the title.
    q: str = ""


def measures_query(filters: MeasureFilters, today: date) -> Select[Measure]:
    """The measures matching ``filters``, in plan order, with what a list row shows loaded."""
    query = (
        select(Measure)
        .join(Measure.plan)
        .join(Measure.theme)
        .options(
            contains_eager(Measure.plan),
            contains_eager(Measure.theme),
            joinedload(Measure.lead_agency),
            selectinload(Measure.partners),
        )
    )
    if filters.plan_id is not None:
        query = query.where(Measure.plan_id == filters.plan_id)
    if filters.theme_id is not None:
        query = query.where(Measure.theme_id == filters.theme_id)
    if filters.status is not None:
        query = query.where(Measure.status == filters.status)
    if filters.lead_agency_id is not None:
        query = query.where(Measure.lead_agency_id == filters.lead_agency_id)
    if filters.late:
        query = query.where(Measure.late_condition(today))
    text = filters.q.strip()
    if text:
        query = query.where(
            or_(
                Measure.code.icontains(text, autoescape=True),
                # In any language: a reader may know a measure by its other community's title.
                *(
                    getattr(Measure, name).icontains(text, autoescape=True)
                    for name in language_columns("title")
                ),
            )
        )
    # Codes sort as numbers within a theme: 3.2 before 3.10.
    return query.order_by(
        ActionPlan.start_year.desc(),
        Theme.position,
        func.length(Measure.code),
        Measure.code,
    )


@dataclass(frozen=True)
class FilterChoices:
    plans: list[ActionPlan]
    themes: list[Theme]


def filter_choices() -> FilterChoices:
    """What the filters offer as lists: plans and themes (with their plan). Lead agencies
    are typed, not chosen from a list of thousands: see ``lead_agencies_named``."""
    plans = list(db.session.scalars(select(ActionPlan).order_by(ActionPlan.start_year.desc())))
    themes = list(
        db.session.scalars(
            select(Theme)
            .join(Theme.plan)
            .options(contains_eager(Theme.plan))
            .order_by(ActionPlan.start_year.desc(), Theme.position)
        )
    )
    return FilterChoices(plans=plans, themes=themes)


#: How many agencies a lead-agency search offers or names at most.
LEAD_SUGGESTIONS = 12
#: The longest text a lead-agency search reads (a full name is at most 200 characters).
LEAD_TEXT_LIMIT = 200
#: Agencies' ids are positive 32-bit integers: a longer number names none (and would overflow).
_LARGEST_ID = 2**31 - 1
_NAME_COLUMNS = (
    Agency.code,
    Agency.short_name_nl,
    Agency.short_name_fr,
    Agency.short_name_en,
    Agency.name_nl,
    Agency.name_fr,
    Agency.name_en,
)


def lead_agencies_named(text: str, limit: int = LEAD_SUGGESTIONS) -> list[Agency]:
    """The agencies leading a measure that ``text`` names, as people type one: its number in
    a link, its code or short name (DVZ, OE), its full name, the way a suggestion writes it
    ("DVZ — Dienst Vreemdelingenzaken"), or a part of any of these. One agency when the text
    names one exactly; else every agency whose names contain it (at most ``limit``), by code.
    """
    text = " ".join(text.split())
    if not text:
        return []
    leads = select(Agency).where(exists().where(Measure.lead_agency_id == Agency.id))
    if text.isascii() and text.isdigit():
        number = int(text)
        return (
            list(db.session.scalars(leads.where(Agency.id == number)))
            if number <= _LARGEST_ID
            else []
        )
    # A suggestion reads "short name — name": either half names the agency.
    halves = [half.strip() for half in text.split(" — ") if half.strip()]
    exact = list(
        db.session.scalars(
            leads.where(
                or_(
                    *(
                        func.lower(column) == half.lower()
                        for column in _NAME_COLUMNS
                        for half in halves
                    )
                )
            ).order_by(Agency.code)
        )
    )
    if len(exact) > 1:
        # Two agencies share a short name: the suggestion's whole text tells them apart.
        exact = [agency for agency in exact if agency.choice_label() == text] or exact
    if exact:
        return exact[:limit]
    return list(
        db.session.scalars(
            leads.where(or_(*(column.icontains(text, autoescape=True) for column in _NAME_COLUMNS)))
            .order_by(Agency.code)
            .limit(limit)
        )
    )


def load_measure(measure_id: int) -> Measure | None:
    """A measure with everything its page shows, in a bounded number of statements."""
    return db.session.scalar(
        select(Measure)
        .where(Measure.id == measure_id)
        .options(
            joinedload(Measure.plan),
            joinedload(Measure.theme),
            joinedload(Measure.lead_agency),
            selectinload(Measure.partners),
            selectinload(Measure.transitions).options(
                joinedload(MeasureTransition.by),
                joinedload(MeasureTransition.meeting).joinedload(Meeting.forum),
            ),
            selectinload(Measure.agenda_items)
            .joinedload(AgendaItem.meeting)
            .joinedload(Meeting.forum),
            selectinload(Measure.indicators).options(
                selectinload(Indicator.targets),
                selectinload(Indicator.values).joinedload(IndicatorValue.report),
            ),
            selectinload(Measure.reports).options(
                joinedload(ProgressReport.author),
                joinedload(ProgressReport.agency),
                joinedload(ProgressReport.reviewed_by),
                selectinload(ProgressReport.values).joinedload(IndicatorValue.indicator),
            ),
            joinedload(Measure.carried_over_from).joinedload(Measure.plan),
            selectinload(Measure.carried_over_to).joinedload(Measure.plan),
        )
    )


# --- timeline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    #: "created", "transition" or "agenda".
    kind: str
    transition: MeasureTransition | None = None
    agenda_item: AgendaItem | None = None

    @property
    def meeting(self) -> Meeting | None:
        if self.transition is not None:
            return self.transition.meeting
        return self.agenda_item.meeting if self.agenda_item is not None else None


_KIND_ORDER = {"created": 0, "agenda": 1, "transition": 2}


def timeline(measure: Measure) -> list[TimelineEntry]:
    """Everything that happened to a measure, in the order it was recorded: its creation,
    every agenda it was put on (bureau, platform, back to the bureau) and every transition.
    """
    entries = [
        TimelineEntry(
            at=transition.at,
            kind="created" if transition.from_status is None else "transition",
            transition=transition,
        )
        for transition in measure.transitions
    ]
    entries += [
        TimelineEntry(at=item.created_at, kind="agenda", agenda_item=item)
        for item in measure.agenda_items
    ]
    return sorted(
        entries,
        key=lambda entry: (
            entry.at,
            _KIND_ORDER[entry.kind],
            (entry.transition or entry.agenda_item).id,  # type: ignore[union-attr]
        ),
    )


def earlier_history(measure: Measure) -> list[tuple[Measure, list[TimelineEntry]]]:
    """The timelines of the measures this one continues, most recent plan first."""
    chain = []
    seen = {measure.id}
    previous = measure.carried_over_from
    while previous is not None and previous.id not in seen:
        seen.add(previous.id)
        loaded = load_measure(previous.id)
        if loaded is None:
            break
        chain.append((loaded, timeline(loaded)))
        previous = loaded.carried_over_from
    return chain


# --- targets and results -------------------------------------------------------------------


@dataclass(frozen=True)
class YearResult:
    year: int
    target: Decimal | None
    #: The value that counts for the year (see ``IndicatorValue.counts``), if any.
    result: IndicatorValue | None
    #: "met", "not_met", "no_result" or "no_target".
    verdict: str


def target_met(direction: IndicatorDirection, target: Decimal, value: Decimal) -> bool:
    if direction is IndicatorDirection.LESS_IS_BETTER:
        return value <= target
    return value >= target


def year_verdict(
    direction: IndicatorDirection, target: Decimal | None, result: Decimal | None
) -> str:
    """What a year's result says of its target: "met", "not_met", "no_result" or "no_target"
    (the measure page and the plan export say the same)."""
    if result is None:
        return "no_result"
    if target is None:
        return "no_target"
    return "met" if target_met(direction, target, result) else "not_met"


def indicator_results(indicator: Indicator) -> list[YearResult]:
    """Target against result for every year that has either."""
    targets = {target.year: target.target for target in indicator.targets}
    results: dict[int, IndicatorValue] = {}
    for value in sorted(indicator.values, key=lambda v: (v.year, v.reported_at, v.id)):
        if value.counts:
            results[value.year] = value
    rows = []
    for year in sorted(set(targets) | set(results)):
        target, result = targets.get(year), results.get(year)
        amount = result.value if result is not None else None
        verdict = year_verdict(indicator.direction, target, amount)
        rows.append(YearResult(year=year, target=target, result=result, verdict=verdict))
    return rows


# --- sections of other pages ---------------------------------------------------------------


def measures_on_meeting(meeting_id: int) -> list[tuple[AgendaItem, Measure]]:
    """The measures a meeting's agenda deals with, in agenda order (one statement)."""
    rows = db.session.execute(
        select(AgendaItem, Measure)
        .join(Measure, Measure.id == AgendaItem.measure_id)
        .where(AgendaItem.meeting_id == meeting_id)
        .options(joinedload(Measure.lead_agency), joinedload(Measure.plan))
        .order_by(AgendaItem.position)
    ).all()
    return [(item, measure) for item, measure in rows]


def current_plan() -> ActionPlan | None:
    """The plan people mean by "the plan": the latest open one, else the latest."""
    return db.session.scalar(
        select(ActionPlan).order_by(
            (ActionPlan.status == PlanStatus.OPEN).desc(), ActionPlan.start_year.desc()
        )
    )


@dataclass
class PlanSummary:
    plan: ActionPlan | None
    counts: dict[MeasureStatus, int] = field(default_factory=dict)
    late: int = 0
    reports_to_review: int | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def plan_summary(today: date, *, with_reviews: bool = False) -> PlanSummary:
    """Counts by status and late measures of the current plan."""
    plan = current_plan()
    summary = PlanSummary(plan=plan)
    if plan is None:
        return summary
    rows = db.session.execute(
        select(
            Measure.status,
            func.count(Measure.id),
            func.count(Measure.id).filter(Measure.late_condition(today)),
        )
        .where(Measure.plan_id == plan.id)
        .group_by(Measure.status)
    ).all()
    counts: Counter[MeasureStatus] = Counter()
    for status, number, late in rows:
        counts[MeasureStatus(status)] = number
        summary.late += late
    summary.counts = {status: counts[status] for status in MeasureStatus if counts[status]}
    if with_reviews:
        summary.reports_to_review = db.session.scalar(
            select(func.count(ProgressReport.id)).where(
                ProgressReport.status == ReportStatus.SUBMITTED
            )
        )
    return summary


@dataclass(frozen=True)
class LedMeasure:
    measure: Measure
    #: No report submitted this calendar year (a report sent back does not count).
    report_due: bool


def measures_led_by(agency_id: int, today: date) -> list[LedMeasure]:
    """The active measures an agency leads, and whether this year's report is still due.

    Reports are yearly: a report submitted since 1 January (Brussels), whatever year it
    covers (in January agencies report on the year just ended), settles the year.
    """
    year_start = brussels_to_utc(date(today.year, 1, 1), time(0, 0))
    reported = (
        exists()
        .where(
            ProgressReport.measure_id == Measure.id,
            ProgressReport.submitted_at >= year_start,
            ProgressReport.status != ReportStatus.RETURNED,
        )
        .correlate(Measure)
    )
    rows = db.session.execute(
        select(Measure, reported)
        .where(Measure.lead_agency_id == agency_id, Measure.status.in_(ACTIVE_STATUSES))
        .options(joinedload(Measure.plan))
        .order_by(Measure.deadline.is_(None), Measure.deadline, Measure.code)
    ).all()
    return [LedMeasure(measure=measure, report_due=not has_report) for measure, has_report in rows]


def reports_awaiting_review(limit: int = 50) -> list[ProgressReport]:
    return list(
        db.session.scalars(
            select(ProgressReport)
            .where(ProgressReport.status == ReportStatus.SUBMITTED)
            .options(
                joinedload(ProgressReport.measure).joinedload(Measure.plan),
                joinedload(ProgressReport.agency),
            )
            .order_by(ProgressReport.submitted_at)
            .limit(limit)
        )
    )


@dataclass
class HomeSection:
    #: For an agency representative: the measures their agency leads.
    led: list[LedMeasure] | None = None
    summary: PlanSummary | None = None


def home_section(user: User, today: date) -> HomeSection:
    if user.role is Role.AGENCY_REP and user.agency_id is not None:
        return HomeSection(led=measures_led_by(user.agency_id, today))
    return HomeSection(summary=plan_summary(today, with_reviews=user.role is Role.SECRETARIAT))


def plans_overview() -> list[tuple[ActionPlan, int]]:
    """Every plan with its number of measures, newest first."""
    rows = db.session.execute(
        select(ActionPlan, func.count(Measure.id))
        .outerjoin(Measure, Measure.plan_id == ActionPlan.id)
        .group_by(ActionPlan.id)
        .order_by(ActionPlan.start_year.desc(), ActionPlan.id.desc())
    ).all()
    return [(plan, number) for plan, number in rows]


def load_plan(plan_id: int) -> ActionPlan | None:
    return db.session.scalar(
        select(ActionPlan).where(ActionPlan.id == plan_id).options(selectinload(ActionPlan.themes))
    )


def theme_counts(plan: ActionPlan) -> dict[int, int]:
    rows = db.session.execute(
        select(Measure.theme_id, func.count(Measure.id))
        .where(Measure.plan_id == plan.id)
        .group_by(Measure.theme_id)
    ).all()
    return dict(rows)
