"""The printable document of minutes: a self-contained HTML file and its PDF (WeasyPrint).

Both come from one print template whose only stylesheet is a local file, inlined. WeasyPrint
gets a URL fetcher that fetches nothing: a PDF is never a way to make the server request a URL,
whatever ends up in the text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import render_template
from markupsafe import Markup

from coordination.core.texts import reader_language
from coordination.minutes.models import Attendance, Attendee, Minutes, Presence

PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "minutes-print.css"


def print_css() -> Markup:
    """The print stylesheet, to be inlined in a ``<style>`` element (our own file, not input)."""
    return Markup(PRINT_CSS.read_text(encoding="utf-8"))  # noqa: S704 - a file of the app


def reading_context(minutes: Minutes) -> dict[str, Any]:
    """What the reading view and the document show: the text, attendance per presence (with
    the people recorded per agency), the corrections readers were told about, and the current
    revision.

    The corrections and the revision are those of the text the reader is shown: each
    language keeps its own history, and a Dutch change note describes the Dutch text.
    """
    shown = minutes.body.shown_in(reader_language()).language
    revisions = [revision for revision in minutes.revisions if revision.language == shown]
    published = [revision for revision in revisions if revision.published]
    attendance: dict[Presence, list[Attendance]] = {presence: [] for presence in Presence}
    for entry in sorted(minutes.attendance, key=lambda e: e.agency.code):
        attendance[entry.presence].append(entry)
    people: dict[int, list[Attendee]] = {}
    for person in minutes.attendees:
        people.setdefault(person.agency_id, []).append(person)
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "attendance": attendance,
        "people": people,
        "corrections": [r for r in published if r.change_note],
        "current_revision": revisions[-1] if revisions else None,
    }


def render_document(context: dict[str, object]) -> str:
    """The minutes as one HTML document with its CSS inside (no external resource).

    ``context`` is the reading view's: :func:`reading_context`.
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
