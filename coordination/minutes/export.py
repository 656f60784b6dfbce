"""The printable document of minutes: a self-contained HTML file and its PDF
(:mod:`coordination.core.documents`)."""

from __future__ import annotations

from typing import Any

from flask import render_template
from markupsafe import Markup

from coordination.core.documents import document_css, meeting_file_name
from coordination.core.sections import page_sections
from coordination.core.texts import reader_language
from coordination.minutes.models import Attendance, Attendee, Minutes, Presence


def print_css() -> Markup:
    """The print stylesheet, to be inlined in a ``<style>`` element."""
    return document_css()


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
        "sections": page_sections("minutes", minutes),
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


def download_name(minutes: Minutes, extension: str) -> str:
    """e.g. ``minutes-bureau-2024-05-14.pdf``."""
    meeting = minutes.meeting
    return meeting_file_name("minutes", meeting.forum.code, meeting.local_date, extension)
