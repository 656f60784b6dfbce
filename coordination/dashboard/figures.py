"""The dashboard's charts, drawn from the aggregates of ``queries`` in the reader's language.

Each function returns the SVG of one chart, drawn wide and narrow (the stylesheet shows the one
that fits the screen); the page puts the same figures in a table next to it. Descriptions
(the SVG ``<desc>``) say the figures in words for screen readers. Bars that stand for a status
or a verdict are drawn in its badge's colour with its own hatch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from coordination.core.badges import BADGE_COLOURS
from coordination.core.templating import localised, percent
from coordination.dashboard.charts import HATCHES, Series, Style, bar_chart, stacked_bar_chart
from coordination.dashboard.queries import (
    Adoptions,
    IndicatorYear,
    LateByAgency,
    PlanFigures,
    ThemeFigures,
)
from coordination.measures.models import MeasureStatus
from coordination.measures.workflow import STATUS_LABELS

#: Each status's look in every chart: its badge colour and one hatch of its own.
STATUS_STYLES = {
    status: Style(BADGE_COLOURS[status.value], HATCHES[index % len(HATCHES)])
    for index, status in enumerate(MeasureStatus)
}
MET, NOT_MET, NO_RESULT = (
    Style(BADGE_COLOURS["verdict-met"], ""),
    Style(BADGE_COLOURS["verdict-not_met"], "xx"),
    Style(BADGE_COLOURS["verdict-no_result"], "//"),
)


def _wide_and_narrow(chart: Callable[..., Markup], *, chart_id: str, **arguments: Any) -> Markup:
    """The chart for a screen beside its table and the chart for a phone."""
    return chart(chart_id=chart_id, layout="wide", **arguments) + chart(
        chart_id=f"{chart_id}-narrow", layout="narrow", **arguments
    )


def _listing(pairs: Sequence[tuple[str, object]]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs) + "."


def status_chart(figures: PlanFigures, *, chart_id: str = "chart-status") -> Markup:
    labels = [str(STATUS_LABELS[status]) for status in MeasureStatus]
    values = [figures.count(status) for status in MeasureStatus]
    rate = figures.implementation_rate
    description = _listing(list(zip(labels, values, strict=True)))
    if rate is not None:
        description += " " + _("Implementation rate: %(rate)s.", rate=percent(rate, digits=1))
    return _wide_and_narrow(
        bar_chart,
        chart_id=chart_id,
        title=_("Measures by status"),
        description=description,
        categories=labels,
        series=[Series(_("Measures"), values)],
        horizontal=True,
        value_label=_("Measures"),
        category_styles=[STATUS_STYLES[status] for status in MeasureStatus],
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
    return _wide_and_narrow(
        stacked_bar_chart,
        chart_id=chart_id,
        title=_("Measures by theme and status"),
        description=description,
        categories=categories,
        series=[
            Series(
                str(STATUS_LABELS[status]),
                [theme.count(status) for theme in themes],
                STATUS_STYLES[status],
            )
            for status in statuses
        ],
        value_label=_("Measures"),
    )


def late_chart(late: LateByAgency, *, chart_id: str = "chart-late") -> Markup:
    bars = [(str(row.agency.label), row.late) for row in late.top]
    if late.other_agencies:
        bars.append((_("Other agencies"), late.other_late))
    return _wide_and_narrow(
        bar_chart,
        chart_id=chart_id,
        title=_("Late measures by lead agency"),
        description=_listing(bars),
        categories=[name for name, _count in bars],
        series=[
            Series(
                _("Late measures"),
                [count for _name, count in bars],
                Style(BADGE_COLOURS["late"], "xx"),
            )
        ],
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
    return _wide_and_narrow(
        stacked_bar_chart,
        chart_id=chart_id,
        title=_("Indicator targets per year"),
        description=description,
        categories=[str(row.year) for row in years],
        series=[
            Series(met, [row.met for row in years], MET),
            Series(not_met, [row.not_met for row in years], NOT_MET),
            Series(no_result, [row.no_result for row in years], NO_RESULT),
        ],
        horizontal=False,
        value_label=_("Targets"),
    )


def adoption_chart(adoptions: Adoptions, *, chart_id: str = "chart-adoption") -> Markup:
    dates = [format_date(row.local_date, "MMM yyyy") for row in adoptions.meetings]
    values = [row.adopted for row in adoptions.meetings]
    return _wide_and_narrow(
        bar_chart,
        chart_id=chart_id,
        title=_("Measures adopted at each platform meeting"),
        description=_listing(list(zip(dates, values, strict=True))),
        categories=dates,
        series=[Series(_("Measures adopted"), values, STATUS_STYLES[MeasureStatus.ADOPTED])],
        horizontal=True,
        value_label=_("Measures adopted"),
    )
