"""Indicators and progress reports of the demo measures (``data/measures.toml``).

An indicator has yearly targets and values the secretariat recorded outside any report; a
progress report, submitted in February of the next year and reviewed nine days later unless it
still awaits review, carries the values of the measure's indicators for its year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from coordination.core.texts import Texts
from coordination.core.time import brussels_to_utc
from coordination.demo.content import texts
from coordination.measures.models import (
    Indicator,
    IndicatorDirection,
    IndicatorTarget,
    IndicatorValue,
    ProgressReport,
    ReportStatus,
)

if TYPE_CHECKING:
    from coordination.demo import DemoSummary
    from coordination.measures.models import Measure
    from coordination.users.models import User


@dataclass(frozen=True)
class Figure:
    """A value and where it comes from."""

    value: Decimal
    source: str


def _number(value: float | str) -> Decimal:
    """A figure of the TOML file (an integer there) as the decimal the database stores."""
    return Decimal(str(value))


def _figures(rows: dict[str, dict[str, Any]]) -> dict[int, Figure]:
    """Figures keyed by a year or an indicator's position (TOML keys are strings)."""
    return {int(key): Figure(_number(row["value"]), row["source"]) for key, row in rows.items()}


@dataclass(frozen=True)
class DemoIndicator:
    name: Texts
    unit: str
    targets: dict[int, Decimal]
    #: year -> value recorded by the secretariat, outside any report.
    values: dict[int, Figure]
    direction: IndicatorDirection
    #: (value, year)
    baseline: tuple[Decimal, int] | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DemoIndicator:
        baseline = row.get("baseline")
        return cls(
            name=texts(row["name"]),
            unit=row["unit"],
            targets={int(year): _number(target) for year, target in row["targets"].items()},
            values=_figures(row.get("values", {})),
            direction=IndicatorDirection(row.get("direction", IndicatorDirection.MORE_IS_BETTER)),
            baseline=(_number(baseline["value"]), baseline["year"]) if baseline else None,
        )


@dataclass(frozen=True)
class DemoReport:
    year: int
    status: ReportStatus
    text: str
    #: indicator position (1 = the measure's first indicator) -> value reported
    values: dict[int, Figure]
    comment: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DemoReport:
        return cls(
            year=row["year"], status=ReportStatus(row["status"]), text=row["text"],
            values=_figures(row.get("values", {})), comment=row.get("comment"),
        )  # fmt: skip


def add_indicators(
    measure: Measure,
    specs: tuple[DemoIndicator, ...],
    actor: User | None,
    summary: DemoSummary,
) -> list[Indicator]:
    """The measure's indicators with their targets and values; returned in position order."""
    indicators = []
    for position, demo in enumerate(specs, start=1):
        indicator = Indicator(
            position=position,
            name=demo.name,
            unit=demo.unit,
            direction=demo.direction,
            baseline_value=demo.baseline[0] if demo.baseline else None,
            baseline_year=demo.baseline[1] if demo.baseline else None,
        )
        measure.indicators.append(indicator)
        for year, target in demo.targets.items():
            indicator.targets.append(IndicatorTarget(year=year, target=target))
        for year, figure in demo.values.items():
            indicator.values.append(
                IndicatorValue(
                    year=year, value=figure.value, source=figure.source, reported_by=actor,
                    reported_at=brussels_to_utc(date(year + 1, 3, 1), time(11, 0)),
                )
            )  # fmt: skip
        indicators.append(indicator)
        summary.count("indicators")
    return indicators


def add_reports(
    measure: Measure,
    specs: tuple[DemoReport, ...],
    indicators: list[Indicator],
    *,
    author: User | None,
    reviewer: User | None,
    summary: DemoSummary,
) -> None:
    """The lead agency's progress reports on the measure, by ``author``."""
    for demo in specs:
        submitted = brussels_to_utc(date(demo.year + 1, 2, 10), time(9, 0))
        reviewed = demo.status is not ReportStatus.SUBMITTED
        report = ProgressReport(
            agency_id=measure.lead_agency_id,
            author=author,
            year=demo.year,
            text=demo.text,
            status=demo.status,
            submitted_at=submitted,
            reviewer_comment=demo.comment,
            reviewed_by=reviewer if reviewed else None,
            reviewed_at=submitted + timedelta(days=9) if reviewed else None,
        )
        measure.reports.append(report)
        for position, figure in demo.values.items():
            report.values.append(
                IndicatorValue(
                    indicator=indicators[position - 1], year=demo.year, value=figure.value,
                    source=figure.source, reported_by=author, reported_at=submitted,
                )
            )  # fmt: skip
        summary.count("progress reports")
