"""The token feeds over HTTP: contents per role, validators and 304, the 404s, rate limits."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from werkzeug.http import http_date, parse_date

from coordination.agencies.models import ForumMembership
from coordination.core.cache import clear_cache
from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.feeds.calendars import feed_validators
from coordination.feeds.models import FeedToken
from coordination.feeds.queries import window_start
from coordination.feeds.services import get_feed_token, hash_token, new_token, revoke_feed_token
from coordination.meetings.models import Meeting, MeetingStatus
from coordination.users.services import deactivate_user, reactivate_user
from tests import factories
from tests.conftest import make_app
from tests.feeds.conftest import SECRET_LINK, SECRET_PLACE, brussels, issue
from tests.feeds.parsers import parse_everywhere

IN_WINDOW = ["bureau", "platform", "confidential", "cancelled", "recent_past", "held_long_ago"]
BUREAU = ["bureau", "confidential", "cancelled", "held_long_ago"]
PLATFORM = ["platform", "recent_past"]

# role -> (meetings in the personal feed, may see the confidential place)
EXPECTED = {
    "secretariat": (IN_WINDOW, True),
    "rep_both": (IN_WINDOW, True),
    "rep_bureau": (BUREAU, True),
    "rep_platform": (PLATFORM, False),
    "minister": (IN_WINDOW, False),
    "rapporteur": (IN_WINDOW, False),
}


def fetch(client, token, forum=None, method="GET", **headers):
    url = f"/feeds/{token}.ics" if forum is None else f"/feeds/{token}/{forum}.ics"
    return client.open(url, method=method, headers=headers)


def uids(meetings, names):
    return {meetings[name].uid for name in names}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_personal_feed_shows_exactly_what_the_role_may_see(client, world, meetings, role):
    token = issue(world[role])
    response = fetch(client, token)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = {event.uid: event for event in parse_everywhere(response.data)}
    expected, sees_place = EXPECTED[role]
    assert set(events) == uids(meetings, expected)
    assert meetings["too_old"].uid not in events
    body = response.data.decode()
    if "confidential" in expected:
        confidential = events[meetings["confidential"].uid]
        if sees_place:
            assert confidential.location == SECRET_PLACE
            assert SECRET_LINK in confidential.description
        else:
            assert confidential.location is None
            assert "Shelter" not in body
            assert "Secret" not in body
            assert "shelter-room" not in body


def test_event_contents(client, world, meetings):
    token = issue(world["rep_both"])
    events = {e.uid: e for e in parse_everywhere(fetch(client, token).data)}
    bureau = events[meetings["bureau"].uid]
    # Short enough for a phone: the forum's short name, not its full title.
    assert bureau.summary == "Bureau: Monthly bureau"
    assert bureau.status == "CONFIRMED"
    assert bureau.sequence == 0
    assert bureau.categories == ("Bureau",)
    assert bureau.location == "FPS Justice, Boulevard de Waterloo 115, Brussels"
    assert bureau.url == f"http://localhost/meetings/{meetings['bureau'].id}"
    assert bureau.description == (
        "Agenda:\n1. Cases and trends\n2. Labour exploitation, cleaning; sector\n\n"
        f"Meeting page: http://localhost/meetings/{meetings['bureau'].id}"
    )
    assert bureau.start == meetings["bureau"].starts_at
    assert bureau.end == meetings["bureau"].ends_at
    cancelled = events[meetings["cancelled"].uid]
    assert cancelled.status == "CANCELLED"
    assert cancelled.sequence == 1
    assert cancelled.summary == "Cancelled: Bureau: Extra bureau"
    assert cancelled.description.startswith("This meeting is cancelled. The room is not available.")


def test_calendar_level_properties(client, world, meetings):
    data = fetch(client, issue(world["rep_both"])).data
    assert b"\r\nX-WR-CALNAME:Anti-trafficking coordination: my meetings\r\n" in data
    assert b"\r\nNAME:Anti-trafficking coordination: my meetings\r\n" in data
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in data
    # A subscription is not an iTIP message: no METHOD (RFC 5546 would want an ORGANIZER).
    assert b"\r\nMETHOD:" not in data
    assert b"\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Brussels\r\n" in data


def test_rfc_7986_source_colour_and_conference(client, world, meetings):
    token = issue(world["rep_both"])
    data = fetch(client, token).data.replace(b"\r\n ", b"")
    assert f"\r\nSOURCE;VALUE=URI:http://localhost/feeds/{token}.ics\r\n".encode() in data
    assert b"\r\nCOLOR:steelblue\r\n" in data  # the bureau's events
    assert b"\r\nCOLOR:darkred\r\n" in data  # the platform's
    conference = (
        f'CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL="Join online";LANGUAGE=en:{SECRET_LINK}'
    )
    assert f"\r\n{conference}\r\n".encode() in data
    forum_feed = fetch(client, token, "platform").data
    assert b"\r\nCOLOR:darkred\r\n" in forum_feed.split(b"BEGIN:VTIMEZONE")[0]
    # Whoever may not see the confidential place does not get its online room either.
    hidden = fetch(client, issue(world["rep_platform"])).data
    assert b"CONFERENCE" not in hidden


def test_a_client_that_accepts_gzip_gets_the_feed_compressed(client, world, meetings):
    token = issue(world["rep_both"])
    plain = fetch(client, token)
    packed = fetch(client, token, Accept_Encoding="gzip, deflate")
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)
    # Each representation has its own strong validator, and each revalidates.
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = fetch(client, token, Accept_Encoding="gzip", If_None_Match=packed.headers["ETag"])
    assert again.status_code == 304
    assert fetch(client, token, If_None_Match=plain.headers["ETag"]).status_code == 304


def test_the_validators_do_not_move_at_midnight(app, world, meetings):
    """The window starts a day later every day; unless a meeting leaves it, the feed is the
    same, and so are its ETag and Last-Modified."""
    user = world["rep_both"]
    issue(user)
    feed_token = get_feed_token(user)
    today = today_brussels()
    now = datetime.now(UTC)
    first = feed_validators(feed_token, None, window_start(today), now)
    db.session.expire(feed_token)  # as the next request reads it
    tomorrow = feed_validators(
        feed_token, None, window_start(today + timedelta(days=1)), now + timedelta(days=1)
    )
    assert (tomorrow.etag, tomorrow.last_modified) == (first.etag, first.last_modified)
    # The day a cancelled meeting leaves the window, the feed changes.
    gone = meetings["cancelled"].local_date + relativedelta(years=1, days=1)
    later = feed_validators(feed_token, None, window_start(gone), now + timedelta(days=400))
    assert later.etag != first.etag


LONG_AGO = datetime(2020, 1, 6, 9, 30, tzinfo=UTC)


def _calendar_change_forgotten(meeting) -> None:
    """As if the meeting's event had not changed since ``LONG_AGO``."""
    db.session.execute(
        sa.update(Meeting).where(Meeting.id == meeting.id).values(calendar_changed_at=LONG_AGO)
    )
    db.session.expire(meeting)


