"""Copying the agenda of the forum's previous meeting: the items people wrote, not those about
a measure nor those the minutes put there."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.meetings.models import AgendaItemKind
from tests import factories
from tests.measures import factories as measure_factories


def test_the_previous_agenda_is_copied_without_measures_and_minutes_items(world, client, login_as):
    day = today_brussels() + timedelta(days=20)
    previous = factories.meeting(
        world["bureau"], datetime.combine(day - timedelta(days=28), time(10), BRUSSELS)
    )
    cancelled = factories.meeting(
        world["bureau"], datetime.combine(day - timedelta(days=7), time(10), BRUSSELS)
    )
    cancelled.status, cancelled.cancellation_reason = "cancelled", "Strike"
    factories.agenda_item(cancelled, title="Not this one")
    factories.agenda_item(
        previous, title="Cases and trends", kind=AgendaItemKind.DISCUSSION, duration_minutes=40
    )
    factories.agenda_item(previous, title="Approval of the minutes").standing = "approval"
    factories.agenda_item(previous, title="Any other business", duration_minutes=10)
    measure = measure_factories.measure(measure_factories.plan(), world["both"])
    measure_factories.on_agenda(measure, previous)  # goes on an agenda from its measure
    meeting = factories.meeting(world["bureau"], datetime.combine(day, time(10), BRUSSELS))
    factories.agenda_item(meeting, title="Welcome")
    db.session.commit()
    login_as(world["secretariat"])
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Copy the 2 items of the meeting of" in page
    response = client.post(f"/meetings/{meeting.id}/agenda/copy")
    assert response.status_code == 303
    db.session.refresh(meeting)
    titles = [item.title.text_in("en") for item in meeting.agenda_items]
    assert titles == ["Welcome", "Cases and trends", "Any other business"]
    copied = meeting.agenda_items[1]
    assert (copied.kind, copied.duration_minutes) == (AgendaItemKind.DISCUSSION, 40)
    assert [item.position for item in meeting.agenda_items] == [1, 2, 3]


def test_without_an_earlier_agenda_there_is_nothing_to_copy(world, client, login_as):
    day = today_brussels() + timedelta(days=20)
    meeting = factories.meeting(world["bureau"], datetime.combine(day, time(10), BRUSSELS))
    db.session.commit()
    login_as(world["secretariat"])
    assert "Copy the" not in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    response = client.post(f"/meetings/{meeting.id}/agenda/copy", follow_redirects=True)
    assert "The previous meeting of this forum has no agenda to copy." in response.get_data(True)
    assert meeting.agenda_items == []
