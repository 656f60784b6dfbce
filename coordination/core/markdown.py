"""Markdown to safe HTML: Python-Markdown renders, nh3 (Ammonia) sanitises.

Every Markdown text shown anywhere in the platform goes through :func:`render_markdown`.
The allow-list is explicit so that an upgrade of nh3 never widens what we accept.

Published minutes must say what was written: no construct may hide the text that follows it.
So raw HTML is read one complete tag at a time: a tag of an allowed element goes on to the
sanitiser, a tag of any other element is removed, and its content shows as text either way.
Whatever else looks like HTML shows as text: comments, processing instructions, CDATA, tags left
unclosed.
"""

from __future__ import annotations

import functools
import html as html_module
import re
import xml.etree.ElementTree as etree

import markdown as _markdown
import nh3
from flask_babel import gettext as _
from markdown import util
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from coordination.core.texts import Texts, reader_language

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


#: One complete start or end tag whose quotes are balanced: Python-Markdown's own tag grammar,
#: without the comments, processing instructions and CDATA sections it also passes on.
HTML_TAG = (
    r"""(</?+[a-zA-Z][^\s"'<>@]*+"""
    r"""(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+"""
    r"""\s*+/?>)"""
)


def _tag_name(tag: str) -> str:
    """The element's name as an HTML parser reads it: up to a space, ``/`` or ``>``, with ASCII
    letters (only those) in lower case."""
    match = re.match(r"</?([^\t\n\f\r />]*)", tag)
    name = match.group(1) if match else ""
    return name.lower() if name.isascii() else name


#: What is left of the paragraph around a raw block tag once the parser has closed it before the
#: ``<div>`` or ``<table>`` (a block cannot sit in a paragraph): empty, it would only add space.
EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
#: What a rendered table starts with: a box that scrolls sideways (see ``_scrollable_tables``).
TABLE_WRAP_START = '<div class="table-wrap" tabindex="0"><table>'


#: A scheme as a reader might see it once white space is taken out ("Java Script:").
_SPACED_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id" and not FOOTNOTE_ID.fullmatch(value):
        return None
    if attribute in URL_ATTRIBUTES and _hides_a_scheme(value):
        return None
    return value


def _hides_a_scheme(url: str) -> bool:
    """Whether the URL, once white space and control characters are taken out, names a scheme
    we do not allow: "JaVa    ScRiPt:" is a harmless relative link to today's browsers, but a
    link that reads as ``javascript:`` has no place in minutes whatever a parser makes of it."""
    squeezed = re.sub(r"[\x00-\x20]", "", html_module.unescape(url)).lower()
    match = _SPACED_SCHEME.match(squeezed)
    return match is not None and match.group(1) not in ALLOWED_URL_SCHEMES


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


class _AllowedTagsOnly(InlineProcessor):
    """A tag of an allowed element goes on to the sanitiser; a tag of any other is removed here.

    The sanitiser would remove that tag too, but only after an HTML parser has read it, and
    ``<script>``, ``<style>``, ``<template>``, ``<textarea>``, ``<svg>``, ``<math>`` and others
    change how the parser reads what follows: as raw text, or as content the sanitiser drops
    whole. Removed before parsing, the tag cannot take the text after it along.
    """

    # InlineProcessor itself changes the signature of Pattern.handleMatch; the stubs say so.
    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[str | None, int | None, int | None]:
        tag = m.group(1)
        # A placeholder inside the tag stands for a code span, a link or an escape processed
        # first: put back as HTML, its quotes and ``>`` would end the tag early, garbling it.
        if util.STX in tag:
            return None, None, None
        if _tag_name(tag) in ALLOWED_TAGS:
            return self.md.htmlStash.store(tag), m.start(0), m.end(0)
        return "", m.start(0), m.end(0)


class _RawHtmlTagByTag(Extension):
    """Raw HTML reaches the sanitiser only as single, complete tags of allowed elements; the rest
    of what looks like HTML (comments, unclosed tags, ...) stays text."""

    def extendMarkdown(self, md: _markdown.Markdown) -> None:
        # A raw HTML block goes on verbatim: an unclosed comment or quote inside it runs past the
        # block, to the end of the document. Its tags now pass one by one through the pattern.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.register(_AllowedTagsOnly(HTML_TAG, md), "html", 90)


def render_markdown(text: Texts | str | None, base_level: int = 1) -> Markup:
    """Render Markdown to sanitised HTML, safe to insert in a template.

    ``base_level`` is the HTML level of a Markdown ``#`` heading: 2 inside a page whose
    ``<h1>`` is the page's title (one ``<h1>`` per page). Texts in several languages render
    in the reader's language, else in another one, marked as such (see ``Texts``).
    """
    if isinstance(text, Texts):
        return _render_texts(text, base_level)
    if not text:
        return Markup("")
    return _rendered(text, base_level)


#: Texts rendered lately, per worker: a page shows the same minutes and agendas to every reader,
#: and rendering is a pure function of the text (2-3 ms for a meeting's agenda).
RENDERED_CACHE_SIZE = 512


@functools.lru_cache(maxsize=RENDERED_CACHE_SIZE)
def _rendered(text: str, base_level: int) -> Markup:
    extensions: list = [*MARKDOWN_EXTENSIONS, _RawHtmlTagByTag()]
    if base_level > 1:
        extensions.append(_HeadingLevels(min(base_level, 6) - 1))
    html = _markdown.markdown(
        text, extensions=extensions, extension_configs=EXTENSION_CONFIGS, output_format="html"
    )
    safe = _scrollable_tables(EMPTY_PARAGRAPH.sub("", sanitize_html(html)))
    # Sanitised by nh3; afterwards only empty paragraphs removed and tables wrapped.
    return Markup(safe)  # noqa: S704


def prepare_markdown() -> None:
    """Load the Markdown extensions and the sanitiser (about 50 ms the first time in a
    process), without keeping anything in the cache of rendered texts: a production worker
    does it when it starts (``core.warmup``), not on its first page."""
    _rendered.__wrapped__("# Warm\n\n*a* | b\n--|--\n1 | 2\n\n[^1]\n\n[^1]: c", 2)


def _scrollable_tables(html: str) -> str:
    """Each table in a box of its own that scrolls sideways on a phone (focusable, so that a
    keyboard scrolls it too), instead of the whole page. Our markup, added after the
    sanitiser: a text cannot write these attributes itself."""
    return html.replace("<table>", TABLE_WRAP_START).replace("</table>", "</table></div>")


def _render_texts(texts: Texts, base_level: int) -> Markup:
    shown = texts.shown_in(reader_language())
    html = render_markdown(shown.text, base_level)
    if not shown.missing or not html:
        return html
    return Markup('<div lang="{}">{}</div><p class="untranslated">({})</p>').format(
        shown.language, html, _("not available in your language")
    )