def _calendar_changed(meeting) -> bool:
    db.session.flush()
    db.session.expire(meeting)
    return meeting.calendar_changed_at.astimezone(UTC) > LONG_AGO


def test_an_event_is_modified_when_what_it_shows_changes_and_only_then(client, world, meetings):
    """LAST-MODIFIED and DTSTAMP follow the event's content: its agenda's headlines included,
    an item's description (not in the feed) or the meeting being held excluded."""
    meeting = meetings["bureau"]
    item = meeting.agenda_items[0]
    steps = [
        (lambda: setattr(meeting, "status", MeetingStatus.HELD), False),
        (lambda: setattr(item, "description", Texts(en="Only on the meeting page")), False),
        (lambda: factories.agenda_item(meeting, "Any other business"), True),
        (lambda: setattr(item, "title", Texts(en="Cases, trends and figures")), True),
        (lambda: setattr(item, "position", 9), True),
        (lambda: db.session.delete(item), True),
        (lambda: setattr(meeting, "place", Texts(en="Egmont Palace")), True),
    ]
    for number, (change, moves) in enumerate(steps):
        _calendar_change_forgotten(meeting)
        change()
        assert _calendar_changed(meeting) is moves, number
    db.session.commit()
    token = issue(world["rep_both"])
    data = fetch(client, token).data.decode().replace("\r\n ", "")
    event = data.split(f"UID:{meeting.uid}")[1].split("END:VEVENT")[0]
    stamp = f"{meeting.calendar_changed_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    assert f"\r\nDTSTAMP:{stamp}\r\n" in event
    assert f"\r\nLAST-MODIFIED:{stamp}\r\n" in event


