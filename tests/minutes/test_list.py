"""The minutes list per forum: publication dates, pagination, bounded statements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coordination.core.time import BRUSSELS
from coordination.db import db
from coordination.minutes.models import MinutesStatus
from tests import factories
from tests.minutes import factories as mf


def _publish_meetings(world, count: int, forum: str = "bureau") -> None:
    start = datetime(2023, 1, 10, 10, 0, tzinfo=BRUSSELS)
    for number in range(count):
        meeting = factories.meeting(
            world[forum], starts_at=start + timedelta(days=30 * number), title=f"M{number:03d}"
        )
        mf.minutes(meeting, status=MinutesStatus.PUBLISHED)
    db.session.commit()


def test_the_list_shows_meeting_and_publication_dates(world, login_as):
    """Both in the one written-out style of every page."""
    _publish_meetings(world, 1)
    page = login_as(world["rep_bureau"]).get("/minutes/?forum=bureau").get_data(as_text=True)
    assert "M000" in page
    assert '<time datetime="2023-01-10">10 January 2023</time>' in page  # meeting date
    assert ">13 June 2024</time>" in page  # publication date (the factory's)


def test_the_list_is_paginated(world, login_as):
    _publish_meetings(world, 23)
    client = login_as(world["rep_bureau"])
    first = client.get("/minutes/?forum=bureau").get_data(as_text=True)
    assert "M022" in first  # newest first
    assert "M000" not in first
    assert "page=2" in first
    second = client.get("/minutes/?forum=bureau&page=2").get_data(as_text=True)
    assert "M000" in second
    assert client.get("/minutes/?forum=bureau&page=abc").status_code == 200


def test_an_unknown_forum_is_404(world, login_as):
    assert login_as(world["rep_bureau"]).get("/minutes/?forum=nope").status_code == 404


def test_other_forums_are_filtered_out(world, login_as):
    _publish_meetings(world, 1, forum="platform")
    page = login_as(world["minister"]).get("/minutes/?forum=bureau").get_data(as_text=True)
    assert "M000" not in page
    page = login_as(world["minister"]).get("/minutes/?forum=platform").get_data(as_text=True)
    assert "M000" in page


def test_bounded_statement_count(world, login_as, count_queries):
    client = login_as(world["rep_bureau"])

    def statements() -> int:
        with count_queries() as counter:
            assert client.get("/minutes/?forum=bureau").status_code == 200
        return counter.count

    _publish_meetings(world, 2)
    few = statements()
    _publish_meetings(world, 15)
    assert statements() == few


def test_the_secretariat_sees_meetings_awaiting_minutes(world, login_as):
    factories.meeting(world["bureau"], title="Bureau without minutes")
    factories.meeting(
        world["bureau"],
        title="Future bureau",
        starts_at=datetime.now(UTC) + timedelta(days=5),
    )
    db.session.commit()
    page = login_as(world["secretariat"]).get("/minutes/").get_data(as_text=True)
    assert "Bureau without minutes" in page
    assert "Future bureau" not in page
    assert "Bureau without minutes" not in login_as(world["rep_bureau"]).get("/minutes/").get_data(
        as_text=True
    )
