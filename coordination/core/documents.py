"""Printable documents (minutes, convocations): one self-contained HTML file, its stylesheet
inlined, and its PDF made by WeasyPrint with a URL fetcher that fetches nothing: a PDF is
never a way to make the server request a URL, whatever ends up in the text."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from flask import Response
from markupsafe import Markup

CSS_FOLDER = Path(__file__).resolve().parent.parent / "static" / "css"


def inline_css(name: str) -> Markup:
    """One of the application's stylesheets, to be inlined in a ``<style>`` element (our own
    file, not input)."""
    return Markup((CSS_FOLDER / name).read_text(encoding="utf-8"))  # noqa: S704 - our file


def document_css() -> Markup:
    """The stylesheet of printable documents (PDF, downloaded HTML, e-mail): the pages' status
    badges, so that a status looks the same on paper, and the print layout."""
    return inline_css("badges.css") + inline_css("document-print.css")


def meeting_file_name(kind: str, forum_code: str, day: date, extension: str) -> str:
    """e.g. ``minutes-bureau-2024-05-14.pdf``: ASCII only, safe in any header."""
    forum = re.sub(r"[^a-z0-9-]+", "-", forum_code.lower()).strip("-") or "forum"
    return f"{kind}-{forum}-{day.isoformat()}.{extension}"


def render_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document (no external resource is fetched)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(CSS_FOLDER), url_fetcher=_offline_fetcher()).write_pdf()


def _offline_fetcher():
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        """Refuses every URL (http, file, data ...): the document needs none."""

        def fetch(self, url, headers=None):
            raise ValueError(f"external resources are not fetched: {url[:80]}")

    return OfflineFetcher()


def attachment(data: bytes, *, filename: str, mimetype: str) -> Response:
    """A document as a download (``filename``: ASCII, safe in a header); no shared cache
    keeps a copy: documents are for a forum's agencies only."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