def test_a_forum_feeds_last_modified_follows_that_forum_only(client, world, meetings):
    token = issue(world["rep_both"])
    bureau, personal = fetch(client, token, "bureau"), fetch(client, token)
    meetings["platform"].title = Texts(en="Spring platform, renamed")
    db.session.commit()
    bureau_again, personal_again = fetch(client, token, "bureau"), fetch(client, token)
    assert bureau_again.headers["Last-Modified"] == bureau.headers["Last-Modified"]
    assert bureau_again.headers["ETag"] == bureau.headers["ETag"]
    assert parse_date(personal_again.headers["Last-Modified"]) > parse_date(
        personal.headers["Last-Modified"]
    )
    meetings["bureau"].title = Texts(en="Monthly bureau, renamed")
    db.session.commit()
    bureau_later = fetch(client, token, "bureau")
    assert parse_date(bureau_later.headers["Last-Modified"]) > parse_date(
        bureau.headers["Last-Modified"]
    )


def test_feed_in_the_owners_language(client, world, meetings):
    user = world["rep_both"]
    user.locale = "fr"
    db.session.commit()
    data = fetch(client, issue(user)).data
    events = {e.uid: e for e in parse_everywhere(data)}
    assert events[meetings["bureau"].uid].summary == "Bureau\u202f: Monthly bureau"
    assert events[meetings["bureau"].uid].description.startswith("Ordre du jour\u202f:\n1. ")
    assert events[meetings["cancelled"].uid].summary.startswith("Annulé\u202f: Bureau\u202f: ")
    assert "Coordination traite des êtres humains".encode() in data


def test_forum_feed(client, world, meetings):
    token = issue(world["rep_both"])
    response = fetch(client, token, "bureau")
    assert response.status_code == 200
    assert {e.uid for e in parse_everywhere(response.data)} == uids(meetings, BUREAU)
    assert b"X-WR-CALNAME:Anti-trafficking coordination: Forum bureau\r\n" in response.data
    assert fetch(client, token, "platform").status_code == 200


def test_forum_feed_of_a_forum_never_sat_in_is_404(client, world, meetings):
    token = issue(world["rep_bureau"])
    assert fetch(client, token, "bureau").status_code == 200
    assert fetch(client, token, "platform").status_code == 404
    assert fetch(client, token, "nosuchforum").status_code == 404


def test_agency_that_joined_later_sees_only_meetings_since(client, world, meetings):
    today = today_brussels()
    late = factories.agency("LATE")
    factories.membership(world["bureau"], late, since=today - timedelta(days=30))
    before = factories.meeting(world["bureau"], brussels(today - timedelta(days=60)))
    user = factories.user(agency_=late)
    db.session.commit()
    events = {e.uid for e in parse_everywhere(fetch(client, issue(user)).data)}
    assert events == uids(meetings, [name for name in BUREAU if name != "held_long_ago"])
    assert before.uid not in events


def test_agency_that_left_keeps_only_the_meetings_it_sat_in(client, world, meetings):
    today = today_brussels()
    gone = factories.agency("GONE")
    factories.membership(
        world["bureau"], gone, since=today - timedelta(days=300), until=today - timedelta(days=30)
    )
    while_member = factories.meeting(world["bureau"], brussels(today - timedelta(days=60)))
    user = factories.user(agency_=gone)
    db.session.commit()
    response = fetch(client, issue(user))
    assert {e.uid for e in parse_everywhere(response.data)} == {while_member.uid}
    assert fetch(client, issue(user), "bureau").status_code == 200


def test_held_meetings_stay_and_cancelled_ones_leave_after_twelve_months(client, world, meetings):
    today = today_brussels()
    edge = factories.meeting(
        world["bureau"],
        brussels(today - relativedelta(months=12)),
        title="Edge",
        status=MeetingStatus.CANCELLED,
        cancellation_reason="No quorum.",
    )
    far = factories.meeting(world["bureau"], brussels(today + relativedelta(years=3)))
    archived = factories.meeting(world["bureau"], brussels(today - relativedelta(years=4)))
    db.session.commit()
    events = {e.uid for e in parse_everywhere(fetch(client, issue(world["secretariat"])).data)}
    assert edge.uid in events
    assert far.uid in events
    assert archived.uid in events  # a calendar keeps its history
    assert meetings["held_long_ago"].uid in events
    assert meetings["too_old"].uid not in events


