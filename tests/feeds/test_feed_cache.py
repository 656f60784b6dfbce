"""Feeds answered from the cache (core.cache): never stale after a write, never another's.

Every write below is committed, as a request would: the data versions change and the next
request misses the cache. Before it, the same feed is fetched twice, the second time answered
from the cache (304, one statement), so that a stale cached answer would show.
"""

from __future__ import annotations

import pytest

from coordination.core.texts import Texts
from coordination.db import db
from coordination.feeds.services import revoke_feed_token
from coordination.meetings.models import MeetingStatus
from tests import factories
from tests.feeds.conftest import issue
from tests.feeds.test_feeds import fetch


def rename_meeting(world, meetings):
    meetings["bureau"].title = Texts.same("Renamed bureau")
    return b"Renamed bureau", True


def add_agenda_item(world, meetings):
    factories.agenda_item(meetings["bureau"], "Freshly added item")
    return b"Freshly added item", True


def cancel_meeting(world, meetings):
    meetings["bureau"].status = MeetingStatus.CANCELLED
    meetings["bureau"].cancellation_reason = "Nobody could come."
    return b"Nobody could come.", True


def join_the_platform(world, meetings):
    factories.membership(world["platform"], world["bureau_only"])
    return b"Spring platform", True


def speak_french(world, meetings):
    world["rep_bureau"].locale = "fr"
    return None, True


def rename_forum(world, meetings):
    # The forum feed's calendar is named after the forum (the personal feed's events show
    # its short name, which stays): the ETag changes for both.
    world["bureau"].name_en = "Operational bureau renamed"
    return b"Operational bureau renamed", True


def revoke(world, meetings):
    revoke_feed_token(world["rep_bureau"], actor=None)
    return None, False


def deactivate(world, meetings):
    world["rep_bureau"].active = False
    return None, False


WRITES = [
    rename_meeting, add_agenda_item, cancel_meeting, join_the_platform, speak_french,
    rename_forum, revoke, deactivate,
]  # fmt: skip


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.__name__)
@pytest.mark.parametrize("forum", [None, "bureau"])
def test_after_any_write_the_next_feed_shows_it(client, world, meetings, write, forum):
    token = issue(world["rep_bureau"])
    first = fetch(client, token, forum)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert fetch(client, token, forum, If_None_Match=etag).status_code == 304

    expected, still_open = write(world, meetings)
    db.session.commit()

    after = fetch(client, token, forum, If_None_Match=etag)
    if not still_open:
        assert after.status_code == 404
        return
    if forum == "bureau" and write is join_the_platform:
        # The bureau's feed does not show the platform; the personal feed does.
        return
    if forum is None and write is speak_french:
        expected = "mes réunions".encode()
    if forum == "bureau" and write is speak_french:
        expected = "Coordination traite des êtres humains".encode()
    if forum is None and write is rename_forum:
        return  # the new ETag (above) is all that changes
    assert after.status_code == 200, write.__name__
    assert after.headers["ETag"] != etag
    if expected is not None:
        assert expected in after.data
    else:
        assert after.data != first.data


def test_two_readers_never_share_a_cached_feed(client, world, meetings):
    tokens = {role: issue(world[role]) for role in ("rep_bureau", "rep_platform")}
    bodies = {role: fetch(client, token).data for role, token in tokens.items()}
    again = {role: fetch(client, token).data for role, token in tokens.items()}
    assert again == bodies
    assert b"Monthly bureau" in bodies["rep_bureau"]
    assert b"Monthly bureau" not in bodies["rep_platform"]
    assert b"Spring platform" in bodies["rep_platform"]
    assert b"Spring platform" not in bodies["rep_bureau"]
    # The confidential place: only the bureau's members.
    assert b"Shelter" in bodies["rep_bureau"]
    assert b"Shelter" not in bodies["rep_platform"]
    # Forum feeds of a forum one never sat in stay 404, cached or not.
    for _ in range(2):
        assert fetch(client, tokens["rep_platform"], "bureau").status_code == 404


def test_a_full_feed_from_the_cache_reads_only_the_versions(client, world, meetings, count_queries):
    token = issue(world["rep_both"])
    first = fetch(client, token)
    with count_queries() as again:
        second = fetch(client, token)
    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]
    assert again.count == 1, again.statements
