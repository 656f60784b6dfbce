"""The convocation: the agenda as a timetable with its documents, in the reader's language, as
a PDF from the meeting page and as the HTML of the e-mail that makes the agenda final (with
each person's reply link); never a confidential place, never the online link."""

from __future__ import annotations

import io
from datetime import date, time
from email import message_from_bytes

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from coordination.core.time import brussels_to_utc
from coordination.db import db
from coordination.meetings import services
from coordination.meetings.replies import reply_link
from coordination.notifications.mailer import compose
from coordination.notifications.models import OutboxMessage
from tests import factories
from tests.meetings import files
from tests.meetings.conftest import NOW

SHELTER = "Shelter, Secret Street 1"
DAY = date(2026, 7, 14)


@pytest.fixture
def meeting(world, app):
    """A bureau meeting at a confidential place with an online link, two timed items, a
    document on the second; its agenda not yet final."""
    meeting = services.schedule_meeting(
        world["bureau"],
        title="Bureau — July",
        starts_at=brussels_to_utc(DAY, time(10)),
        ends_at=brussels_to_utc(DAY, time(11)),
        place=SHELTER,
        place_confidential=True,
        online_url="https://meet.example.org/secret-room",
        actor=None,
        now=NOW,
        notify_members=False,
    )
    factories.agenda_item(meeting, title="Cases and trends", duration_minutes=40)
    item = factories.agenda_item(
        meeting, title="ECOSOC inspections", duration_minutes=30, presenting_agency=world["both"]
    )
    services.store_document(
        meeting, stream=io.BytesIO(files.PDF), filename="ecosoc-report.pdf", actor=None,
        upload_dir=app.config["UPLOAD_DIR"], max_bytes=10_000, agenda_item=item,
    )  # fmt: skip
    db.session.commit()
    return meeting


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_lists_the_timetable_and_documents_in_the_readers_language(
    world, meeting, login_as
):
    world["rep_bureau"].locale = "fr"
    db.session.commit()
    response = login_as(world["rep_bureau"]).get(f"/meetings/{meeting.id}/convocation.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="convocation-bureau-2026-07-14.pdf"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    text = pdf_text(response.data)
    assert "Convocation" in text
    assert "mardi 14 juillet 2026" in text
    timetable = ("10:00\u201310:40", "10:40\u201311:10")  # en dashes
    for expected in (*timetable, "Cases and trends", "ecosoc-report.pdf"):
        assert expected in text
    assert "Ordre du jour provisoire" in text  # not final yet
    assert "dépasse" in text  # 70 minutes planned in a one-hour meeting
    assert "Secret Street" not in text
    assert "secret-room" not in text
    assert "Communiqué séparément" in text


def test_the_agenda_final_email_carries_the_convocation_with_each_persons_reply_link(
    world, meeting
):
    world["rep_both"].locale = "nl"
    db.session.commit()
    services.finalise_agenda(meeting, expected_version=meeting.version, actor=None, now=NOW)
    db.session.commit()
    messages = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    dutch = messages["both@example.org"]
    assert "Oproeping: Bureau — July" in dutch.html_text
    assert reply_link(meeting, world["rep_both"]).replace("&", "&amp;") in dutch.html_text
    assert reply_link(meeting, world["rep_bureau"]) not in dutch.html_text
    assert "ecosoc-report.pdf" in dutch.html_text
    pdf_link = f"http://localhost/meetings/{meeting.id}/convocation.pdf"
    assert pdf_link in dutch.html_text
    assert f"De oproeping als pdf:\n{pdf_link}" in dutch.body_text
    for message in messages.values():
        assert "Secret Street" not in message.html_text
        assert "secret-room" not in message.html_text
    # Sent as the text's alternatives: text, then HTML, then the invitation.
    email = compose(
        "unit@example.org", dutch.recipient, dutch.subject, dutch.body_text, "<1@x>",
        calendar=dutch.calendar_text, html=dutch.html_text,
    )  # fmt: skip
    parsed = message_from_bytes(email.as_bytes())
    assert parsed.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in parsed.get_payload()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]


def test_only_those_who_see_the_meeting_get_its_convocation(world, meeting, login_as):
    client = login_as(world["rep_platform"])
    assert client.get(f"/meetings/{meeting.id}/convocation.pdf").status_code == 404
