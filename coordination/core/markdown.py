"""Markdown to safe HTML: Python-Markdown renders, nh3 (Ammonia) sanitises.

Every Markdown text shown anywhere in the platform goes through :func:`render_markdown`.
The allow-list is explicit so that an upgrade of nh3 never widens what we accept.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown as _markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
        "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "li", "ol", "p", "pre", "s",
        "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "li": {"id"},
    "ol": {"start"},
    "sup": {"id"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
}

#: Only the footnotes' classes: a text must not borrow the site's own classes (an error message,
#: a skip link, a hidden block) to imitate the interface.
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
}

#: Only the footnotes' ids ("fn:1", "fnref:1", "fnref2:1"): any other id could clash with the
#: page's own (the skip link's target, a form field, an error summary) or clobber DOM globals.
FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:[\w-]{1,64}")

#: Only these URL schemes survive; ``javascript:``, ``data:``, ``vbscript:`` and the rest go.
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

MARKDOWN_EXTENSIONS = ["tables", "footnotes", "sane_lists", "fenced_code"]
#: Column alignment as ``align`` (allowed) rather than ``style`` (stripped).
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id" and not FOOTNOTE_ID.fullmatch(value):
        return None
    return value


def sanitize_html(html: str) -> str:
    """Clean untrusted HTML with the platform's allow-list."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
        attribute_filter=_keep_attribute,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


class _ShiftHeadings(Treeprocessor):
    def __init__(self, md: _markdown.Markdown, offset: int) -> None:
        super().__init__(md)
        self.offset = offset

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if re.fullmatch(r"h[1-6]", element.tag):
                element.tag = f"h{min(int(element.tag[1]) + self.offset, 6)}"


class _HeadingLevels(Extension):
    """``# Title`` becomes ``<h2>`` (and so on) where the page already has its ``<h1>``."""

    def __init__(self, offset: int) -> None:
        super().__init__()
        self.offset = offset

    def extendMarkdown(self, md: _markdown.Markdown) -> None:
        md.treeprocessors.register(_ShiftHeadings(md, self.offset), "shift_headings", 5)


def render_markdown(text: str | None, base_level: int = 1) -> Markup:
    """Render Markdown to sanitised HTML, safe to insert in a template.

    ``base_level`` is the HTML level of a Markdown ``#`` heading: 2 inside a page whose
    ``<h1>`` is the page's title (one ``<h1>`` per page).
    """
    if not text:
        return Markup("")
    extensions: list = list(MARKDOWN_EXTENSIONS)
    if base_level > 1:
        extensions.append(_HeadingLevels(min(base_level, 6) - 1))
    html = _markdown.markdown(
        text, extensions=extensions, extension_configs=EXTENSION_CONFIGS, output_format="html"
    )
    return Markup(sanitize_html(html))  # noqa: S704 - sanitised by nh3 on the line above
