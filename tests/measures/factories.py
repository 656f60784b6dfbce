"""Factories of the action plan (to be folded into tests/factories.py): flushed, not committed.

They write rows directly, without the workflow, so that a test can start from any status.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal

from coordination.agencies.models import Agency
from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS
from coordination.db import db
from coordination.measures.models import (
    ActionPlan,
    Indicator,
    IndicatorDirection,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureStatus,
    MeasureTransition,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    Theme,
)
from coordination.meetings.models import AgendaItem, AgendaItemKind, Meeting
from coordination.users.models import User

_sequence = itertools.count(1)

THEMES = [
    ("Preventie", "Prévention", "Prevention"),
    ("Detectie en identificatie", "Détection et identification", "Detection and identification"),
    ("Bescherming van slachtoffers", "Protection des victimes", "Protection of victims"),
]


def plan(
    code: str | None = None,
    start_year: int = 2021,
    end_year: int = 2025,
    themes: list[tuple[str, str, str]] | None = None,
    status: PlanStatus = PlanStatus.OPEN,
) -> ActionPlan:
    code = code or f"NAP-{start_year}-{end_year}-{next(_sequence)}"
    obj = ActionPlan(
        code=code,
        title_nl=f"Nationaal actieplan {start_year}-{end_year}",
        title_fr=f"Plan d'action national {start_year}-{end_year}",
        title_en=f"National action plan {start_year}-{end_year}",
        start_year=start_year,
        end_year=end_year,
        status=status,
    )
    for position, (nl, fr, en) in enumerate(THEMES if themes is None else themes, start=1):
        obj.themes.append(Theme(position=position, name_nl=nl, name_fr=fr, name_en=en))
    db.session.add(obj)
    db.session.flush()
    return obj


def measure(
    plan_: ActionPlan,
    lead: Agency,
    status: MeasureStatus = MeasureStatus.PROPOSED,
    code: str | None = None,
    theme: Theme | None = None,
    partners: list[Agency] | None = None,
    deadline: date | None = None,
    title: Texts | str | None = None,
) -> Measure:
    """A measure; a plain ``title`` is the same text in every language."""
    number = next(_sequence)
    obj = Measure(
        plan=plan_,
        theme=theme or plan_.themes[0],
        code=code or f"{(theme or plan_.themes[0]).position}.{number}",
        title=Texts.coerce(title or f"Measure number {number}"),
        description=Texts.same("Some *Markdown* text."),
        lead_agency=lead,
        partners=list(partners or []),
        deadline=deadline,
        status=status,
    )
    db.session.add(obj)
    db.session.add(MeasureTransition(measure=obj, from_status=None, to_status=status))
    db.session.flush()
    return obj


def indicator(
    measure_: Measure,
    name: Texts | str = "Trafficking-focused inspections",
    unit: str = "inspections",
    direction: IndicatorDirection = IndicatorDirection.MORE_IS_BETTER,
    targets: dict[int, str] | None = None,
    baseline: tuple[str, int] | None = None,
) -> Indicator:
    obj = Indicator(
        measure=measure_,
        name=Texts.coerce(name),
        unit=unit,
        direction=direction,
        baseline_value=Decimal(baseline[0]) if baseline else None,
        baseline_year=baseline[1] if baseline else None,
    )
    for year, target in (targets or {}).items():
        obj.targets.append(IndicatorTarget(year=year, target=Decimal(target)))
    db.session.add(obj)
    db.session.flush()
    return obj


def report(
    measure_: Measure,
    author: User | None,
    year: int = 2024,
    status: ReportStatus = ReportStatus.SUBMITTED,
    text: str = "Progress as planned.",
    reviewer: User | None = None,
) -> ProgressReport:
    reviewed = status is not ReportStatus.SUBMITTED
    obj = ProgressReport(
        measure=measure_,
        agency_id=measure_.lead_agency_id,
        author=author,
        year=year,
        text=text,
        status=status,
        reviewer_comment="Please add the source." if status is ReportStatus.RETURNED else None,
        reviewed_by=reviewer if reviewed else None,
        reviewed_at=datetime(year + 1, 2, 1, 10, tzinfo=BRUSSELS) if reviewed else None,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def value(
    indicator_: Indicator,
    year: int,
    amount: str,
    source: str = "Annual activity report",
    report_: ProgressReport | None = None,
) -> IndicatorValue:
    obj = IndicatorValue(
        indicator=indicator_,
        year=year,
        value=Decimal(amount),
        source=source,
        report=report_,
        reported_at=datetime(year + 1, 1, 15, 10, tzinfo=BRUSSELS),
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def on_agenda(measure_: Measure, meeting_: Meeting) -> AgendaItem:
    """``measure_`` put before ``meeting_`` as a decision item (what a decision needs)."""
    obj = AgendaItem(
        meeting=meeting_,
        position=len(meeting_.agenda_items) + 1,
        title=Texts.same(f"{measure_.code}"),
        kind=AgendaItemKind.DECISION,
        measure_id=measure_.id,
    )
    db.session.add(obj)
    db.session.flush()
    return obj
