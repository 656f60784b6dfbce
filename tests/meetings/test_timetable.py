"""The agenda as a timetable: each item's start from the meeting's start and the durations,
on the meeting page, the finalising page and the e-mail; an agenda too long is pointed out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coordination.core.time import BRUSSELS
from coordination.db import db
from coordination.meetings.services import finalise_agenda
from coordination.meetings.timetable import timetable
from coordination.notifications.models import OutboxMessage
from tests import factories

#: Tuesday 8 September 2026, 10:00 in Brussels, for two hours.
START = datetime(2026, 9, 8, 10, 0, tzinfo=BRUSSELS)


@pytest.fixture
def meeting(world):
    meeting = factories.meeting(world["bureau"], START, minutes=120, title="Bureau")
    for title, minutes in (("Welcome", 5), ("Cases", 40), ("Announcement", None), ("NRM", 30)):
        factories.agenda_item(meeting, title, duration_minutes=minutes)
    db.session.commit()
    return meeting


def clock(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(BRUSSELS).strftime("%H:%M")


def test_each_item_starts_when_the_one_before_ends(meeting):
    times = timetable(meeting)
    assert [(clock(s.starts_at), clock(s.ends_at)) for s in times.slots] == [
        ("10:00", "10:05"),
        ("10:05", "10:45"),
        ("10:45", None),  # no duration: it takes no time of its own
        ("10:45", "11:15"),
    ]
    assert clock(times.ends_at) == "11:15"
    assert times.overrun is None


def test_an_agenda_longer_than_the_meeting_is_measured(meeting):
    meeting.ends_at = START + timedelta(minutes=60)
    times = timetable(meeting)
    assert times.overrun == timedelta(minutes=15)
    assert times.overrun_minutes == 15


def test_the_meeting_page_shows_the_times_and_warns_only_the_secretariat(meeting, login_as, world):
    meeting.ends_at = START + timedelta(minutes=60)
    db.session.commit()
    page = login_as(world["secretariat"]).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    agenda = page.split('id="agenda"')[1]
    assert agenda.index(">10:05<") < agenda.index(">10:45<") < agenda.index(">11:15<")
    assert "runs 15 minutes past the end of the meeting (11:00)" in agenda
    member = login_as(world["rep_bureau"]).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert ">10:45<" in member
    assert "past the end of the meeting" not in member
    finalise = login_as(world["secretariat"]).get(f"/meetings/{meeting.id}/agenda/finalise")
    assert "runs 15 minutes past" in finalise.get_data(as_text=True)


def test_the_final_agenda_e_mail_gives_each_item_its_time(meeting, world):
    finalise_agenda(
        meeting,
        expected_version=meeting.version,
        actor=world["secretariat"],
        now=datetime(2026, 9, 1, tzinfo=UTC),
    )
    body = db.session.scalars(select(OutboxMessage.body_text)).first()
    assert "10:00  1. Welcome" in body
    assert "10:45  4. NRM" in body
