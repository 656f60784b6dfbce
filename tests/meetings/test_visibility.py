"""Who sees what: per role, per agency membership (history included), confidential places.

A meeting the user may not see is a 404 everywhere (never a 403): its existence is not revealed.
"""

from __future__ import annotations

import io
from datetime import date, time, timedelta

import pytest

from coordination.core.time import brussels_to_utc, today_brussels
from coordination.db import db
from coordination.meetings import services
from tests import factories
from tests.meetings import files

ROLES = ["secretariat", "rep_both", "rep_bureau", "rep_platform", "minister", "rapporteur"]
SEES = {
    "bureau": {"secretariat", "rep_both", "rep_bureau", "minister", "rapporteur"},
    "platform": {"secretariat", "rep_both", "rep_platform", "minister", "rapporteur"},
}
SHELTER = "Shelter, Secret Street 1"


def at(day: date, hour: int = 10):
    return brussels_to_utc(day, time(hour))


@pytest.fixture
def soon():
    return today_brussels() + timedelta(days=10)


@pytest.fixture
def meetings(app, world, soon):
    bureau = factories.meeting(world["bureau"], starts_at=at(soon), title="Bureau meeting")
    platform = factories.meeting(
        world["platform"], starts_at=at(soon, 14), title="Platform meeting"
    )
    document = services.store_document(
        bureau, stream=io.BytesIO(files.PDF), filename="bureau-notes.pdf",
        actor=None, upload_dir=app.config["UPLOAD_DIR"], max_bytes=10_000,
    )  # fmt: skip
    db.session.commit()
    return {"bureau": bureau, "platform": platform, "document": document}


@pytest.mark.parametrize("role", ROLES)
def test_meeting_page_per_role(client, login_as, world, meetings, role):
    login_as(world[role])
    for forum in ("bureau", "platform"):
        response = client.get(f"/meetings/{meetings[forum].id}")
        expected = 200 if role in SEES[forum] else 404
        assert response.status_code == expected, (role, forum)
        if expected == 404:
            assert str(meetings[forum].title).encode() not in response.data


@pytest.mark.parametrize("role", ROLES)
def test_document_download_per_role(client, login_as, world, meetings, role):
    login_as(world[role])
    with client.get(f"/meetings/documents/{meetings['document'].id}") as response:
        assert response.status_code == (200 if role in SEES["bureau"] else 404)
        assert (response.data == files.PDF) is (role in SEES["bureau"])


@pytest.mark.parametrize("role", ROLES)
def test_lists_calendar_and_home_show_only_visible_meetings(client, login_as, world, meetings,
                                                            soon, role):  # fmt: skip
    login_as(world[role])
    pages = [
        client.get("/meetings/?forum=bureau").data + client.get("/meetings/?forum=platform").data,
        client.get(f"/meetings/calendar?year={soon.year}&month={soon.month}").data,
        client.get("/").data,
    ]
    for page in pages:
        assert (b"Bureau meeting" in page) is (role in SEES["bureau"]), role
        assert (b"Platform meeting" in page) is (role in SEES["platform"]), role


def test_anonymous_users_are_sent_to_login(client, meetings):
    for url in ("/meetings/", f"/meetings/{meetings['bureau'].id}", "/meetings/calendar",
                f"/meetings/documents/{meetings['document'].id}"):  # fmt: skip
        with client.get(url) as response:
            assert response.status_code == 302
            assert "/login" in response.headers["Location"]


def test_an_agency_that_joined_later_sees_meetings_from_its_first_day(client, login_as, world):
    late = factories.agency("LATE")
    factories.membership(world["bureau"], late, since=date(2026, 3, 1))
    rep = factories.user(agency_=late, email="late@example.org")
    before = factories.meeting(
        world["bureau"], starts_at=at(date(2026, 2, 10)), title="Before joining"
    )
    after = factories.meeting(
        world["bureau"], starts_at=at(date(2026, 3, 10)), title="After joining"
    )
    first_day = factories.meeting(world["bureau"], starts_at=at(date(2026, 3, 1)), title="Day one")
    db.session.commit()
    login_as(rep)

    assert client.get(f"/meetings/{before.id}").status_code == 404
    assert client.get(f"/meetings/{after.id}").status_code == 200
    assert client.get(f"/meetings/{first_day.id}").status_code == 200
    listing = client.get("/meetings/?forum=bureau&when=past").data
    assert b"After joining" in listing
    assert b"Day one" in listing
    assert b"Before joining" not in listing
    assert b"Before joining" not in client.get("/meetings/calendar?year=2026&month=2").data
    assert b"After joining" in client.get("/meetings/calendar?year=2026&month=3").data


def test_an_agency_that_left_keeps_seeing_its_past_meetings_only(client, login_as, world):
    left = factories.agency("LEFT")
    factories.membership(world["bureau"], left, since=date(2020, 1, 1), until=date(2026, 2, 28))
    rep = factories.user(agency_=left)
    during = factories.meeting(world["bureau"], starts_at=at(date(2026, 2, 10)), title="During")
    later = factories.meeting(world["bureau"], starts_at=at(date(2026, 3, 10)), title="Later")
    db.session.commit()
    login_as(rep)
    assert client.get(f"/meetings/{during.id}").status_code == 200
    assert client.get(f"/meetings/{later.id}").status_code == 404


@pytest.mark.parametrize(
    ("role", "sees_place"),
    [
        ("secretariat", True),
        ("rep_both", True),
        ("rep_bureau", True),
        ("minister", False),  # reads both forums, but does not sit in the bureau
        ("rapporteur", False),  # an observer, not a full member
    ],
)
def test_a_confidential_place_is_shown_to_forum_members_only(client, login_as, world, soon,
                                                             role, sees_place):  # fmt: skip
    meeting = factories.meeting(
        world["bureau"], starts_at=at(soon), title="At the shelter", place=SHELTER,
        place_confidential=True, online_url="https://meet.example.org/secret-room",
    )  # fmt: skip
    db.session.commit()
    login_as(world[role])
    for url in (f"/meetings/{meeting.id}", "/meetings/?forum=bureau"):
        page = client.get(url).data.decode()
        assert "At the shelter" in page
        assert (SHELTER in page) is sees_place, (role, url)
        if url.endswith(str(meeting.id)):
            assert ("secret-room" in page) is sees_place, role
        assert ("Shared with forum members only" in page) is not sees_place, (role, url)
