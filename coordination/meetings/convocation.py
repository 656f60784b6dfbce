"""The convocation of a meeting: forum, date, time, place, the agenda as a timetable and the
documents, in the reader's language; a PDF anyone who sees the meeting downloads, and the HTML
of the e-mail that finalises the agenda (with the recipient's own reply link).

Both travel by e-mail: a confidential place is never in them ("communicated separately"), nor
the online meeting link (the meeting page gives both to those who may see them).
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from coordination.core.documents import document_css, meeting_file_name, render_pdf
from coordination.core.urls import absolute_url
from coordination.meetings.links import meeting_url
from coordination.meetings.models import Document, Meeting
from coordination.meetings.replies import reply_link
from coordination.meetings.timetable import timetable
from coordination.users.models import User


def convocation_context(meeting: Meeting, *, reply_link: str | None = None) -> dict[str, Any]:
    """What the convocation shows; ``reply_link``: the recipient's own (e-mail only)."""
    items = sorted(meeting.agenda_items, key=lambda item: (item.position, item.id))
    documents = sorted(meeting.documents, key=lambda d: (d.uploaded_at, d.id))
    by_item: dict[int | None, list[Document]] = {}
    for document in documents:
        by_item.setdefault(document.agenda_item_id, []).append(document)
    return {
        "meeting": meeting,
        "items": items,
        "times": timetable(meeting, items),
        "item_documents": by_item,
        "meeting_documents": by_item.get(None, []),
        "place": None if meeting.place_confidential else meeting.place,
        "page_link": meeting_url(meeting, absolute=True),
        "pdf_link": convocation_url(meeting),
        "reply_link": reply_link,
    }


def convocation_url(meeting: Meeting) -> str:
    """The absolute address of the convocation's PDF (for an e-mail)."""
    return absolute_url("meetings.convocation", meeting_id=meeting.id)


def render_convocation(meeting: Meeting, *, reply_link: str | None = None) -> str:
    """The convocation as one self-contained HTML document, in the current language."""
    return render_template(
        "meetings/convocation.html",
        css=document_css(),
        **convocation_context(meeting, reply_link=reply_link),
    )


def convocation_for(meeting: Meeting, person: User) -> str:
    """The convocation ``person`` receives by e-mail: with their own reply link."""
    return render_convocation(meeting, reply_link=reply_link(meeting, person))


def convocation_pdf(meeting: Meeting) -> bytes:
    return render_pdf(render_convocation(meeting))


def download_name(meeting: Meeting) -> str:
    """e.g. ``convocation-bureau-2026-12-08.pdf``."""
    return meeting_file_name("convocation", meeting.forum.code, meeting.local_date, "pdf")
