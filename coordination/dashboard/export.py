"""The whole action plan for the rapporteur's evaluation, as CSV and as JSON.

Both exports stream: measures are read in chunks of ``CHUNK`` with their partners, history,
indicators, targets and results (five statements a chunk), so that a plan of 5,000 measures
with 50 indicators each never sits in memory at once.

JSON structure (``format`` names its version; codes, not labels, so that it is stable)::

    {
      "format": "coordination-action-plan/1",
      "generated_at": "2026-11-25T09:00:00+00:00",     # UTC
      "late_on": "2026-11-25",                          # the Brussels day "late" refers to
      "plan": {"code": "NAP-2021-2025", "title": {"nl": ..., "fr": ..., "en": ...},
               "start_year": 2021, "end_year": 2025, "status": "open"},
      "filters": {"theme": null | 3, "lead_agency": null | "FEDPOL"},
      "measures": [{
        "code": "6.1", "title": {"nl": ..., "fr": ...},     # the languages written (en optional)
        "description": {"nl": ..., "fr": ...},              # Markdown, as entered
        "theme": {"position": 6, "name": {"nl": ..., "fr": ..., "en": ...}},
        "status": "proposed" | "adopted" | "in_progress" | "postponed" | "implemented"
                  | "rejected" | "withdrawn",
        "late": true | false, "deadline": "2025-12-31" | null,
        "lead_agency": "NSSO", "partners": ["SOCINSP", ...],
        "carried_over_from": {"plan": "NAP-2016-2020", "code": "4.2"} | null,
        "history": [{"at": ISO 8601 UTC, "from_status": null | status, "to_status": status,
                     "meeting": {"date": "2021-03-09", "title": {"nl": ..., "fr": ...},
                                 "forum": "platform"} | null,
                     "note": ...}],
        "indicators": [{"name": {"nl": ..., "fr": ...}, "unit": ...,
                        "direction": "more_is_better" | "less_is_better",
                        "baseline": {"year": 2020, "value": 86} | null,
                        "years": [{"year": 2024, "target": 100 | null, "result": 240 | null,
                                   "source": ... | null,
                                   "verdict": "met" | "not_met" | "no_result"
                                              | "no_target"}]}]
      }]
    }

The CSV is one table in "long" form, one line per record, the ``record`` column saying which:
a measure (its fields), then each of its status changes, then each indicator and year (target,
result, source, verdict). Cells that a spreadsheet would evaluate as a formula are neutralised
(``measures.export.neutralise_cell``).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from coordination.agencies.models import Agency, Forum
from coordination.core.templating import localised
from coordination.core.texts import Texts
from coordination.dashboard.queries import DashboardFilters, latest_results, measure_conditions
from coordination.db import db
from coordination.measures.export import BOM, neutralise_cell
from coordination.measures.labels import DIRECTION_LABELS, VERDICT_LABELS
from coordination.measures.models import (
    ActionPlan,
    Indicator,
    IndicatorDirection,
    IndicatorTarget,
    Measure,
    MeasureStatus,
    MeasureTransition,
    Theme,
    measure_partners,
)
from coordination.measures.queries import year_verdict
from coordination.measures.workflow import status_label
from coordination.meetings.models import Meeting

FORMAT = "coordination-action-plan/1"

#: Measures read per round of statements.
CHUNK = 500


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    from_status: MeasureStatus | None
    to_status: MeasureStatus
    meeting_date: date | None
    meeting_title: Texts | None
    forum_code: str | None
    note: str


@dataclass(frozen=True)
class YearRecord:
    year: int
    target: Decimal | None
    result: Decimal | None
    source: str | None
    #: As in ``measures.queries.YearResult``: met, not_met, no_result, no_target.
    verdict: str


@dataclass(frozen=True)
class IndicatorRecord:
    name: Texts
    unit: str
    direction: IndicatorDirection
    baseline_value: Decimal | None
    baseline_year: int | None
    years: list[YearRecord]


@dataclass(frozen=True)
class MeasureRecord:
    id: int
    code: str
    title: Texts
    description: Texts
    theme: Theme
    status: MeasureStatus
    late: bool
    deadline: date | None
    lead_code: str
    partners: list[str]
    carried_over_from: tuple[str, str] | None
    history: list[HistoryEntry]
    indicators: list[IndicatorRecord]


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _partners(ids: Sequence[int]) -> dict[int, list[str]]:
    rows: Sequence[Any] = db.session.execute(
        select(measure_partners.c.measure_id, Agency.code)
        .join(Agency, Agency.id == measure_partners.c.agency_id)
        .where(measure_partners.c.measure_id.in_(ids))
        .order_by(measure_partners.c.measure_id, Agency.code)
    ).all()
    partners: dict[int, list[str]] = defaultdict(list)
    for measure_id, code in rows:
        partners[measure_id].append(code)
    return partners


def _history(ids: Sequence[int]) -> dict[int, list[HistoryEntry]]:
    rows = db.session.execute(
        select(
            MeasureTransition.measure_id,
            MeasureTransition.at,
            MeasureTransition.from_status,
            MeasureTransition.to_status,
            Meeting.local_date,
            Meeting.title,
            Forum.code,
            MeasureTransition.note,
        )
        .outerjoin(Meeting, Meeting.id == MeasureTransition.meeting_id)
        .outerjoin(Forum, Forum.id == Meeting.forum_id)
        .where(MeasureTransition.measure_id.in_(ids))
        .order_by(MeasureTransition.measure_id, MeasureTransition.at, MeasureTransition.id)
    ).all()
    history: dict[int, list[HistoryEntry]] = defaultdict(list)
    for measure_id, at, from_status, to_status, day, title, forum, note in rows:
        history[measure_id].append(
            HistoryEntry(
                at=at,
                from_status=MeasureStatus(from_status) if from_status is not None else None,
                to_status=MeasureStatus(to_status),
                meeting_date=day,
                meeting_title=title,
                forum_code=forum,
                note=note or "",
            )
        )
    return history


def _indicators(ids: Sequence[int]) -> dict[int, list[IndicatorRecord]]:
    indicators = db.session.execute(
        select(
            Indicator.id,
            Indicator.measure_id,
            Indicator.name,
            Indicator.unit,
            Indicator.direction,
            Indicator.baseline_value,
            Indicator.baseline_year,
        )
        .where(Indicator.measure_id.in_(ids))
        .order_by(Indicator.measure_id, Indicator.position, Indicator.id)
    ).all()
    if not indicators:
        return {}
    in_chunk = Indicator.measure_id.in_(ids)
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, year, target_value in db.session.execute(
        select(IndicatorTarget.indicator_id, IndicatorTarget.year, IndicatorTarget.target).where(
            IndicatorTarget.indicator_id.in_(select(Indicator.id).where(in_chunk))
        )
    ):
        targets[indicator_id][year] = Decimal(target_value)
    results: dict[int, dict[int, tuple[Decimal, str]]] = defaultdict(dict)
    latest: Sequence[Any] = db.session.execute(select(latest_results([in_chunk]))).all()
    for indicator_id, year, value, source in latest:
        results[indicator_id][year] = (Decimal(value), source)
    records: dict[int, list[IndicatorRecord]] = defaultdict(list)
    for indicator_id, measure_id, name, unit, direction, baseline, baseline_year in indicators:
        direction = IndicatorDirection(direction)
        years = []
        for year in sorted(set(targets[indicator_id]) | set(results[indicator_id])):
            target = targets[indicator_id].get(year)
            result, source = results[indicator_id].get(year, (None, None))
            verdict = year_verdict(direction, target, result)
            years.append(YearRecord(year, target, result, source, verdict))
        records[measure_id].append(
            IndicatorRecord(
                name=name,
                unit=unit,
                direction=direction,
                baseline_value=Decimal(baseline) if baseline is not None else None,
                baseline_year=baseline_year,
                years=years,
            )
        )
    return records


def plan_records(filters: DashboardFilters, today: date) -> Iterator[MeasureRecord]:
    """Every measure of the (filtered) plan with its history and indicators, in plan order."""
    previous = aliased(Measure)
    previous_plan = aliased(ActionPlan)
    rows = db.session.execute(
        select(
            Measure.id,
            Measure.code,
            Measure.title,
            Measure.description,
            Theme,
            Measure.status,
            Measure.late_condition(today),
            Measure.deadline,
            Agency.code,
            previous_plan.code,
            previous.code,
        )
        .join(Theme, Theme.id == Measure.theme_id)
        .join(Agency, Agency.id == Measure.lead_agency_id)
        .outerjoin(previous, previous.id == Measure.carried_over_from_id)
        .outerjoin(previous_plan, previous_plan.id == previous.plan_id)
        .where(*measure_conditions(filters))
        .order_by(Theme.position, func.length(Measure.code), Measure.code)
    ).all()
    for chunk in _chunks(rows, CHUNK):
        ids = [row[0] for row in chunk]
        partners = _partners(ids)
        history = _history(ids)
        indicators = _indicators(ids)
        for row in chunk:
            yield MeasureRecord(
                id=row[0],
                code=row[1],
                title=row[2],
                description=row[3],
                theme=row[4],
                status=MeasureStatus(row[5]),
                late=bool(row[6]),
                deadline=row[7],
                lead_code=row[8],
                partners=partners.get(row[0], []),
                carried_over_from=(row[9], row[10]) if row[10] is not None else None,
                history=history.get(row[0], []),
                indicators=indicators.get(row[0], []),
            )


# --- JSON ----------------------------------------------------------------------------------


def spreadsheet_number(value: Decimal | None) -> int | float | None:
    """An amount as a spreadsheet or JSON reads it: a whole number as an integer."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _names(obj: Any, field: str = "name") -> dict[str, str]:
    return {language: getattr(obj, f"{field}_{language}") for language in ("nl", "fr", "en")}


