"""Data versions and the cache keyed on them (core.versions, core.cache)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from coordination import import_models
from coordination.core import cache as cache_module
from coordination.core.cache import cached, the_cache
from coordination.core.time import utcnow
from coordination.core.versions import (
    CALENDAR,
    PLAN,
    SCOPES,
    TABLE_SCOPES,
    DataVersion,
    current_versions,
)
from coordination.db import db
from coordination.feeds.models import FeedToken
from coordination.feeds.services import issue_feed_token
from coordination.meetings.models import Meeting
from coordination.users.models import User
from tests import factories
from tests.measures import factories as measure_factories


@pytest.fixture
def world(app):
    return factories.world()


@pytest.fixture
def new_measure(world):
    plan = measure_factories.plan()

    def make():
        return measure_factories.measure(plan, world["both"])

    return make


def tokens() -> dict[str, str]:
    return dict(db.session.execute(select(DataVersion.scope, DataVersion.token)).all())


def test_every_table_says_which_scopes_its_writes_change():
    import_models()
    assert set(db.metadata.tables) - set(TABLE_SCOPES) == set()
    assert set(TABLE_SCOPES) - set(db.metadata.tables) == set()


def test_each_scope_has_a_token(app):
    assert set(tokens()) == set(SCOPES)
    assert len(set(tokens().values())) == len(SCOPES)


def changed_scopes(before: dict[str, str]) -> set[str]:
    after = tokens()
    return {scope for scope in SCOPES if after[scope] != before[scope]}


def test_a_committed_write_changes_the_tokens_of_its_scopes_only(app, world, new_measure):
    db.session.commit()
    before = tokens()
    meeting = factories.meeting(world["bureau"])
    db.session.commit()
    assert changed_scopes(before) == {CALENDAR}

    before = tokens()
    new_measure()
    db.session.commit()
    assert changed_scopes(before) == {PLAN}

    before = tokens()
    meeting.title = meeting.title  # no change: nothing to tell
    db.session.commit()
    assert changed_scopes(before) == set()

    before = tokens()
    world["rep_both"].locale = "fr"
    db.session.commit()
    assert changed_scopes(before) == {"access"}

    before = tokens()
    world["both"].name_en = "Both, renamed"
    db.session.commit()
    assert changed_scopes(before) == set(SCOPES)


def test_bookkeeping_changes_no_token(app, world):
    issue_feed_token(world["rep_both"], actor=None)
    db.session.commit()
    before = tokens()
    for row in db.session.scalars(select(User)):
        row.last_login_at = utcnow()
    feed_token = db.session.scalars(select(FeedToken)).one()
    feed_token.last_used_at = utcnow()
    db.session.commit()
    assert changed_scopes(before) == set()


def test_a_bulk_statement_changes_the_tokens_of_its_table(app, world):
    factories.meeting(world["bureau"])
    db.session.commit()
    before = tokens()
    db.session.execute(update(Meeting).values(online_url="https://meet.example.org/x"))
    db.session.commit()
    assert changed_scopes(before) == {CALENDAR}


def test_a_rollback_changes_nothing_and_forgets_its_writes(app, world):
    db.session.commit()
    before = tokens()
    factories.meeting(world["bureau"])
    assert current_versions() is None  # writes not committed: no cache may answer
    db.session.rollback()
    assert current_versions() is not None
    assert changed_scopes(before) == set()


def test_the_cache_answers_until_a_write_of_its_scope_commits(app, world, new_measure):
    db.session.commit()
    computed: list[int] = []

    def compute() -> int:
        computed.append(1)
        return len(computed)

    assert cached("test", ["a"], compute, scopes=[CALENDAR]) == 1
    assert cached("test", ["a"], compute, scopes=[CALENDAR]) == 1
    assert cached("test", ["b"], compute, scopes=[CALENDAR]) == 2  # other key parts
    new_measure()
    db.session.commit()
    assert cached("test", ["a"], compute, scopes=[CALENDAR]) == 1  # the plan is not its scope
    factories.meeting(world["bureau"])
    assert cached("test", ["a"], compute, scopes=[CALENDAR]) == 3  # pending: computed again
    db.session.commit()
    assert cached("test", ["a"], compute, scopes=[CALENDAR]) == 4
    assert cached("test", ["a"], compute, scopes=[CALENDAR]) == 4


def test_a_failing_cache_computes_instead(app, world, monkeypatch, caplog):
    db.session.commit()

    class Broken:
        def get(self, key):
            raise ConnectionError("no cache")

        def set(self, key, value):
            raise ConnectionError("no cache")

    monkeypatch.setattr(cache_module, "the_cache", lambda: Broken())
    assert cached("test", [], lambda: "fresh") == "fresh"
    assert "cache read failed" in caplog.text
    assert isinstance(the_cache(), object)


@pytest.mark.commits
def test_tokens_are_replaced_for_other_connections_to_see(app, world):
    db.session.commit()
    before = tokens()
    factories.meeting(world["bureau"])
    db.session.commit()
    with db.engine.connect() as other:
        seen = dict(other.execute(select(DataVersion.scope, DataVersion.token)).all())
    assert seen[CALENDAR] != before[CALENDAR]
    assert seen[PLAN] == before[PLAN]


def test_another_version_of_the_code_finds_nothing_cached(app, world, monkeypatch):
    """A deployment (new code, a migration that moved data) starts with an empty cache."""
    db.session.commit()
    assert cached("test", [], lambda: "computed by the old code") == "computed by the old code"
    assert cached("test", [], lambda: "again") == "computed by the old code"
    monkeypatch.setattr(cache_module, "code_version", lambda: "a deployment later")
    assert cached("test", [], lambda: "computed by the new code") == "computed by the new code"


def test_logging_in_changes_no_token(app, world, client):
    """A login writes when it happened, a session, a device: bookkeeping. Were it to replace
    the access token, every login would empty every cache."""
    db.session.commit()
    before = tokens()
    response = client.post(
        "/login", data={"email": world["rep_both"].email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, response.data
    db.session.refresh(world["rep_both"])
    assert world["rep_both"].last_login_at is not None
    assert changed_scopes(before) == set()
