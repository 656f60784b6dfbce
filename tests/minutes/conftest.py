"""Fixtures of the minutes tests: the world of tests/factories.py plus a bureau meeting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coordination.db import db
from tests import factories


@pytest.fixture
def world(app):
    objects = factories.world()
    objects["meeting"] = factories.meeting(objects["bureau"], title="Bureau May 2024")
    objects["next_meeting"] = factories.meeting(
        objects["bureau"], objects["meeting"].starts_at + timedelta(days=28), title="Bureau June"
    )
    db.session.commit()
    return objects
