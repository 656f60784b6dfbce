"""A forum's standing items: every new meeting finds them on its agenda, the opening ones
first and the closing ones last; items added later go before the closing ones."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from coordination.core.errors import ValidationError
from coordination.core.time import brussels_to_utc
from coordination.db import db
from coordination.meetings import services, standing
from coordination.meetings.models import Meeting, StandingItem
from coordination.minutes.standing_items import put_approval_on_next_agenda
from tests import factories
from tests.meetings.conftest import NOW
from tests.minutes import factories as mf


@pytest.fixture
def bureau_items(world):
    """The bureau opens with the approval of its agenda and closes with any other business."""
    actor = world["secretariat"]
    items = [
        standing.add_standing_item(
            world["bureau"], title="Any other business", duration_minutes=10, closing=True,
            actor=actor,
        ),
        standing.add_standing_item(
            world["bureau"], title="Approval of the agenda", duration_minutes=None, closing=False,
            actor=actor,
        ),
    ]  # fmt: skip
    db.session.commit()
    return items


def titles(meeting: Meeting) -> list[str]:
    db.session.refresh(meeting)
    return [item.title.text_in("en") for item in meeting.agenda_items]


def schedule(world, day: date) -> Meeting:
    return services.schedule_meeting(
        world["bureau"],
        title="Extraordinary bureau",
        starts_at=brussels_to_utc(day, time(10)),
        ends_at=brussels_to_utc(day, time(12)),
        actor=world["secretariat"],
        now=NOW,
        notify_members=False,
    )


def test_a_new_meeting_opens_and_closes_with_the_forums_standing_items(world, bureau_items):
    assert [i.title.text_in("en") for i in standing.standing_items(world["bureau"].id)] == [
        "Approval of the agenda",
        "Any other business",
    ]
    meeting = schedule(world, date(2026, 10, 20))
    assert titles(meeting) == ["Approval of the agenda", "Any other business"]
    assert [item.standing for item in meeting.agenda_items] == ["opening", "closing"]
    assert meeting.agenda_items[1].duration_minutes == 10
    # An item added "at the end" goes before any other business ...
    services.add_agenda_item(meeting, title="Cases and trends", actor=world["secretariat"])
    assert titles(meeting) == ["Approval of the agenda", "Cases and trends", "Any other business"]
    # ... and the approval of the previous minutes after the opening.
    previous = mf.minutes(factories.meeting(world["bureau"], NOW - timedelta(days=30)))
    put_approval_on_next_agenda(previous, world["secretariat"], at=NOW)
    assert titles(meeting)[0] == "Approval of the agenda"
    assert titles(meeting)[1].startswith("Approval of the minutes of the meeting of")
    assert [item.position for item in meeting.agenda_items] == [1, 2, 3, 4]
    # The platform has none: its meetings start empty.
    platform = factories.meeting(world["platform"])
    assert platform.agenda_items == []


def test_a_series_gives_each_new_meeting_the_items(world, bureau_items, make_series):
    series = make_series()
    meetings = db.session.scalars(select(Meeting).where(Meeting.series_id == series.id)).all()
    assert meetings
    for meeting in meetings:
        assert titles(meeting) == ["Approval of the agenda", "Any other business"]


def test_removing_an_item_spares_the_meetings_that_have_it(world, bureau_items):
    meeting = schedule(world, date(2026, 10, 20))
    standing.remove_standing_item(bureau_items[0], actor=world["secretariat"])
    assert titles(meeting) == ["Approval of the agenda", "Any other business"]
    later = schedule(world, date(2026, 11, 17))
    assert titles(later) == ["Approval of the agenda"]


def test_copying_an_agenda_leaves_the_standing_items_to_the_new_meeting(world, bureau_items):
    previous = schedule(world, date(2026, 10, 20))
    services.add_agenda_item(previous, title="Cases and trends", actor=world["secretariat"])
    meeting = schedule(world, date(2026, 11, 17))
    services.copy_previous_agenda(meeting, actor=world["secretariat"])
    assert titles(meeting) == ["Approval of the agenda", "Cases and trends", "Any other business"]


@pytest.mark.parametrize(
    ("title", "duration"), [("", None), ("x" * 256, None), ("AOB", 0), ("AOB", 601)]
)
def test_a_standing_item_needs_a_title_and_a_sensible_duration(world, title, duration):
    with pytest.raises(ValidationError):
        standing.add_standing_item(
            world["bureau"], title=title, duration_minutes=duration, closing=True, actor=None
        )


def test_the_secretariat_keeps_the_list_on_the_forums_page(world, login_as):
    client = login_as(world["secretariat"])
    forum = world["bureau"]
    url = f"/meetings/forums/{forum.id}/standing-items"
    assert "Standing items of the agenda" in client.get(f"/agencies/forums/{forum.id}").text
    assert "new meetings start with an empty agenda" in client.get(url).text
    response = client.post(
        url, data={"title-nl": "Varia", "title-fr": "Divers", "closing": "closing"}
    )
    assert response.status_code == 302
    item = db.session.scalars(select(StandingItem)).one()
    assert (item.title.nl, item.title.fr, item.closing) == ("Varia", "Divers", True)
    refused = client.post(url, data={"title-nl": "", "closing": "closing"})
    assert refused.status_code == 400
    other = standing.add_standing_item(
        world["platform"], title="Divers", duration_minutes=None, closing=True, actor=None
    )
    db.session.commit()
    assert client.post(f"{url}/{other.id}/delete").status_code == 404
    assert client.post(f"{url}/{item.id}/delete").status_code == 303
    assert db.session.scalars(select(StandingItem)).all() == [other]
