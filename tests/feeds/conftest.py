"""Fixtures for the feeds: the world of factories, meetings in and around the window, tokens."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.feeds.services import issue_feed_token
from coordination.meetings.models import MeetingStatus
from tests import factories

SECRET_PLACE = "Shelter, Secret street 1, 2000 Antwerp"
SECRET_LINK = "https://meet.example.org/shelter-room"


def brussels(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), BRUSSELS)


def issue(user) -> str:
    token = issue_feed_token(user, actor=None)
    db.session.commit()
    return token


@pytest.fixture
def world(app):
    objects = factories.world()
    db.session.commit()
    return objects


@pytest.fixture
def meetings(world):
    """Meetings of both forums around today's window (the past 12 months and the future)."""
    today = today_brussels()
    bureau, platform = world["bureau"], world["platform"]
    objects = {
        "bureau": factories.meeting(
            bureau, brussels(today + timedelta(days=20)), title="Monthly bureau"
        ),
        "platform": factories.meeting(
            platform, brussels(today + timedelta(days=40)), title="Spring platform"
        ),
        "confidential": factories.meeting(
            bureau,
            brussels(today + timedelta(days=60)),
            title="Visit to a shelter",
            place=SECRET_PLACE,
            place_confidential=True,
            online_url=SECRET_LINK,
        ),
        "cancelled": factories.meeting(
            bureau,
            brussels(today + timedelta(days=10)),
            title="Extra bureau",
            status=MeetingStatus.CANCELLED,
            cancellation_reason="The room is not available.",
            sequence=1,
        ),
        "recent_past": factories.meeting(
            platform, brussels(today - relativedelta(months=6)), title="Autumn platform"
        ),
        # Held more than a year ago: it stays (the calendar keeps its history).
        "held_long_ago": factories.meeting(
            bureau, brussels(today - relativedelta(months=13)), title="Ancient bureau"
        ),
        # Cancelled more than a year ago: it leaves the feed.
        "too_old": factories.meeting(
            bureau,
            brussels(today - relativedelta(months=13, days=7)),
            title="Ancient extra bureau",
            status=MeetingStatus.CANCELLED,
            cancellation_reason="No quorum.",
        ),
    }
    factories.agenda_item(objects["bureau"], "Cases and trends")
    factories.agenda_item(objects["bureau"], "Labour exploitation, cleaning; sector")
    db.session.commit()
    return objects
