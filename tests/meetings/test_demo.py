"""Demo meetings: both series from 2021 to 2026, realistic agendas, the special cases."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from sqlalchemy import select

from coordination.core.time import BRUSSELS
from coordination.db import db
from coordination.demo import load_demo_data
from coordination.meetings.models import AgendaItem, Document, Meeting, MeetingSeries, MeetingStatus
from coordination.meetings.storage import path_for


def build_module_data() -> dict:
    """The demo data, loaded once for the module (each test rolls back its own changes)."""
    return {"summary": load_demo_data()}


def test_demo_meetings_look_like_the_real_world(app, module_data):
    series = {s.forum.code: s for s in db.session.scalars(select(MeetingSeries))}
    assert series["bureau"].rrule == "FREQ=MONTHLY;BYDAY=2TU"
    assert series["platform"].rrule == "FREQ=MONTHLY;BYMONTH=3,10;BYDAY=3TH"
    assert series["bureau"].starts_on == date(2021, 1, 1)
    assert series["bureau"].ends_on == date(2026, 12, 31)

    meetings = list(db.session.scalars(select(Meeting)))
    bureau = [m for m in meetings if m.series_id == series["bureau"].id]
    platform = [m for m in meetings if m.series_id == series["platform"].id]
    assert len(bureau) == 72  # every month of 2021-2026
    assert len(platform) == 12  # March and October of 2021-2026
    assert {m.starts_at.astimezone(BRUSSELS).time() for m in bureau if not m.detached} == {
        time(10, 0)
    }

    cancelled = [m for m in meetings if m.status is MeetingStatus.CANCELLED]
    assert cancelled
    assert all(m.cancellation_reason for m in cancelled)
    moved = [m for m in bureau if m.local_date != m.occurrence_date]
    assert [(m.occurrence_date, m.local_date) for m in moved] == [
        (date(2025, 11, 11), date(2025, 11, 12))
    ]
    assert any(m.status is MeetingStatus.HELD for m in meetings)
    confidential = [m for m in meetings if m.place_confidential]
    assert confidential
    assert all(m.forum.code == "platform" for m in confidential)

    items = list(db.session.scalars(select(AgendaItem)))
    # Both communities read the agenda: every item and meeting is written in Dutch and French.
    assert all(not item.title.missing_official() for item in items)
    assert all(not m.title.missing_official() for m in meetings)
    assert all(not m.place.missing_official() for m in meetings if m.place)
    titles = {item.title.en for item in items}
    assert "Resultaten ECOSOC-inspecties 2024: 240 controles gericht op mensenhandel" in {
        item.title.nl for item in items
    }
    assert "Résultats des inspections ECOSOC 2024\u00a0: 240 contrôles ciblés sur la traite" in {
        item.title.fr for item in items
    }
    assert "ECOSOC inspection results 2024: 240 trafficking-focused inspections" in titles
    assert "Defence information sessions under the 2006 protocol with the Federal Police" in titles
    assert "45-day reflection period: practice of the Immigration Office" in titles
    assert any((title or "").startswith("Proposal: measure 3.4") for title in titles)

    documents = list(db.session.scalars(select(Document)))
    assert len(documents) >= 3
    for document in documents:
        content = path_for(app.config["UPLOAD_DIR"], document.content_hash).read_bytes()
        assert content.startswith(b"%PDF-1.4")
        assert content.rstrip().endswith(b"%%EOF")
        assert document.size_bytes == len(content)
        assert Path(document.filename).suffix == ".pdf"


def test_demo_sends_no_email(module_data):
    from coordination.notifications.models import OutboxMessage

    assert db.session.scalar(select(OutboxMessage)) is None
