"""Fixtures of the meetings tests: the standard world, a fixed clock, helpers for series."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from coordination.db import db
from coordination.meetings import services
from tests import factories

#: A fixed "now" for service tests: Monday 1 June 2026, 12:00 in Brussels.
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
TODAY = date(2026, 6, 1)


@pytest.fixture
def world(app):
    objects = factories.world()
    db.session.commit()
    return objects


@pytest.fixture
def make_series(world):
    """Create a series with the bureau's defaults (second Tuesday, 10:00-12:30)."""

    def make(**overrides):
        arguments = {
            "title": "Bureau — monthly meeting",
            "rrule": "FREQ=MONTHLY;BYDAY=2TU",
            "starts_on": date(2026, 1, 1),
            "start_time": time(10, 0),
            "duration_minutes": 150,
            "place": "FPS Justice, Brussels",
            "actor": world["secretariat"],
            "today": TODAY,
            "notify_members": False,
        }
        arguments.update(overrides)
        forum = arguments.pop("forum", world["bureau"])
        series = services.create_series(forum, **arguments)
        db.session.commit()
        return series

    return make