def measure_json(record: MeasureRecord) -> dict[str, Any]:
    return {
        "code": record.code,
        "title": record.title.as_dict(),
        "description": record.description.as_dict(),
        "theme": {"position": record.theme.position, "name": _names(record.theme)},
        "status": record.status.value,
        "late": record.late,
        "deadline": record.deadline.isoformat() if record.deadline else None,
        "lead_agency": record.lead_code,
        "partners": record.partners,
        "carried_over_from": (
            {"plan": record.carried_over_from[0], "code": record.carried_over_from[1]}
            if record.carried_over_from
            else None
        ),
        "history": [
            {
                "at": entry.at.isoformat(),
                "from_status": entry.from_status.value if entry.from_status else None,
                "to_status": entry.to_status.value,
                "meeting": (
                    {
                        "date": entry.meeting_date.isoformat(),
                        "title": entry.meeting_title.as_dict() if entry.meeting_title else None,
                        "forum": entry.forum_code,
                    }
                    if entry.meeting_date
                    else None
                ),
                "note": entry.note,
            }
            for entry in record.history
        ],
        "indicators": [
            {
                "name": indicator.name.as_dict(),
                "unit": indicator.unit,
                "direction": indicator.direction.value,
                "baseline": (
                    {
                        "year": indicator.baseline_year,
                        "value": spreadsheet_number(indicator.baseline_value),
                    }
                    if indicator.baseline_year is not None
                    else None
                ),
                "years": [
                    {
                        "year": year.year,
                        "target": spreadsheet_number(year.target),
                        "result": spreadsheet_number(year.result),
                        "source": year.source,
                        "verdict": year.verdict,
                    }
                    for year in indicator.years
                ],
            }
            for indicator in record.indicators
        ],
    }


