"""The Markdown sanitiser."""

from __future__ import annotations

import pytest

from coordination.core.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<svg onload="alert(1)"></svg>',
    "<iframe src='https://evil.example'></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    '<form action="https://evil.example"><input name=x></form>',
    '<p onclick="alert(1)">hi</p>',
    "<<script>script>alert(1)<</script>/script>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_known_xss_payloads_are_neutralised(payload):
    html = str(render_markdown(payload)).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "vbscript:" not in html
    assert "data:" not in html
    assert " on" not in html.replace(" one", "")  # no event-handler attributes
    assert "<iframe" not in html
    assert "<form" not in html
    assert "style=" not in html


def test_tables_footnotes_and_links_render():
    html = str(
        render_markdown(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nSee[^1] [site](https://example.org)\n\n[^1]: n"
        )
    )
    assert "<table>" in html
    assert 'class="footnote"' in html
    assert 'rel="noopener noreferrer"' in html
    assert 'href="https://example.org"' in html


def test_a_table_scrolls_in_its_own_box_and_a_text_cannot_forge_one():
    html = str(render_markdown("| a | b |\n|---|---|\n| 1 | 2 |"))
    assert html.startswith('<div class="table-wrap" tabindex="0"><table>')
    assert html.endswith("</table></div>")
    forged = str(render_markdown('<div class="table-wrap" tabindex="0" onfocus="x()">y</div>'))
    assert "table-wrap" not in forged
    assert "tabindex" not in forged


def test_empty_text_renders_nothing():
    assert str(render_markdown("")) == ""
    assert str(render_markdown(None)) == ""


def test_table_alignment_survives_as_an_attribute():
    html = str(render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |"))
    assert '<td align="right">2</td>' in html
    assert "style=" not in html


def test_headings_move_down_under_a_page_title():
    html = str(render_markdown("# Title\n\n## Part\n\n###### Deep", base_level=2))
    assert "<h1>" not in html
    assert "<h2>Title</h2>" in html
    assert "<h3>Part</h3>" in html
    assert "<h6>Deep</h6>" in html
    assert "<h1>Title</h1>" in str(render_markdown("# Title"))


def test_only_footnote_ids_and_classes_are_kept():
    html = str(render_markdown('<div class="error-summary" id="main">x</div>\n\nA[^1]\n\n[^1]: b'))
    assert "error-summary" not in html
    assert 'id="main"' not in html
    assert 'id="fn:1"' in html
    assert 'class="footnote-ref"' in html
