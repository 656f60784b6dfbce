"""The printable document of minutes: a self-contained HTML file and its PDF (WeasyPrint).

Both come from one print template whose only stylesheet is a local file, inlined. WeasyPrint
gets a URL fetcher that fetches nothing: a PDF is never a way to make the server request a URL,
whatever ends up in the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import render_template
from markupsafe import Markup

from coordination.minutes.models import Minutes

PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "minutes-print.css"


def print_css() -> Markup:
    """The print stylesheet, to be inlined in a ``<style>`` element (our own file, not input)."""
    return Markup(PRINT_CSS.read_text(encoding="utf-8"))  # noqa: S704 - a file of the app


def render_document(context: dict[str, object]) -> str:
    """The minutes as one HTML document with its CSS inside (no external resource).

    ``context`` is the reading view's (``minutes``, ``meeting``, ``attendance`` ...).
    """
    return render_template("minutes/print.html", css=print_css(), **context)


def render_pdf(html: str) -> bytes:
    """The PDF of a document made by :func:`render_document`."""
    from weasyprint import HTML

    return HTML(
        string=html,
        base_url=str(PRINT_CSS.parent),
        url_fetcher=_offline_fetcher(),
    ).write_pdf()


def _offline_fetcher():
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        """Refuses every URL (http, file, data ...): the document needs none."""

        def fetch(self, url, headers=None):
            raise ValueError(f"external resources are not fetched: {url[:80]}")

    return OfflineFetcher()


def download_name(minutes: Minutes, extension: str) -> str:
    """e.g. ``minutes-bureau-2024-05-14.pdf`` (ASCII only, safe in any header)."""
    meeting = minutes.meeting
    forum = re.sub(r"[^a-z0-9-]+", "-", meeting.forum.code.lower()).strip("-") or "forum"
    return f"minutes-{forum}-{meeting.local_date.isoformat()}.{extension}"
