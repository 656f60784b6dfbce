"""Server-rendered charts: deterministic, accessible, and inline-safe under the CSP."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from coordination.dashboard.charts import Series, Style, bar_chart, line_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def status_chart(chart_id: str = "status") -> str:
    return str(
        bar_chart(
            chart_id=chart_id,
            title="Measures by status",
            description="Adopted 12, in progress 9, implemented 7",
            categories=["adopted", "in progress", "implemented"],
            series=[Series("measures", [12, 9, 7])],
        )
    )


def test_same_figures_give_the_same_bytes():
    assert status_chart() == status_chart()


def test_no_inline_styles_survive():
    svg = status_chart()
    assert "style=" not in svg
    assert "<style" not in svg
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}style") is None
    assert any(element.get("fill") for element in root.iter())


def test_charts_stay_inline_svg_when_another_library_remaps_the_default_prefix():
    """WeasyPrint remaps ElementTree's default prefix when it writes a PDF (briefing, minutes)."""
    ET.register_namespace("", "")
    svg = status_chart("after-a-pdf")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "ns0:" not in svg


def test_chart_is_an_accessible_image():
    root = ET.fromstring(status_chart())
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "status-title status-desc"
    assert root.find(f"{SVG}title").text == "Measures by status"
    assert "implemented 7" in root.find(f"{SVG}desc").text


def test_values_are_written_on_the_bars_and_text_stays_text():
    svg = status_chart()
    for value in (">12<", ">9<", ">7<", ">adopted<"):
        assert value in svg


def test_ids_are_unique_per_chart_so_two_charts_fit_on_one_page():
    first = ET.fromstring(status_chart("first"))
    second = ET.fromstring(status_chart("second"))
    ids_first = {e.get("id") for e in first.iter() if e.get("id")}
    ids_second = {e.get("id") for e in second.iter() if e.get("id")}
    assert ids_first.isdisjoint(ids_second)
    for element in first.iter():
        clip = element.get("clip-path", "")
        if clip.startswith("url(#"):
            assert clip[5:-1] in ids_first


def test_series_are_told_apart_without_colour():
    svg = str(
        bar_chart(
            chart_id="targets",
            title="Targets and results",
            description="2024: target 100, result 240",
            categories=["2023", "2024"],
            series=[Series("target", [100, 100]), Series("result", [180, 240])],
        )
    )
    assert svg.count("<pattern") >= 1 or "hatch" in svg  # the second series is hatched
    line = str(
        line_chart(
            chart_id="adoption",
            title="Adopted per meeting",
            description="...",
            x_values=["2023-03", "2023-10", "2024-03"],
            series=[Series("adopted", [3, 5, None])],
        )
    )
    assert ">3<" in line
    assert ">5<" in line


def test_stacked_bars_label_segments_and_totals():
    svg = str(
        stacked_bar_chart(
            chart_id="themes",
            title="Measures by theme and status",
            description="Prevention: adopted 3, in progress 5",
            categories=["Prevention", "Protection"],
            series=[Series("Adopted", [3, 0]), Series("In progress", [5, 2])],
        )
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert "style=" not in svg
    for value in (">3<", ">5<", ">8<", ">2<", ">Adopted<", ">In progress<"):
        assert value in svg
    # The second series is hatched: the legend tells series apart without colour.
    assert "<pattern" in svg or "hatch" in svg


def test_the_same_figures_are_drawn_once():
    arguments = {
        "chart_id": "cached",
        "title": "Measures by status",
        "description": "Adopted 1",
        "categories": ["adopted"],
        "series": [Series("measures", [1])],
    }
    assert bar_chart(**arguments) is bar_chart(
        **{**arguments, "series": [Series("measures", (1,))]}
    )
    assert bar_chart(**arguments) is not bar_chart(**{**arguments, "description": "Adopted 2"})


def test_seven_hatched_series_over_thirty_themes_stay_light():
    """Every hatch pattern a chart may use keeps the SVG small enough to inline in a page."""
    statuses = [f"status {index}" for index in range(7)]
    svg = str(
        stacked_bar_chart(
            chart_id="heavy",
            title="Measures by theme and status",
            description="thirty themes, seven statuses",
            categories=[f"theme {index}" for index in range(30)],
            series=[Series(name, [index + 1] * 30) for index, name in enumerate(statuses)],
        )
    )
    patterns = re.findall(r"<pattern.*?</pattern>", svg, re.DOTALL)
    assert len(patterns) == 6  # every series but the first is hatched
    assert max(len(pattern) for pattern in patterns) < 2_000  # not thousands of dots or circles


def test_a_label_in_a_script_the_font_lacks_still_draws():
    """A theme named in runes (hostile input, or a script DejaVu lacks) must not break the page."""
    svg = str(
        stacked_bar_chart(
            chart_id="runes",
            title="Measures by theme",
            description="ᚨᚾᛊᚢᛉ 2",
            categories=["ᚨᚾᛊᚢᛉ"],
            series=[Series("adopted", [2])],
        )
    )
    assert "ᚨᚾᛊᚢᛉ" in svg


def test_a_narrow_chart_names_each_bar_above_it_in_text_a_phone_reads():
    """On a phone the chart's text reads at the size of the page's small text: 11 points or
    more over a 3.2-inch drawing shown 288 px wide or more; names stand on their own lines."""
    svg = str(
        bar_chart(
            chart_id="late-narrow",
            title="Late measures by lead agency",
            description="...",
            categories=["Federal Public Service Employment, Labour and Social Dialogue", "NSSO"],
            series=[Series("late", [4, 2])],
            horizontal=True,
            layout="narrow",
        )
    )
    root = ET.fromstring(svg)
    assert root.get("class") == "chart chart-narrow"
    assert root.get("viewBox").split()[2] == "230.4"  # 3.2 inches
    sizes = [float(t.get("font-size").removesuffix("px")) for t in root.iter(f"{SVG}text")]
    assert sizes
    assert min(sizes) >= 11
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    # A long name wraps on two lines instead of being cut or squeezing the bars.
    assert any(text.startswith("Federal Public Service") for text in texts)
    assert "NSSO" in texts


def test_bars_of_a_status_wear_its_badge_colour():
    from coordination.core.badges import BADGE_COLOURS

    svg = str(
        bar_chart(
            chart_id="by-status",
            title="Measures by status",
            description="...",
            categories=["Adopted", "Rejected"],
            series=[Series("measures", [3, 1])],
            category_styles=[
                Style(BADGE_COLOURS["adopted"], ""),
                Style(BADGE_COLOURS["rejected"], "xx"),
            ],
        )
    )
    strokes = {e.get("stroke") for e in ET.fromstring(svg).iter() if e.get("stroke")}
    assert {BADGE_COLOURS["adopted"], BADGE_COLOURS["rejected"]} <= strokes


def test_the_charts_colours_are_the_badges_colours():
    """One colour per status on the pages, in the PDFs and in the charts."""
    from pathlib import Path

    from coordination.core.badges import BADGE_COLOURS
    from coordination.measures.models import MeasureStatus

    css = (Path(__file__).parents[2] / "coordination/static/css/badges.css").read_text()
    colours: dict[str, str] = {}
    for selectors, colour in re.findall(r"([^{}]+)\{\s*color:\s*(#[0-9a-f]{6});", css):
        for selector in re.findall(r"\.tag-([\w-]+)", selectors):
            colours[selector] = colour
    for name, colour in BADGE_COLOURS.items():
        assert colours[name] == colour, name
    # Every measure status has a colour of its own.
    assert len({colours[status.value] for status in MeasureStatus}) == len(MeasureStatus)