def json_document(
    plan_id: int,
    filters: DashboardFilters,
    *,
    theme_position: int | None,
    lead_code: str | None,
    today: date,
    now: datetime,
) -> Iterator[str]:
    """The JSON export, piece by piece (see the module docstring for its structure)."""
    plan = db.session.get_one(ActionPlan, plan_id)
    head = {
        "format": FORMAT,
        "generated_at": now.isoformat(),
        "late_on": today.isoformat(),
        "plan": {
            "code": plan.code,
            "title": _names(plan, "title"),
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "status": plan.status.value,
        },
        "filters": {"theme": theme_position, "lead_agency": lead_code},
    }
    opening = json.dumps(head, ensure_ascii=False, indent=1)
    yield opening[: opening.rindex("}")].rstrip() + ',\n "measures": [\n'
    for number, record in enumerate(plan_records(filters, today)):
        yield ("" if number == 0 else ",\n") + json.dumps(measure_json(record), ensure_ascii=False)
    yield "\n ]\n}\n"


# --- CSV -----------------------------------------------------------------------------------


def _csv_line(cells: Sequence[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralise_cell(c) for c in cells])
    return buffer.getvalue()


def _amount(value: Decimal | None) -> str:
    """Numbers as a spreadsheet reads them whatever its language: a point, no grouping."""
    if value is None:
        return ""
    return str(spreadsheet_number(value))