def next_switch_mondays():
    """The Mondays after next year's two daylight-saving switches, 10:00 in Brussels."""
    from coordination.core.ical import _last_sunday

    year = today_brussels().year + 1
    return (
        _last_sunday(year, 3) + timedelta(days=1),
        _last_sunday(year, 10) + timedelta(days=1),
    )


def test_brussels_times_across_both_switches(client, world):
    spring, autumn = next_switch_mondays()
    march = factories.meeting(world["bureau"], brussels(spring))
    october = factories.meeting(world["bureau"], brussels(autumn))
    db.session.commit()
    data = fetch(client, issue(world["rep_bureau"])).data
    assert f"DTSTART;TZID=Europe/Brussels:{spring:%Y%m%d}T100000".encode() in data
    events = {e.uid: e for e in parse_everywhere(data)}
    assert events[march.uid].start == datetime.combine(spring, datetime.min.time(), UTC).replace(
        hour=8
    )
    assert events[october.uid].start == datetime.combine(autumn, datetime.min.time(), UTC).replace(
        hour=9
    )


def test_reschedule_increases_the_sequence_and_changes_the_etag(client, world, meetings):
    token = issue(world["rep_both"])
    first = fetch(client, token)
    meeting = meetings["bureau"]
    meeting.starts_at = meeting.starts_at + timedelta(days=1, hours=3)
    meeting.ends_at = meeting.ends_at + timedelta(days=1, hours=3)
    meeting.local_date = meeting.starts_at.astimezone(BRUSSELS).date()
    meeting.sequence += 1
    db.session.commit()
    second = fetch(client, token, If_None_Match=first.headers["ETag"])
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    event = {e.uid: e for e in parse_everywhere(second.data)}[meeting.uid]
    assert event.sequence == 1
    assert event.start == meeting.starts_at


def test_cancellation_reaches_the_feed(client, world, meetings):
    token = issue(world["rep_bureau"])
    first = fetch(client, token)
    meeting = meetings["bureau"]
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancellation_reason = "Postponed to next month."
    meeting.sequence += 1
    db.session.commit()
    second = fetch(client, token, If_None_Match=first.headers["ETag"])
    assert second.status_code == 200
    event = {e.uid: e for e in parse_everywhere(second.data)}[meeting.uid]
    assert event.status == "CANCELLED"
    assert event.sequence == 1


# --- HTTP validators --------------------------------------------------------------------------


def test_etag_and_last_modified_give_304(client, world, meetings):
    token = issue(world["rep_both"])
    first = fetch(client, token)
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{40}"', etag)
    last_modified = first.headers["Last-Modified"]
    assert parse_date(last_modified) is not None
    assert "private" in first.headers["Cache-Control"]
    assert first.headers["Referrer-Policy"] == "no-referrer"
    assert "Set-Cookie" not in first.headers

    again = fetch(client, token, If_None_Match=etag)
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag

    since = fetch(client, token, If_Modified_Since=last_modified)
    assert since.status_code == 304

    earlier = http_date(parse_date(last_modified) - timedelta(seconds=1))
    assert fetch(client, token, If_Modified_Since=earlier).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110).
    mismatch = fetch(client, token, If_None_Match='"other"', If_Modified_Since=last_modified)
    assert mismatch.status_code == 200
    # The same content gives the same bytes: the ETag is strong.
    assert fetch(client, token).data == first.data


def test_head(client, world, meetings):
    token = issue(world["rep_both"])
    etag = fetch(client, token).headers["ETag"]
    head = fetch(client, token, method="HEAD")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"] == etag
    assert head.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert fetch(client, token, method="HEAD", If_None_Match=etag).status_code == 304


