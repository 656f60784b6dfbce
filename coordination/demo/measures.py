"""Demo action plan: NAP 2021-2025, its six themes and forty plausible measures.

Every status is present, some measures are late, several carry indicators with yearly values
(the ECOSOC teams' trafficking-focused inspections: at least 100 a year, 240 in 2024; the
Federal Police's information sessions for Defence troops deployed abroad under the protocol of
20 March 2006 ...) and progress reports in every review state. The plan, its themes and
measures, their histories, indicators and reports are in ``data/measures.toml``.

History is linked to the demo meetings (bureau on the second Tuesday of each month, platform in
March and October), looked up by forum code and month. Without those meetings (the meetings
demo not loaded) the history is recorded without links; a later run adds the links once the
meetings exist. Idempotent: plans, themes and measures are looked up by code first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from coordination.agencies.models import Agency, Forum
from coordination.auth.services import find_user_by_email
from coordination.core.texts import Texts
from coordination.core.time import brussels_to_utc
from coordination.db import db
from coordination.demo.content import read_content, texts
from coordination.demo.indicators import DemoIndicator, DemoReport, add_indicators, add_reports
from coordination.measures.models import (
    ActionPlan,
    Measure,
    MeasureStatus,
    MeasureTransition,
    PlanStatus,
    Theme,
)
from coordination.measures.services import agenda_title
from coordination.meetings.models import AgendaItem, AgendaItemKind, Meeting, MeetingStatus
from coordination.users.models import User

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

SECRETARIAT_EMAIL = "secretariat@demo.coordination.be"
#: Steps that put the measure on the agenda of a meeting of that forum.
_AGENDA_STEPS = ("bureau", "platform")
#: Steps the platform meeting of the month decides.
_DECISION_STEPS = ("adopt", "reject")


@dataclass(frozen=True)
class Step:
    """A step of a measure's history (the kinds are listed in ``data/measures.toml``)."""

    kind: str
    #: The day of a change of status; for a meeting's step, the first day of its month.
    day: date
    note: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Step:
        """``{ bureau = "2023-05" }``, ``{ implement = 2023-06-20, note = "..." }`` ..."""
        [(kind, when)] = [(key, value) for key, value in row.items() if key != "note"]
        day = when if isinstance(when, date) else date.fromisoformat(f"{when}-01")
        return cls(kind, day, row.get("note", ""))


@dataclass(frozen=True)
class DemoMeasure:
    """A measure of the demo plan with its history, indicators and progress reports."""

    code: str
    title: Texts
    lead: str
    partners: tuple[str, ...]
    deadline: date | None
    steps: tuple[Step, ...]
    description: Texts
    created: date
    indicators: tuple[DemoIndicator, ...]
    reports: tuple[DemoReport, ...]

    @property
    def theme_position(self) -> int:
        return int(self.code.split(".")[0])


def _measures(content: dict[str, Any]) -> list[DemoMeasure]:
    plan_adoption = tuple(Step.from_row(row) for row in content["plan_adoption"])
    measures = []
    for row in content["measures"]:
        history = tuple(Step.from_row(step) for step in row["history"])
        measures.append(
            DemoMeasure(
                code=row["code"],
                title=texts(row["title"]),
                lead=row["lead"],
                partners=tuple(row["partners"]),
                deadline=row.get("deadline"),
                steps=(*plan_adoption, *history) if row.get("adopted_with_plan") else history,
                description=texts(row.get("description")),
                created=row.get("created", content["created"]),
                indicators=tuple(map(DemoIndicator.from_row, row.get("indicators", ()))),
                reports=tuple(map(DemoReport.from_row, row.get("reports", ()))),
            )
        )
    return measures


_CONTENT = read_content("measures")
#: The plan's columns.
PLAN: dict[str, Any] = _CONTENT["plan"]
#: Each theme's name in Dutch, French and English, in order.
THEMES = [(theme["nl"], theme["fr"], theme["en"]) for theme in _CONTENT["themes"]]
#: The demo representative who reports for each lead agency.
REPORTERS: dict[str, str] = _CONTENT["reporters"]
MEASURES = _measures(_CONTENT)

_STATUS_OF_STEP = {
    "adopt": MeasureStatus.ADOPTED,
    "reject": MeasureStatus.REJECTED,
    "start": MeasureStatus.IN_PROGRESS,
    "resume": MeasureStatus.IN_PROGRESS,
    "postpone": MeasureStatus.POSTPONED,
    "implement": MeasureStatus.IMPLEMENTED,
    "withdraw": MeasureStatus.WITHDRAWN,
}


def final_status(spec: DemoMeasure) -> MeasureStatus:
    status = MeasureStatus.PROPOSED
    for step in spec.steps:
        status = _STATUS_OF_STEP.get(step.kind, status)
    return status


def _at(day: date, hour: int = 16) -> datetime:
    return brussels_to_utc(day, time(hour, 0))


