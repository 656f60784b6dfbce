"""The demo calendar address (development only)."""

from __future__ import annotations

import sqlalchemy as sa

from coordination.db import db
from coordination.demo import load_demo_data
from coordination.demo.feeds import DEMO_FEED_TOKEN
from coordination.feeds.models import FeedToken
from tests.feeds.parsers import parse_everywhere


def build_module_data() -> dict:
    """The demo data, loaded once for the module (each test rolls back its own changes)."""
    return {"summary": load_demo_data()}


def test_demo_feed_is_loaded_once_and_works(module_data, client):
    second = load_demo_data()
    db.session.commit()
    assert "calendar addresses" not in second.created
    assert db.session.scalar(sa.select(sa.func.count(FeedToken.id))) == 1
    response = client.get(f"/feeds/{DEMO_FEED_TOKEN}.ics")
    assert response.status_code == 200
    parse_everywhere(response.data)