#: The CSV's columns, in order; each line fills some of them.
COLUMNS = (
    "record",
    "plan",
    "code",
    "title",
    "theme",
    "status",
    "late",
    "lead",
    "partners",
    "deadline",
    "carried_over_from",
    "date",
    "from_status",
    "to_status",
    "meeting",
    "note",
    "indicator",
    "unit",
    "direction",
    "year",
    "target",
    "result",
    "source",
    "verdict",
)


def csv_header() -> list[str]:
    labels = {
        "record": _("Record"),
        "plan": _("Plan"),
        "code": _("Code"),
        "title": _("Title"),
        "theme": _("Theme"),
        "status": _("Status"),
        "late": _("Late"),
        "lead": _("Lead agency"),
        "partners": _("Partner agencies"),
        "deadline": _("Deadline"),
        "carried_over_from": _("Carried over from"),
        "date": _("Date"),
        "from_status": _("From status"),
        "to_status": _("To status"),
        "meeting": _("Meeting"),
        "note": _("Note"),
        "indicator": _("Indicator"),
        "unit": _("Unit"),
        "direction": _("Direction"),
        "year": _("Year"),
        "target": _("Target"),
        "result": _("Result"),
        "source": _("Source"),
        "verdict": _("Verdict"),
    }
    return [labels[column] for column in COLUMNS]


def _line(**cells: object) -> str:
    return _csv_line([cells.get(column, "") for column in COLUMNS])


def csv_document(plan_id: int, filters: DashboardFilters, today: date) -> Iterator[str]:
    """The CSV export, line by line (BOM and header first)."""
    plan = db.session.get_one(ActionPlan, plan_id)
    yield BOM + _csv_line(csv_header())
    for record in plan_records(filters, today):
        yield _line(
            record=_("measure"),
            plan=plan.code,
            code=record.code,
            title=str(record.title),
            theme=f"{record.theme.position}. {localised(record.theme)}",
            status=status_label(record.status),
            late=_("Late") if record.late else "",
            lead=record.lead_code,
            partners=", ".join(record.partners),
            deadline=record.deadline.isoformat() if record.deadline else "",
            carried_over_from=" ".join(record.carried_over_from)
            if record.carried_over_from
            else "",
        )
        for entry in record.history:
            yield _line(
                record=_("status change"),
                plan=plan.code,
                code=record.code,
                date=entry.at.date().isoformat(),
                from_status=status_label(entry.from_status) if entry.from_status else "",
                to_status=status_label(entry.to_status),
                meeting=f"{entry.meeting_date.isoformat()} {entry.meeting_title or ''}"
                if entry.meeting_date
                else "",
                note=entry.note,
            )
        for indicator in record.indicators:
            described = {
                "record": _("indicator"),
                "plan": plan.code,
                "code": record.code,
                "indicator": str(indicator.name),
                "unit": indicator.unit,
                "direction": str(DIRECTION_LABELS[indicator.direction]),
            }
            if not indicator.years:
                yield _line(**described)
            for year in indicator.years:
                yield _line(
                    **described,
                    year=year.year,
                    target=_amount(year.target),
                    result=_amount(year.result),
                    source=year.source or "",
                    verdict=str(VERDICT_LABELS[year.verdict]),
                )