def test_the_304_path_runs_a_handful_of_statements(client, world, meetings, count_queries):
    token = issue(world["rep_bureau"])
    etag = fetch(client, token).headers["ETag"]
    forum_etag = fetch(client, token, "bureau").headers["ETag"]
    with count_queries() as personal:
        assert fetch(client, token, If_None_Match=etag).status_code == 304
    with count_queries() as forum:
        assert fetch(client, token, "bureau", If_None_Match=forum_etag).status_code == 304
    # The data versions: the token, the forum and the feed's validators come from the cache.
    assert personal.count == 1, personal.statements
    assert forum.count == 1, forum.statements
    assert "data_versions" in personal.statements[0]


def test_full_feed_statements_do_not_grow_with_meetings(client, world, count_queries):
    user = world["rep_bureau"]
    start = today_brussels() + timedelta(days=1)
    for day in range(3):
        meeting = factories.meeting(world["bureau"], brussels(start + timedelta(days=day)))
        factories.agenda_item(meeting)
    db.session.commit()
    token = issue(user)
    fetch(client, token)  # first use writes last_used_at
    with count_queries() as few:
        assert fetch(client, token).status_code == 200
    for day in range(3, 40):
        meeting = factories.meeting(world["bureau"], brussels(start + timedelta(days=day)))
        factories.agenda_item(meeting)
        factories.agenda_item(meeting, "Second item")
    db.session.commit()
    fetch(client, token)
    with count_queries() as many:
        response = fetch(client, token)
    assert len(parse_everywhere(response.data)) == 40
    assert many.count == few.count <= 8, many.statements


def test_last_modified_moves_when_visibility_changes(client, world, meetings):
    """Old meetings that become visible must reach clients that only send If-Modified-Since."""
    today = today_brussels()
    late = factories.agency("LATE")
    membership = factories.membership(world["bureau"], late, since=today - timedelta(days=5))
    older = factories.meeting(world["bureau"], brussels(today - timedelta(days=50)))
    user = factories.user(agency_=late)
    db.session.commit()
    token = issue(user)
    first = fetch(client, token)
    assert older.uid not in {e.uid for e in parse_everywhere(first.data)}
    db.session.get(ForumMembership, membership.id).since = today - timedelta(days=100)
    db.session.commit()
    second = fetch(client, token, If_Modified_Since=first.headers["Last-Modified"])
    assert second.status_code == 200
    assert parse_date(second.headers["Last-Modified"]) > parse_date(first.headers["Last-Modified"])
    assert older.uid in {e.uid for e in parse_everywhere(second.data)}


def test_agenda_changes_change_the_etag(client, world, meetings):
    token = issue(world["rep_both"])
    first = fetch(client, token)
    meetings["bureau"].agenda_items[0].title = Texts.same("Cases, trends and the new law")
    db.session.commit()
    second = fetch(client, token, If_None_Match=first.headers["ETag"])
    assert second.status_code == 200
    assert (
        "the new law"
        in {e.uid: e for e in parse_everywhere(second.data)}[meetings["bureau"].uid].description
    )


def test_language_change_changes_the_etag(client, world, meetings):
    user = world["rep_both"]
    token = issue(user)
    first = fetch(client, token)
    user.locale = "nl"
    db.session.commit()
    assert fetch(client, token, If_None_Match=first.headers["ETag"]).status_code == 200


def test_last_used_is_written_at_most_hourly(client, world, meetings):
    user = world["rep_both"]
    token = issue(user)
    fetch(client, token)
    row = db.session.scalar(sa.select(FeedToken).filter_by(user_id=user.id))
    first_use = row.last_used_at
    assert first_use is not None
    fetch(client, token)
    db.session.refresh(row)
    assert row.last_used_at == first_use
    row.last_used_at = first_use - timedelta(hours=2)
    db.session.commit()
    clear_cache()  # an hour later, the cache no longer remembers writing it
    fetch(client, token)
    db.session.refresh(row)
    assert row.last_used_at > first_use


# --- tokens that do not work -----------------------------------------------------------------


def normalised_404(response, token):
    assert response.status_code == 404
    body = response.data.decode().replace(token, "TOKEN")
    # The page's own address comes back in its language links (where to return to).
    body = re.sub(r"next=[^\"&]*", "", body)
    return re.sub(r'name="(csrf_token|next)" value="[^"]*"', "", body)


