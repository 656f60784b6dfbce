"""Fixtures of the minutes tests: the world of tests/factories.py plus a bureau meeting."""

from __future__ import annotations

import pytest

from coordination.db import db
from tests import factories


@pytest.fixture
def world(app):
    objects = factories.world()
    objects["meeting"] = factories.meeting(objects["bureau"], title="Bureau May 2024")
    db.session.commit()
    return objects
