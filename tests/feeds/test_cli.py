"""``flask --app coordination feeds url EMAIL``."""

from __future__ import annotations

import pytest

from coordination.db import db
from coordination.feeds.services import get_feed_token, hash_token
from coordination.users.services import deactivate_user
from tests import factories


@pytest.fixture
def user(app):
    obj = factories.user(email="rep@example.org")
    db.session.commit()
    return obj


def test_feeds_url_prints_a_working_address(runner, client, user):
    result = runner.invoke(args=["feeds", "url", "REP@example.org"])
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith("http://localhost/feeds/")
    assert url.endswith(".ics")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    db.session.expire_all()
    assert get_feed_token(user).token_hash == hash_token(token)
    assert client.get(url.removeprefix("http://localhost")).status_code == 200


def test_feeds_url_replaces_the_previous_address(runner, client, user):
    first = runner.invoke(args=["feeds", "url", "rep@example.org"]).output.strip()
    second = runner.invoke(args=["feeds", "url", "rep@example.org"]).output.strip()
    assert first != second
    assert client.get(first.removeprefix("http://localhost")).status_code == 404
    assert client.get(second.removeprefix("http://localhost")).status_code == 200


def test_feeds_url_help_says_the_address_is_replaced(runner):
    result = runner.invoke(args=["feeds", "url", "--help"])
    assert "creates a new one" in result.output


@pytest.mark.parametrize(
    ("email", "message"),
    [("ghost@example.org", "no account with e-mail"), ("rep@example.org", "is deactivated")],
)
def test_bad_input_is_one_line_and_exit_code_2(runner, user, email, message):
    deactivate_user(user, actor=None)
    db.session.commit()
    result = runner.invoke(args=["feeds", "url", email])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output