def test_unknown_revoked_and_deactivated_tokens_get_the_same_404(client, world, meetings):
    unknown = new_token()
    revoked = issue(world["rep_platform"])
    revoke_feed_token(world["rep_platform"], actor=None)
    deactivated = issue(world["rep_bureau"])
    deactivate_user(world["rep_bureau"], actor=None)
    db.session.commit()
    bodies = {
        normalised_404(fetch(client, token), token) for token in (unknown, revoked, deactivated)
    }
    assert len(bodies) == 1
    bodies |= {normalised_404(fetch(client, token, "bureau"), token) for token in (revoked,)}
    assert len(bodies) == 1
    assert fetch(client, "not-a-token").status_code == 404
    assert fetch(client, unknown + "x").status_code == 404


def test_revoking_stops_the_feed_at_once(client, world, meetings):
    user = world["rep_both"]
    token = issue(user)
    assert fetch(client, token).status_code == 200
    revoke_feed_token(user, actor=None)
    db.session.commit()
    assert fetch(client, token).status_code == 404
    assert fetch(client, token, "bureau").status_code == 404


def test_regenerating_replaces_the_address(client, world, meetings):
    user = world["rep_both"]
    old = issue(user)
    new = issue(user)
    assert old != new
    assert fetch(client, old).status_code == 404
    assert fetch(client, new).status_code == 200


def test_deactivating_the_account_stops_the_feed_at_once(client, world, meetings):
    user = world["rep_both"]
    token = issue(user)
    assert fetch(client, token).status_code == 200
    deactivate_user(user, actor=None)
    db.session.commit()
    assert fetch(client, token).status_code == 404
    # Gone for good: the address may have been shared while the account slept.
    reactivate_user(user, actor=None)
    db.session.commit()
    assert fetch(client, token).status_code == 404
    assert get_feed_token(user) is None


def test_the_token_is_never_stored_in_clear(app, world, meetings, client):
    token = issue(world["rep_both"])
    fetch(client, token)
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            found += [
                (table.name, value) for value in row if value is not None and token in str(value)
            ]
    assert found == []
    stored = db.session.scalar(sa.select(FeedToken.token_hash))
    assert stored == hash_token(token) != token


