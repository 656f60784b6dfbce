"""The dashboard's charts, drawn from the aggregates of ``queries`` in the reader's language.

Each function returns the SVG of one chart; the page puts the same figures in a table next to
it. Descriptions (the SVG ``<desc>``) say the figures in words for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from coordination.core.templating import localised, percent
from coordination.dashboard.charts import Series, bar_chart, stacked_bar_chart
from coordination.dashboard.queries import (
    Adoptions,
    IndicatorYear,
    LateByAgency,
    PlanFigures,
    ThemeFigures,
)
from coordination.measures.models import MeasureStatus
from coordination.measures.workflow import STATUS_LABELS


def _listing(pairs: Sequence[tuple[str, object]]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs) + "."


def status_chart(figures: PlanFigures, *, chart_id: str = "chart-status") -> Markup:
    labels = [str(STATUS_LABELS[status]) for status in MeasureStatus]
    values = [figures.count(status) for status in MeasureStatus]
    rate = figures.implementation_rate
    description = _listing(list(zip(labels, values, strict=True)))
    if rate is not None:
        description += " " + _("Implementation rate: %(rate)s.", rate=percent(rate, digits=1))
    return bar_chart(
        chart_id=chart_id,
        title=_("Measures by status"),
        description=description,
        categories=labels,
        series=[Series(_("Measures"), values)],
        horizontal=True,
        value_label=_("Measures"),
    )


def theme_chart(themes: list[ThemeFigures], *, chart_id: str = "chart-themes") -> Markup:
    statuses = [
        status for status in MeasureStatus if any(theme.count(status) for theme in themes)
    ] or [MeasureStatus.PROPOSED]
    categories = [f"{theme.position}. {localised(theme.theme)}" for theme in themes]
    description = " ".join(
        f"{category}: "
        + _listing([(str(STATUS_LABELS[status]), theme.count(status)) for status in statuses])
        for category, theme in zip(categories, themes, strict=True)
    )
    return stacked_bar_chart(
        chart_id=chart_id,
        title=_("Measures by theme and status"),
        description=description,
        categories=[_shorten(category) for category in categories],
        series=[
            Series(str(STATUS_LABELS[status]), [theme.count(status) for theme in themes])
            for status in statuses
        ],
        value_label=_("Measures"),
    )


def late_chart(late: LateByAgency, *, chart_id: str = "chart-late") -> Markup:
    bars = [(str(row.agency.label), row.late) for row in late.top]
    if late.other_agencies:
        bars.append((_("Other agencies"), late.other_late))
    return bar_chart(
        chart_id=chart_id,
        title=_("Late measures by lead agency"),
        description=_listing(bars),
        categories=[name for name, _count in bars],
        series=[Series(_("Late measures"), [count for _name, count in bars])],
        horizontal=True,
        value_label=_("Late measures"),
    )


def indicator_chart(years: list[IndicatorYear], *, chart_id: str = "chart-indicators") -> Markup:
    met, not_met, no_result = _("Target met"), _("Target not met"), _("No result yet")
    description = " ".join(
        f"{row.year}: "
        + _listing([(met, row.met), (not_met, row.not_met), (no_result, row.no_result)])
        for row in years
    )
    return stacked_bar_chart(
        chart_id=chart_id,
        title=_("Indicator targets per year"),
        description=description,
        categories=[str(row.year) for row in years],
        series=[
            Series(met, [row.met for row in years]),
            Series(not_met, [row.not_met for row in years]),
            Series(no_result, [row.no_result for row in years]),
        ],
        horizontal=False,
        value_label=_("Targets"),
    )


def adoption_chart(adoptions: Adoptions, *, chart_id: str = "chart-adoption") -> Markup:
    dates = [format_date(row.local_date, "MMM yyyy") for row in adoptions.meetings]
    values = [row.adopted for row in adoptions.meetings]
    return bar_chart(
        chart_id=chart_id,
        title=_("Measures adopted at each platform meeting"),
        description=_listing(list(zip(dates, values, strict=True))),
        categories=dates,
        series=[Series(_("Measures adopted"), values)],
        horizontal=True,
        value_label=_("Measures adopted"),
    )


def _shorten(label: str, width: int = 38) -> str:
    """Axis labels stay on one line; the table next to the chart has the full name."""
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"
