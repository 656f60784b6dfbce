"""Server-rendered SVG charts (matplotlib), accessible, printable and CSP-friendly.

Every chart is drawn by matplotlib with text kept as text (``svg.fonttype: none``), a fixed
hash salt and no date metadata, so that the same figures always give the same bytes. The SVG
is then rewritten so that it can be inlined in a page whose Content-Security-Policy forbids
inline styles: matplotlib's ``style="..."`` attributes become SVG presentation attributes and
its ``<style>`` element is dropped. Each chart carries ``role="img"``, a ``<title>`` and a
``<desc>``; the page shows the same figures in a data table next to it.

Colour is never the only signal: bars carry hatch patterns and their value as a label. A bar
that stands for a status is drawn in its badge's colour (a light fill edged and hatched in the
colour, as the badge is a white label written in it), so a chart reads like the lists.

Each chart is drawn in two layouts: wide, beside its table on a screen and in the PDFs, and
narrow, for a phone, where the text keeps the size of the page's small text and each
category's name stands above its bar instead of squeezing the bars.
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
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
from matplotlib.colors import to_hex, to_rgb
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
class Style:
    """How a bar looks: its badge colour and hatch pattern."""

    colour: str
    hatch: str = ""


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]
    #: The series' own look (a status's badge colour); else the palette's next one.
    style: Style | None = None


@dataclass(frozen=True)
class Layout:
    """Where a chart is read: its width and the size of its text."""

    width: float  # inches
    font: float  # points: names, ticks, legend
    value_font: float  # points: the figure written on each bar
    row: float  # inches per category of a horizontal chart
    names_above_bars: bool


#: The page shows the wide drawing where the chart's column is at least 700 px wide (there 10
#: points read at 13.5 px or more, the page's small text) and the narrow one below, up to
#: 416 px wide (11 points read at 13.5 px from a 320 px phone's 288 px column up): app.css.
LAYOUTS = {
    "wide": Layout(width=7.2, font=10.5, value_font=10, row=0.42, names_above_bars=False),
    "narrow": Layout(width=3.2, font=11, value_font=11, row=0.8, names_above_bars=True),
}
#: Characters of a category's name per line above its bar, narrow (two lines at most).
NARROW_NAME_WIDTH = 30


#: Charts kept, by their arguments: a chart depends on nothing else, and drawing one takes
#: matplotlib about a tenth of a second.
CACHE_SIZE = 256

Chart = TypeVar("Chart", bound=Callable[..., Markup])


def _frozen(value: Any) -> Any:
    if isinstance(value, Series):
        return Series(str(value.label), tuple(value.values), value.style)
    if isinstance(value, Style):
        return value
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return str(value) if not isinstance(value, int | float | bool) else value


#: pyplot's state (the current figure, ``rc_context``) belongs to the process: a worker with
#: threads (gunicorn's gthread) draws one chart at a time.
_DRAWING = threading.Lock()


def memoised(chart: Chart) -> Chart:
    """Draw a chart once for the same arguments (keyword arguments only)."""
    cached = lru_cache(maxsize=CACHE_SIZE)(lambda **arguments: chart(**arguments))

    @wraps(chart)
    def wrapper(**arguments: Any) -> Markup:
        frozen = {name: _frozen(value) for name, value in arguments.items()}
        with _DRAWING:
            return cached(**frozen)

    return wrapper  # type: ignore[return-value]


def _svg_from(
    figure: Figure, *, chart_id: str, title: str, description: str, layout: str
) -> Markup:
    buffer = io.StringIO()
    with warnings.catch_warnings():
        # A label in a script the chart font lacks (a name typed in runes, say) is measured
        # with a placeholder glyph; the browser draws the SVG's text with its own fonts.
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    svg = _rewrite(buffer.getvalue(), chart_id=chart_id, title=title, desc=description)
    return Markup(svg.replace('class="chart"', f'class="chart chart-{layout}"', 1))  # noqa: S704 - our own SVG, text escaped by ElementTree


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
    category_styles: Sequence[Style] = (),
    layout: str = "wide",
) -> Markup:
    """A grouped bar chart; each bar has a hatch pattern and its value written on it.

    ``category_styles`` gives each bar of a single series its own look (a status chart's
    bars in their badges' colours)."""
    shape = LAYOUTS[layout]
    horizontal = horizontal or shape.names_above_bars
    with plt.rc_context({**RC, "font.size": shape.font}):
        rows = len(categories) * max(1, len(series))
        height = max(2.6, shape.row * rows + 1.2) if horizontal else 3.4
        figure, axes = plt.subplots(figsize=(shape.width, height), layout="constrained")
        count = max(1, len(series))
        thickness = 0.5 if shape.names_above_bars else 0.8
        width = thickness / count
        positions = range(len(categories))
        for index, item in enumerate(series):
            offsets = [p - thickness / 2 + width * (index + 0.5) for p in positions]
            looks = [_look(item.style, index)] * len(categories)
            if category_styles and len(series) == 1:
                looks = [_look(style, index) for style in category_styles]
            draw = axes.barh if horizontal else axes.bar
            bars = draw(offsets, list(item.values), width * 0.95, label=item.label)
            for bar, look in zip(bars, looks, strict=True):
                bar.set(**look)
            axes.bar_label(
                bars, labels=[_number(v) for v in item.values], padding=2,
                fontsize=shape.value_font,
            )  # fmt: skip
        _name_categories(axes, categories, shape, thickness=thickness, horizontal=horizontal)
        if horizontal:
            axes.set_xlabel(value_label)
            axes.set_xlim(0, _largest(series) * 1.15)
        else:
            axes.set_ylabel(value_label)
        _whole_number_ticks(axes, series, horizontal=horizontal)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            _legend(axes, series, shape)
        return _svg_from(
            figure, chart_id=chart_id, title=title, description=description, layout=layout
        )


def _look(style: Style | None, index: int) -> dict[str, Any]:
    """A badge-coloured bar (a light fill, edged and hatched in the colour), else the
    palette's next colour and hatch."""
    if style is None:
        return {
            "facecolor": PALETTE[index % len(PALETTE)], "hatch": HATCHES[index % len(HATCHES)],
            "edgecolor": "#1f2937", "linewidth": 0.6,
        }  # fmt: skip
    return {
        "facecolor": _tint(style.colour), "hatch": style.hatch, "edgecolor": style.colour,
        "linewidth": 1.0,
    }  # fmt: skip


def _tint(colour: str, strength: float = 0.28) -> str:
    """The colour mixed with white: light enough for the dark figures written on it."""
    red, green, blue = (1 - (1 - channel) * strength for channel in to_rgb(colour))
    return to_hex((red, green, blue))


def _largest(series: Sequence[Series]) -> float:
    return max((float(v) for item in series for v in item.values if v is not None), default=0) or 1


def _name_categories(
    axes, categories: Sequence[str], shape: Layout, *, thickness: float, horizontal: bool
) -> None:
    """Each bar's name: on the axis, or (narrow) on its own lines above the bar."""
    positions = list(range(len(categories)))
    if not horizontal:
        axes.set_xticks(positions, list(categories))
        return
    if not shape.names_above_bars:
        axes.set_yticks(positions, [_shortened(name) for name in categories])
        axes.invert_yaxis()
        return
    axes.set_yticks(positions)
    axes.tick_params(axis="y", left=False, labelleft=False)
    gap = 0.04
    for position, name in zip(positions, categories, strict=True):
        axes.text(
            0, position - thickness / 2 - gap, _wrapped(name), transform=axes.get_yaxis_transform(),
            ha="left", va="bottom", fontsize=shape.font, linespacing=1.1,
        )  # fmt: skip
    # Room above the first bar for its name (the axis runs downwards: the top limit last).
    first_lines = _wrapped(categories[0]).count("\n") + 1 if categories else 1
    name_height = first_lines * shape.font * 1.25 / 72 / shape.row
    axes.set_ylim(len(categories) - 1 + thickness / 2 + 0.15, -thickness / 2 - gap - name_height)


def _shortened(name: str, width: int = 38) -> str:
    """Beside the bars, a name stays on one line; the table next to the chart has it whole."""
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


def _wrapped(name: str) -> str:
    lines = textwrap.wrap(name, NARROW_NAME_WIDTH, max_lines=2, placeholder="…")
    return "\n".join(lines) or name


def _legend(axes, series: Sequence[Series], shape: Layout) -> None:
    """Above the chart (below it would cover the axis label), in as many columns as fit
    the drawing's width: an entry is its label plus the swatch, at about 0.6 em a letter."""
    entry = (max(len(item.label) for item in series) * 0.6 + 3.5) * shape.font
    columns = max(1, min(len(series), int((shape.width * 72 - 12) // entry)))
    # The figure's legend, not the axes': centred over the drawing, not over bars that long
    # names push to the right.
    axes.figure.legend(
        frameon=False, fontsize=shape.font, ncols=columns,
        loc="outside upper left" if shape.names_above_bars else "outside upper center",
    )  # fmt: skip


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
        return _svg_from(
            figure, chart_id=chart_id, title=title, description=description, layout="wide"
        )


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
    layout: str = "wide",
) -> Markup:
    """Bars made of one segment per series, each hatched and labelled with its value.

    A segment too narrow to hold its label stays unlabelled (the data table next to the chart
    has every figure); the total is written at the end of each bar.
    """
    shape = LAYOUTS[layout]
    horizontal = horizontal or shape.names_above_bars
    with plt.rc_context({**RC, "font.size": shape.font}):
        extra_height = 1.6 if not shape.names_above_bars else 1.0 + 0.22 * len(series)
        size = (
            (shape.width, max(2.6, shape.row * 1.2 * len(categories) + extra_height))
            if horizontal
            else (shape.width, 3.6)
        )
        figure, axes = plt.subplots(figsize=size, layout="constrained")
        positions = list(range(len(categories)))
        thickness = 0.5 if shape.names_above_bars else 0.7
        totals = [0.0] * len(categories)
        for item in series:
            totals = [t + float(v or 0) for t, v in zip(totals, item.values, strict=True)]
        largest = max(totals, default=0) or 1
        smallest_labelled = 0.1 if shape.names_above_bars else 0.06
        bottoms = [0.0] * len(categories)
        draw = axes.barh if horizontal else axes.bar
        for index, item in enumerate(series):
            values = [float(v or 0) for v in item.values]
            extra: dict[str, Any] = {"left": bottoms} if horizontal else {"bottom": bottoms}
            bars = draw(positions, values, thickness, label=item.label, **extra)
            for bar in bars:
                bar.set(**_look(item.style, index))
            labels = [_number(v) if v and v / largest >= smallest_labelled else "" for v in values]
            axes.bar_label(
                bars, labels=labels, label_type="center", fontsize=shape.value_font,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "#ffffff", "edgecolor": "none"},
            )  # fmt: skip
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        for position, total in zip(positions, totals, strict=True):
            xy = (total, position) if horizontal else (position, total)
            offset = (4, 0) if horizontal else (0, 4)
            axes.annotate(
                _number(total), xy, textcoords="offset points", xytext=offset,
                fontsize=shape.value_font, fontweight="bold",
                ha="left" if horizontal else "center", va="center" if horizontal else "bottom",
            )  # fmt: skip
        _name_categories(axes, categories, shape, thickness=thickness, horizontal=horizontal)
        if horizontal:
            axes.set_xlabel(value_label)
            axes.set_xlim(0, largest * (1.18 if shape.names_above_bars else 1.12))
        else:
            axes.set_ylabel(value_label)
            axes.set_ylim(0, largest * 1.15)
        _whole_number_ticks(axes, series, horizontal=horizontal)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            _legend(axes, series, shape)
        return _svg_from(
            figure, chart_id=chart_id, title=title, description=description, layout=layout
        )
