"""Server-rendered SVG charts (matplotlib), accessible, printable and CSP-friendly.

Every chart is drawn by matplotlib with text kept as text (``svg.fonttype: none``), a fixed
hash salt and no date metadata, so that the same figures always give the same bytes. The SVG
is then rewritten so that it can be inlined in a page whose Content-Security-Policy forbids
inline styles: matplotlib's ``style="..."`` attributes become SVG presentation attributes and
its ``<style>`` element is dropped. Each chart carries ``role="img"``, a ``<title>`` and a
``<desc>``; the page shows the same figures in a data table next to it.

Colour is never the only signal: bars carry hatch patterns and their value as a label.
"""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any, TypeVar

import matplotlib

matplotlib.use("Agg")  # no display on servers

from markupsafe import Markup
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

#: Colour-blind-safe palette (Okabe-Ito) with contrast against white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
#: Line hatches only: matplotlib draws dots and circles as thousands of SVG path segments (a
#: dotted pattern alone weighed 70 KiB, a circled one 140 KiB), lines as a dozen.
HATCHES = ["", "//", "xx", "--", "\\\\", "++", "||"]

#: CSS properties matplotlib writes that SVG also accepts as presentation attributes.
PRESENTATION_ATTRIBUTES = {
    "clip-path", "clip-rule", "color", "fill", "fill-opacity", "fill-rule", "font-family",
    "font-size", "font-style", "font-weight", "opacity", "stroke", "stroke-dasharray",
    "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
    "stroke-opacity", "stroke-width", "text-anchor", "dominant-baseline",
}  # fmt: skip

# Typed Any: matplotlib's stubs only accept a Literal union of every rc key.
RC: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "coordination-platform",
    "font.family": "sans-serif",
    "font.size": 10,
    "hatch.linewidth": 0.8,
}


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]


#: Charts kept, by their arguments: a chart depends on nothing else, and drawing one takes
#: matplotlib about a tenth of a second.
CACHE_SIZE = 256

Chart = TypeVar("Chart", bound=Callable[..., Markup])


def _frozen(value: Any) -> Any:
    if isinstance(value, Series):
        return Series(str(value.label), tuple(value.values))
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return str(value) if not isinstance(value, int | float | bool) else value


def memoised(chart: Chart) -> Chart:
    """Draw a chart once for the same arguments (keyword arguments only)."""
    cached = lru_cache(maxsize=CACHE_SIZE)(lambda **arguments: chart(**arguments))

    @wraps(chart)
    def wrapper(**arguments: Any) -> Markup:
        return cached(**{name: _frozen(value) for name, value in arguments.items()})

    return wrapper  # type: ignore[return-value]


def _svg_from(figure: Figure, *, chart_id: str, title: str, description: str) -> Markup:
    buffer = io.StringIO()
    with warnings.catch_warnings():
        # A label in a script the chart font lacks (a name typed in runes, say) is measured
        # with a placeholder glyph; the browser draws the SVG's text with its own fonts.
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    return Markup(_rewrite(buffer.getvalue(), chart_id=chart_id, title=title, desc=description))  # noqa: S704 - our own SVG, text escaped by ElementTree


def _style_to_attributes(element: ET.Element) -> None:
    style = element.attrib.pop("style", None)
    if not style:
        return
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in PRESENTATION_ATTRIBUTES and value:
            if name == "font-family":
                value = value.replace("'", "").replace('"', "")
            element.set(name, value)


def _rewrite(svg: str, *, chart_id: str, title: str, desc: str) -> str:
    """Make matplotlib's SVG inline-safe under a strict CSP, and accessible."""
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    root = ET.fromstring(svg)  # noqa: S314 - matplotlib's own output, not user input
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}style", f"{{{SVG_NS}}}metadata"):
                parent.remove(child)
    for element in root.iter():
        _style_to_attributes(element)
        # Element ids must be unique in a page that shows several charts.
        if "id" in element.attrib:
            element.set("id", f"{chart_id}-{element.attrib['id']}")
        for attribute in ("clip-path", "mask", "fill"):
            value = element.attrib.get(attribute, "")
            if value.startswith("url(#"):
                element.set(attribute, value.replace("url(#", f"url(#{chart_id}-"))
        href = element.attrib.get(f"{{{XLINK_NS}}}href")
        if href and href.startswith("#"):
            element.set(f"{{{XLINK_NS}}}href", f"#{chart_id}-{href[1:]}")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("id", chart_id)
    root.set("class", "chart")
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    title_element = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{chart_id}-title"})
    title_element.text = title
    desc_element = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{chart_id}-desc"})
    desc_element.text = desc
    root.insert(0, desc_element)
    root.insert(0, title_element)
    # ElementTree's prefixes are process-wide and other libraries change them (WeasyPrint
    # remaps the default prefix when it writes a PDF): a chart drawn afterwards came out as
    # <ns0:svg>, which browsers do not draw. Say which prefixes we want at each use.
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