def test_failed_lookups_are_rate_limited_per_ip(database_url, app, world, meetings):
    token = issue(world["rep_both"])
    limited = make_app(database_url, RATELIMIT_ENABLED=True)
    client = limited.test_client()
    for _ in range(40):  # successful fetches are never counted
        assert fetch(client, token).status_code == 200
    for _ in range(30):
        assert fetch(client, new_token()).status_code == 404
    blocked = fetch(client, new_token())
    assert blocked.status_code == 429
    assert fetch(client, new_token(), "bureau").status_code == 429  # one budget for both routes
    # A working token is never refused: calendar services fetch many feeds from one address.
    assert fetch(client, token).status_code == 200
    assert fetch(client, token, "bureau").status_code == 200
    other_ip = limited.test_client()
    response = other_ip.get(f"/feeds/{token}.ics", environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert response.status_code == 200


# --- one meeting as a file --------------------------------------------------------------------


def test_single_meeting_download(login_as, world, meetings):
    meeting = meetings["confidential"]
    response = login_as(world["rep_bureau"]).get(f"/meetings/{meeting.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="meeting-{meeting.local_date}-bureau.ics"'
    assert "private" in response.headers["Cache-Control"]
    (event,) = parse_everywhere(response.data)
    assert event.uid == meeting.uid
    assert event.location == SECRET_PLACE
    assert b"REFRESH-INTERVAL" not in response.data
    assert b"X-WR-CALNAME" not in response.data


@pytest.mark.parametrize("role", ["rapporteur", "minister"])
def test_single_meeting_download_hides_a_confidential_place(login_as, world, meetings, role):
    response = login_as(world[role]).get(f"/meetings/{meetings['confidential'].id}.ics")
    (event,) = parse_everywhere(response.data)
    assert event.location is None
    assert b"Shelter" not in response.data
    assert b"shelter-room" not in response.data


def test_a_cancelled_meetings_download_removes_it_from_the_readers_calendar(
    app, login_as, world, meetings
):
    user = world["rep_both"]
    response = login_as(user).get(f"/meetings/{meetings['cancelled'].id}.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8; method=CANCEL"
    data = response.data.replace(b"\r\n ", b"")
    assert b"\r\nMETHOD:CANCEL\r\n" in data
    organizer = f'ORGANIZER;CN="Coordination unit, FPS Justice":mailto:{app.config["MAIL_FROM"]}'
    assert f"\r\n{organizer}\r\n".encode() in data
    assert f":mailto:{user.email}\r\n".encode() in data.split(b"\r\nATTENDEE")[1]
    (event,) = parse_everywhere(response.data)
    assert (event.status, event.sequence) == ("CANCELLED", 1)
    # A meeting that takes place is a plain calendar to add.
    other = login_as(user).get(f"/meetings/{meetings['bureau'].id}.ics")
    assert other.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"METHOD" not in other.data


def test_single_meeting_download_in_the_readers_language(login_as, world, meetings):
    user = world["rep_both"]
    user.locale = "nl"
    db.session.commit()
    response = login_as(user).get(f"/meetings/{meetings['cancelled'].id}.ics")
    (event,) = parse_everywhere(response.data)
    assert event.summary == "Geannuleerd: Bureau: Extra bureau"


def test_meeting_links_follow_the_meetings_blueprint(database_url, app):
    """Once the meetings page exists, links are built from its route, not from a fixed path."""
    from coordination.core.urls import absolute_url
    from coordination.meetings.links import meeting_url_builder

    other = make_app(database_url)
    if "meetings.show" not in other.view_functions:
        other.add_url_rule(
            "/meetings/<id:meeting_id>/page", endpoint="meetings.show", view_func=lambda **_: ""
        )
    with other.app_context():
        assert meeting_url_builder()(5) == absolute_url("meetings.show", meeting_id=5)
        assert meeting_url_builder()(5).startswith("http://localhost/meetings/5")
    with app.app_context():
        if "meetings.show" not in app.view_functions:
            assert meeting_url_builder()(5) == "http://localhost/meetings/5"


@pytest.mark.commits
def test_with_rate_limiting_the_token_is_looked_up_once(database_url, app, world, meetings):
    token = issue(world["rep_both"])
    limited = make_app(database_url, RATELIMIT_ENABLED=True)
    client = limited.test_client()
    etag = fetch(client, token).headers["ETag"]
    statements = []
    with limited.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        assert fetch(client, token, If_None_Match=etag).status_code == 304
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    # The rate limiter and the view share one read of the data versions and the cache.
    assert len(statements) == 1, statements


@pytest.mark.parametrize(
    "forum", ["%00", "bureau%00", "x" * 300, "bur%C3%A9au", "%27%20OR%201%3D1", "..%2F..%2Fetc"]
)
def test_hostile_forum_codes_are_404_not_500(client, world, meetings, forum):
    token = issue(world["rep_both"])
    # A NUL byte is refused site-wide (400 with a message) before any feed code runs.
    expected = 400 if "%00" in forum else 404
    assert fetch(client, token, forum).status_code == expected


def test_a_french_reader_gets_the_french_texts_with_their_language(client, world, meetings):
    """Content written in both languages reaches the feed in the reader's, marked as such;
    a text written only in Dutch reaches a French reader with a visible note."""
    user = world["rep_both"]
    user.locale = "fr"
    bureau = meetings["bureau"]
    bureau.title = Texts(nl="Maandelijks bureau", fr="Bureau mensuel")
    bureau.place = Texts(nl="Zaal 3, Waterloolaan 115", fr="Salle 3, boulevard de Waterloo 115")
    bureau.agenda_items[0].title = Texts(nl="Alleen in het Nederlands")
    db.session.commit()
    data = fetch(client, issue(user)).data
    event = {e.uid: e for e in parse_everywhere(data)}[bureau.uid]
    assert event.summary == "Bureau mensuel"  # it names its forum already: no prefix
    assert event.location == "Salle 3, boulevard de Waterloo 115"
    assert "1. Alleen in het Nederlands (non disponible dans votre langue)" in event.description
    unfolded = data.replace(b"\r\n ", b"")
    assert b"\r\nSUMMARY;LANGUAGE=fr:Bureau mensuel\r\n" in unfolded
    assert b"\r\nDESCRIPTION;LANGUAGE=fr:" in unfolded
