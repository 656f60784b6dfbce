"""The Markdown sanitiser against known XSS payloads, and a property: whatever the input, no
script, no event handler, no dangerous URL comes out."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordination.core.markdown import ALLOWED_TAGS, render_markdown, sanitize_html
from tests.core.test_markdown import XSS_PAYLOADS as CORE_PAYLOADS

MORE_PAYLOADS = [
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    "[x](<javascript:alert(1)>)",
    "[x](  javascript:alert(1)  )",
    "[link][ref]\n\n[ref]: javascript:alert(1)",
    "[a](vbscript:msgbox(1))",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<object data="javascript:alert(1)"></object>',
    "<embed src=javascript:alert(1)>",
    '<base href="javascript:/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<scr<script>ipt>alert(1)</script>",
    '<a """><img src=x onerror=alert(1)>">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math href="javascript:alert(1)">x</math>',
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    '<td onmouseover="alert(1)">x</td>',
    "<x onclick=alert(1)>x</x>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "Text[^1]\n\n[^1]: <script>alert(1)</script>",
    '<abbr title="x" onclick="alert(1)">x</abbr>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>',
    "<a href='\x01javascript:alert(1)'>x</a>",
    '<form><button formaction="javascript:alert(1)">x</button></form>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<img src="https://tracker.example/pixel.gif">',
    '<div style="position:fixed;top:0;left:0">x</div>',
    '<a href="https://evil.example" target="_blank">x</a>',
]

SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "data"}


class Collector(HTMLParser):
    """Every start tag and attribute of the output, with values unescaped as a browser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def scheme_of(url: str) -> str | None:
    # Browsers ignore ASCII whitespace and control characters inside a scheme.
    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(url)).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else None


def assert_safe(output: str) -> None:
    collector = Collector()
    collector.feed(output)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, (tag, output)
        for name, value in attrs:
            assert not name.startswith("on"), (name, output)
            assert name != "style", output
            if name in URL_ATTRIBUTES and value is not None:
                assert scheme_of(value) in SAFE_SCHEMES | {None}, (value, output)
            if tag == "a" and name == "href":
                rel = dict(attrs).get("rel") or ""
                assert "noopener" in rel, output
                assert "noreferrer" in rel, output
    lowered = output.lower()
    assert "<script" not in lowered
    assert "<style" not in lowered


@pytest.mark.parametrize("payload", CORE_PAYLOADS + MORE_PAYLOADS)
def test_known_payloads_are_neutralised(payload):
    assert_safe(str(render_markdown(payload)))
    assert_safe(sanitize_html(payload))


def test_links_keep_safe_urls_and_get_rel():
    output = str(render_markdown("[site](https://example.org) and <mailto:cu@example.org>"))
    assert 'href="https://example.org"' in output
    assert 'rel="noopener noreferrer"' in output
    assert "mailto:cu@example.org" in output


def test_the_text_cannot_borrow_the_sites_ids_or_classes():
    output = str(
        render_markdown('<p class="flash flash-error" id="main">Your account is locked</p>')
    )
    assert "flash" not in output
    assert 'id="main"' not in output


def test_footnotes_survive():
    output = str(render_markdown("Shelter capacity[^cap].\n\n[^cap]: Figures of March."))
    assert 'id="fnref:cap"' in output
    assert 'class="footnote"' in output
    assert 'href="#fn:cap"' in output


FRAGMENTS = [
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "JaVa\tScRiPt:",
    "data:text/html,", "vbscript:", "<a href=\"", "<a href='", "\"", "'", ">", "<", "=",
    " onload=", " onclick=\"", "<svg", "<iframe", "<style>", "&#106;", "&#x09;", "&colon;",
    "[x](", ")", "](", "![i](", "<", "`", "```", "\n", "\n\n", "|", "---", "[^1]", "[^1]: ",
    "<math>", "<mglyph>", "<noscript>", "<!--", "-->", "<![CDATA[", "]]>", "\\", "&", ";",
    "<details ontoggle=", "<a", " href=", "//evil.example", "<div ", "style=", "<base ",
    "<form action=", "<object data=", "\x00", "\u2028",
]  # fmt: skip

markdown_input = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_input)
def test_no_input_produces_a_script_a_handler_or_a_dangerous_url(text):
    assert_safe(str(render_markdown(text)))
    assert_safe(str(render_markdown(text, base_level=2)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_input)
def test_raw_html_through_the_sanitiser_alone_is_safe(text):
    assert_safe(sanitize_html(text))


def test_a_scheme_spelt_with_white_space_is_no_link():
    """Found by the property above: a tab in "JaVa\\tScRiPt:" came out as spaces in the link."""
    assert "href" not in render_markdown("[x](JaVa\tScRiPt:alert(1))")
    assert 'href="/meetings/1"' in render_markdown("[x](/meetings/1)")
