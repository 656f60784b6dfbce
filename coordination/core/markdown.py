"""Markdown to safe HTML: Python-Markdown renders, nh3 (Ammonia) sanitises.

Every Markdown text shown anywhere in the platform goes through :func:`render_markdown`.
The allow-list is explicit so that an upgrade of nh3 never widens what we accept.
"""

from __future__ import annotations

import markdown as _markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
        "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "li", "ol", "p", "pre", "s",
        "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "id"},
    "abbr": {"title"},
    "div": {"class"},
    "li": {"id"},
    "ol": {"start"},
    "sup": {"id"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
}

#: Only these URL schemes survive; ``javascript:``, ``data:``, ``vbscript:`` and the rest go.
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

MARKDOWN_EXTENSIONS = ["tables", "footnotes", "sane_lists", "fenced_code"]


def sanitize_html(html: str) -> str:
    """Clean untrusted HTML with the platform's allow-list."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str | None) -> Markup:
    """Render Markdown to sanitised HTML, safe to insert in a template."""
    if not text:
        return Markup("")
    html = _markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return Markup(sanitize_html(html))  # noqa: S704 - sanitised by nh3 on the line above
