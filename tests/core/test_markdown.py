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


def test_empty_text_renders_nothing():
    assert str(render_markdown("")) == ""
    assert str(render_markdown(None)) == ""