class _Meetings:
    """Demo meetings by forum code and month, looked up once."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int, int], Meeting | None] = {}

    def find(self, forum_code: str, year: int, month: int) -> Meeting | None:
        key = (forum_code, year, month)
        if key not in self._cache:
            first = date(year, month, 1)
            after = date(year + (month == 12), month % 12 + 1, 1)
            self._cache[key] = db.session.scalar(
                select(Meeting)
                .join(Forum, Forum.id == Meeting.forum_id)
                .where(
                    Forum.code == forum_code,
                    Meeting.local_date >= first,
                    Meeting.local_date < after,
                    Meeting.status != MeetingStatus.CANCELLED,
                )
                .order_by(Meeting.starts_at)
                .limit(1)
            )
        return self._cache[key]


def _plan(summary: DemoSummary) -> ActionPlan:
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.code == PLAN["code"]))
    if plan is None:
        plan = ActionPlan(**PLAN, status=PlanStatus.OPEN)
        db.session.add(plan)
        summary.count("action plans")
    existing = {theme.position for theme in plan.themes}
    for position, (nl, fr, en) in enumerate(THEMES, start=1):
        if position not in existing:
            plan.themes.append(Theme(position=position, name_nl=nl, name_fr=fr, name_en=en))
            summary.count("themes")
    db.session.flush()
    return plan


def _agenda_item(measure: Measure, meeting: Meeting, kind: AgendaItemKind) -> bool:
    """Put the measure on the meeting's agenda unless it already is; True if added."""
    exists = db.session.scalar(
        select(AgendaItem.id).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.measure_id == measure.id
        )
    )
    if exists is not None:
        return False
    last = db.session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
    )
    db.session.add(
        AgendaItem(
            meeting=meeting,
            position=(last or 0) + 1,
            title=agenda_title(measure),
            kind=kind,
            presenting_agency_id=measure.lead_agency_id,
            measure_id=measure.id,
            created_at=meeting.starts_at - timedelta(days=21),
        )
    )
    return True


def _history(
    measure: Measure, spec: DemoMeasure, meetings: _Meetings, actor: User | None, *, new: bool
) -> tuple[int, int]:
    """Record (new measure) or complete (existing one) the history; returns what was added."""
    added_items = added_transitions = 0
    status = MeasureStatus.PROPOSED
    decisions = {
        transition.to_status: transition
        for transition in measure.transitions
        if transition.to_status in (MeasureStatus.ADOPTED, MeasureStatus.REJECTED)
    }
    for step in spec.steps:
        if step.kind in _AGENDA_STEPS:
            meeting = meetings.find(step.kind, step.day.year, step.day.month)
            item_kind = (
                AgendaItemKind.DECISION
                if status is MeasureStatus.PROPOSED
                else AgendaItemKind.DISCUSSION
            )
            if meeting is not None and _agenda_item(measure, meeting, item_kind):
                added_items += 1
            continue
        target = _STATUS_OF_STEP[step.kind]
        meeting = None
        if step.kind in _DECISION_STEPS:
            meeting = meetings.find("platform", step.day.year, step.day.month)
            at = (
                meeting.starts_at + timedelta(hours=4) if meeting else _at(step.day.replace(day=15))
            )
            if not new and target in decisions and decisions[target].meeting_id is None:
                decisions[target].meeting = meeting
        else:
            at = _at(step.day, 10)
        if new:
            db.session.add(
                MeasureTransition(
                    measure=measure, from_status=status, to_status=target, at=at,
                    by=actor, note=step.note, meeting=meeting,
                )
            )  # fmt: skip
            added_transitions += 1
        status = target
    return added_items, added_transitions


def _reporter(lead: str) -> User | None:
    """The demo representative who reports for the lead agency, if any."""
    email = REPORTERS.get(lead)
    return find_user_by_email(email) if email else None


def load_measures(summary: DemoSummary) -> None:
    """Create the demo action plan and whatever part of its history is missing."""
    plan = _plan(summary)
    themes = {theme.position: theme for theme in plan.themes}
    agencies = {agency.code: agency for agency in db.session.scalars(select(Agency))}
    actor = find_user_by_email(SECRETARIAT_EMAIL)
    meetings = _Meetings()
    existing = {
        measure.code: measure
        for measure in db.session.scalars(select(Measure).where(Measure.plan_id == plan.id))
    }
    for spec in MEASURES:
        measure = existing.get(spec.code)
        new = measure is None
        if measure is None:
            measure = Measure(
                plan=plan,
                theme=themes[spec.theme_position],
                code=spec.code,
                title=spec.title,
                description=spec.description,
                lead_agency=agencies[spec.lead],
                partners=[agencies[code] for code in spec.partners],
                deadline=spec.deadline,
                status=final_status(spec),
                created_at=_at(spec.created, 9),
            )
            db.session.add(measure)
            db.session.add(
                MeasureTransition(
                    measure=measure, from_status=None, to_status=MeasureStatus.PROPOSED,
                    at=_at(spec.created, 9), by=actor,
                )
            )  # fmt: skip
            db.session.flush()
            summary.count("measures")
            indicators = add_indicators(measure, spec.indicators, actor, summary)
            add_reports(
                measure, spec.reports, indicators,
                author=_reporter(spec.lead), reviewer=actor, summary=summary,
            )  # fmt: skip
        items, transitions = _history(measure, spec, meetings, actor, new=new)
        summary.count("agenda items for measures", items)
        summary.count("measure transitions", transitions)
    db.session.flush()
