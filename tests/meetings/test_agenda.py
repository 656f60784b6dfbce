"""Agenda: ordered items, moves, removal, finalising; changes to a final agenda are recorded."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from coordination.audit.models import AuditEvent
from coordination.core.errors import ConflictError, NotAllowed, ValidationError
from coordination.core.texts import Texts
from coordination.core.time import brussels_to_utc
from coordination.db import db
from coordination.meetings import services
from coordination.meetings.models import AgendaItemKind
from tests import factories
from tests.meetings.conftest import NOW


@pytest.fixture
def meeting(world):
    obj = factories.meeting(world["bureau"], starts_at=brussels_to_utc(date(2026, 7, 14), time(10)))
    db.session.commit()
    return obj


def add(meeting, title, **fields):
    item = services.add_agenda_item(meeting, title=title, actor=None, **fields)
    db.session.commit()
    return item


def order(meeting) -> list[str]:
    db.session.expire_all()
    return [str(item.title) for item in sorted(meeting.agenda_items, key=lambda i: i.position)]


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_items_are_added_in_order_with_their_details(meeting, world):
    add(
        meeting,
        "Cases and trends",
        kind=AgendaItemKind.DISCUSSION,
        presenting_agency=world["both"],
        duration_minutes=40,
        description="- one\n- two",
    )
    item = add(meeting, "Proposal: measure 3.4", kind=AgendaItemKind.DECISION)
    assert order(meeting) == ["Cases and trends", "Proposal: measure 3.4"]
    assert item.position == 2
    assert item.kind is AgendaItemKind.DECISION
    assert len(events("agenda_item.add")) == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Title is required"),
        ({"title": "x", "duration_minutes": 0}, "between 1 and 600"),
        ({"title": "x", "duration_minutes": 601}, "between 1 and 600"),
    ],
)
def test_bad_items_are_refused(meeting, fields, message):
    with pytest.raises(ValidationError, match=message):
        services.add_agenda_item(meeting, actor=None, **fields)


def test_move_up_and_down_and_remove_renumber(meeting):
    for title in ("A", "B", "C", "D"):
        add(meeting, title)
    items = {str(i.title): i for i in meeting.agenda_items}
    assert services.move_agenda_item(items["C"], offset=-1, actor=None) is True
    db.session.commit()
    assert order(meeting) == ["A", "C", "B", "D"]
    assert services.move_agenda_item(items["A"], offset=-1, actor=None) is False
    assert services.move_agenda_item(items["D"], offset=1, actor=None) is False
    services.move_agenda_item(items["A"], offset=1, actor=None)
    db.session.commit()
    assert order(meeting) == ["C", "A", "B", "D"]
    services.remove_agenda_item(items["A"], expected_version=items["A"].version, actor=None)
    db.session.commit()
    assert order(meeting) == ["C", "B", "D"]
    assert [i.position for i in sorted(meeting.agenda_items, key=lambda i: i.position)] == [1, 2, 3]


def test_update_with_a_stale_version_is_a_conflict(meeting):
    item = add(meeting, "Cases and trends")
    seen = item.version
    services.update_agenda_item(item, expected_version=seen, title="Cases & trends", actor=None)
    db.session.commit()
    with pytest.raises(ConflictError):
        services.update_agenda_item(item, expected_version=seen, title="Overwrite", actor=None)
    db.session.rollback()
    assert order(meeting) == ["Cases & trends"]


def test_finalise_needs_items_and_happens_once(meeting):
    with pytest.raises(ValidationError, match="at least one item"):
        services.finalise_agenda(meeting, expected_version=meeting.version, actor=None, now=NOW)
    db.session.rollback()
    add(meeting, "Cases and trends")
    services.finalise_agenda(
        meeting, expected_version=meeting.version, actor=None, now=NOW, notify_members=False
    )
    db.session.commit()
    assert meeting.agenda_final is True
    assert meeting.agenda_finalised_at == NOW
    with pytest.raises(NotAllowed, match="already final"):
        services.finalise_agenda(meeting, expected_version=meeting.version, actor=None, now=NOW)


def test_every_change_to_a_final_agenda_is_recorded_with_what_changed(meeting, world):
    first = add(meeting, "Cases and trends")
    add(meeting, "Varia")
    services.finalise_agenda(
        meeting, expected_version=meeting.version, actor=None, now=NOW, notify_members=False
    )
    db.session.commit()
    assert events("agenda.changed_after_final") == []

    actor = world["secretariat"]
    services.update_agenda_item(
        first, expected_version=first.version, title="Cases and trends (FEDPOL)",
        duration_minutes=30, actor=actor,
    )  # fmt: skip
    new = services.add_agenda_item(meeting, title="ECOSOC results 2024", actor=actor)
    services.move_agenda_item(new, offset=-1, actor=actor)
    services.remove_agenda_item(first, expected_version=first.version, actor=actor)
    db.session.commit()

    recorded = events("agenda.changed_after_final")
    assert [e.changes["operation"] for e in recorded] == ["update", "add", "move", "remove"]
    assert all(e.object_type == "meetings" and e.object_id == meeting.id for e in recorded)
    assert all(e.actor_id == actor.id for e in recorded)
    for language in ("nl", "fr", "en"):
        assert recorded[0].changes["changes"][f"title_{language}"] == [
            "Cases and trends",
            "Cases and trends (FEDPOL)",
        ]
    assert recorded[0].changes["changes"]["duration_minutes"] == [None, 30]
    assert recorded[1].changes["title"] == Texts.same("ECOSOC results 2024").as_dict()


def test_a_cancelled_meetings_agenda_is_closed(meeting):
    item = add(meeting, "Cases and trends")
    services.cancel_meeting(
        meeting, expected_version=meeting.version, reason="Strike", actor=None,
        now=NOW, notify_members=False,
    )  # fmt: skip
    db.session.commit()
    with pytest.raises(NotAllowed):
        services.add_agenda_item(meeting, title="Late item", actor=None)
    with pytest.raises(NotAllowed):
        services.move_agenda_item(item, offset=1, actor=None)
    with pytest.raises(NotAllowed):
        services.finalise_agenda(meeting, expected_version=meeting.version, actor=None, now=NOW)


def test_removing_an_item_keeps_its_documents_on_the_meeting(meeting, app):
    import io

    from coordination.meetings.models import Document

    item = add(meeting, "ECOSOC results")
    services.store_document(
        meeting, stream=io.BytesIO(b"%PDF-1.4 results"), filename="results.pdf",
        agenda_item=item, actor=None, upload_dir=app.config["UPLOAD_DIR"], max_bytes=1000,
    )  # fmt: skip
    db.session.commit()
    services.remove_agenda_item(item, expected_version=item.version, actor=None)
    db.session.commit()
    document = db.session.scalar(select(Document))
    assert document.meeting_id == meeting.id
    assert document.agenda_item_id is None


def test_moving_an_agenda_item_does_not_touch_the_meeting_calendar(meeting):
    add(meeting, "A")
    b = add(meeting, "B")
    sequence, version = meeting.sequence, meeting.version
    services.move_agenda_item(b, offset=-1, actor=None)
    db.session.commit()
    assert (meeting.sequence, meeting.version) == (sequence, version)