@memoised
def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    horizontal: bool = False,
    value_label: str = "",
) -> Markup:
    """A grouped bar chart; each bar has a hatch pattern and its value written on it."""
    with plt.rc_context(RC):
        height = max(2.6, 0.42 * len(categories) * max(1, len(series)) + 1.2) if horizontal else 3.4
        figure, axes = plt.subplots(figsize=(7.2, height), layout="constrained")
        count = max(1, len(series))
        width = 0.8 / count
        positions = range(len(categories))
        for index, item in enumerate(series):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            colour = PALETTE[index % len(PALETTE)]
            hatch = HATCHES[index % len(HATCHES)]
            draw = axes.barh if horizontal else axes.bar
            bars = draw(
                offsets, list(item.values), width * 0.95, label=item.label,
                color=colour, hatch=hatch, edgecolor="#1f2937", linewidth=0.6,
            )  # fmt: skip
            axes.bar_label(bars, labels=[_number(v) for v in item.values], padding=2, fontsize=8)
        if horizontal:
            axes.set_yticks(list(positions), list(categories))
            axes.invert_yaxis()
            axes.set_xlabel(value_label)
        else:
            axes.set_xticks(list(positions), list(categories), rotation=0)
            axes.set_ylabel(value_label)
        _whole_number_ticks(axes, series, horizontal=horizontal)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(frameon=False, fontsize=8)
        return _svg_from(figure, chart_id=chart_id, title=title, description=description)


@memoised
def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_values: Sequence[str],
    series: Sequence[Series],
    value_label: str = "",
) -> Markup:
    """Lines with distinct markers and dash styles (not colour alone) and labelled points."""
    markers = ["o", "s", "^", "D", "v", "P", "X"]
    dashes = ["-", "--", ":", "-.", "-", "--", ":"]
    with plt.rc_context(RC):
        figure, axes = plt.subplots(figsize=(7.2, 3.4), layout="constrained")
        for index, item in enumerate(series):
            points = [(x, v) for x, v in zip(x_values, item.values, strict=True) if v is not None]
            if not points:
                continue
            xs, ys = zip(*points, strict=True)
            axes.plot(
                xs, ys, label=item.label, color=PALETTE[index % len(PALETTE)],
                marker=markers[index % len(markers)], linestyle=dashes[index % len(dashes)],
            )  # fmt: skip
            for x, y in points:
                axes.annotate(_number(y), (x, y), textcoords="offset points", xytext=(0, 5),
                              ha="center", fontsize=8)  # fmt: skip
        axes.set_ylabel(value_label)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(frameon=False, fontsize=8)
        return _svg_from(figure, chart_id=chart_id, title=title, description=description)


def _whole_number_ticks(axes, series: Sequence[Series], *, horizontal: bool) -> None:
    """Counts get ticks at whole numbers only (no "0.25 measures")."""
    values = [v for item in series for v in item.values if v is not None]
    if all(float(v) == int(v) for v in values):
        axis = axes.xaxis if horizontal else axes.yaxis
        axis.set_major_locator(MaxNLocator(integer=True))


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if float(value) != int(value) else str(int(value))


@memoised
def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    horizontal: bool = True,
    value_label: str = "",
) -> Markup:
    """Bars made of one segment per series, each hatched and labelled with its value.

    A segment too narrow to hold its label stays unlabelled (the data table next to the chart
    has every figure); the total is written at the end of each bar.
    """
    with plt.rc_context(RC):
        size = (7.2, max(2.6, 0.5 * len(categories) + 1.6)) if horizontal else (7.2, 3.6)
        figure, axes = plt.subplots(figsize=size, layout="constrained")
        positions = list(range(len(categories)))
        totals = [0.0] * len(categories)
        for item in series:
            totals = [t + float(v or 0) for t, v in zip(totals, item.values, strict=True)]
        largest = max(totals, default=0) or 1
        bottoms = [0.0] * len(categories)
        draw = axes.barh if horizontal else axes.bar
        for index, item in enumerate(series):
            values = [float(v or 0) for v in item.values]
            extra: dict[str, Any] = {"left": bottoms} if horizontal else {"bottom": bottoms}
            bars = draw(
                positions, values, 0.7, label=item.label,
                color=PALETTE[index % len(PALETTE)], hatch=HATCHES[index % len(HATCHES)],
                edgecolor="#1f2937", linewidth=0.6, **extra,
            )  # fmt: skip
            labels = [_number(v) if v and v / largest >= 0.06 else "" for v in values]
            axes.bar_label(
                bars, labels=labels, label_type="center", fontsize=8,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "#ffffff", "edgecolor": "none"},
            )  # fmt: skip
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        for position, total in zip(positions, totals, strict=True):
            xy = (total, position) if horizontal else (position, total)
            offset = (4, 0) if horizontal else (0, 4)
            axes.annotate(
                _number(total), xy, textcoords="offset points", xytext=offset, fontsize=8,
                fontweight="bold", ha="left" if horizontal else "center",
                va="center" if horizontal else "bottom",
            )  # fmt: skip
        if horizontal:
            axes.set_yticks(positions, list(categories))
            axes.invert_yaxis()
            axes.set_xlabel(value_label)
            axes.set_xlim(0, largest * 1.12)
        else:
            axes.set_xticks(positions, list(categories))
            axes.set_ylabel(value_label)
            axes.set_ylim(0, largest * 1.15)
        _whole_number_ticks(axes, series, horizontal=horizontal)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            # Above the bars: below them it would cover the axis label.
            axes.legend(
                frameon=False, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                ncols=min(4, len(series)),
            )  # fmt: skip
        return _svg_from(figure, chart_id=chart_id, title=title, description=description)
