"""E-mails about meetings: who gets them, in which language, and never confidential content."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from coordination.core.texts import Texts
from coordination.core.time import brussels_to_utc
from coordination.db import db
from coordination.meetings import services
from coordination.meetings.notify import forum_recipients
from coordination.notifications.models import OutboxMessage
from tests import factories
from tests.meetings.conftest import NOW

DAY = date(2026, 7, 14)
SHELTER = "Shelter, Secret Street 1"


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def by_recipient() -> dict[str, OutboxMessage]:
    return {message.recipient: message for message in outbox()}


def schedule(world, forum="bureau", **fields):
    arguments = {
        "title": "Bureau — July",
        "starts_at": brussels_to_utc(DAY, time(10)),
        "ends_at": brussels_to_utc(DAY, time(12, 30)),
        "place": "FPS Justice, Brussels",
        "actor": world["secretariat"],
        "now": NOW,
    }
    arguments.update(fields)
    meeting = services.schedule_meeting(world[forum], **arguments)
    db.session.commit()
    return meeting


def test_recipients_are_the_active_members_and_observers_on_the_meeting_date(world):
    inactive = factories.user(agency_=world["bureau_only"], email="gone@example.org", active=False)
    late = factories.agency("LATE")
    factories.membership(world["bureau"], late, since=date(2026, 9, 1))
    factories.user(agency_=late, email="late@example.org")
    db.session.commit()
    schedule(world)
    assert set(by_recipient()) == {
        "sec@example.org",  # the coordination unit sits in both forums
        "both@example.org",
        "bureau@example.org",
        "rapporteur@example.org",  # observers are told too
    }
    assert inactive.email not in by_recipient()
    emails = {u.email for u in forum_recipients(world["bureau"].id, date(2026, 9, 1))}
    assert "late@example.org" in emails


def test_the_platform_tells_its_own_members(world):
    schedule(world, forum="platform", title="Platform — autumn")
    assert set(by_recipient()) == {
        "sec@example.org", "both@example.org", "platform@example.org",
        "minister@example.org", "rapporteur@example.org",
    }  # fmt: skip


def test_each_recipient_reads_their_own_language_with_an_absolute_link(world):
    world["rep_both"].locale = "nl"
    world["rep_bureau"].locale = "fr"
    db.session.commit()
    meeting = schedule(world)
    messages = by_recipient()
    assert "dinsdag 14 juli 2026" in messages["both@example.org"].body_text
    assert "mardi 14 juillet 2026" in messages["bureau@example.org"].body_text
    assert "Tuesday, 14 July 2026" in messages["rapporteur@example.org"].body_text
    assert messages["both@example.org"].subject.startswith("Nieuwe vergadering: Bureau — July")
    french_subject = messages["bureau@example.org"].subject
    assert french_subject.startswith("Nouvelle réunion\u202f: Bureau — July")
    assert "Beste " in messages["both@example.org"].body_text
    assert "Lieu\u202f: FPS Justice" in messages["bureau@example.org"].body_text
    for message in messages.values():
        assert f"http://localhost/meetings/{meeting.id}" in message.body_text
        assert "10:00" in message.body_text
        assert message.reason == f"meeting.schedule:{meeting.id}"
        assert message.subject.startswith(("New meeting", "Nieuwe vergadering", "Nouvelle"))
        assert "\n" not in message.subject


def test_titles_and_places_reach_each_recipient_in_their_language(world):
    """Content written in both languages: each reader gets theirs; a text written in one
    language only reaches the other community marked as such."""
    world["rep_both"].locale = "nl"
    world["rep_bureau"].locale = "fr"
    db.session.commit()
    schedule(
        world,
        title=Texts(nl="Bureau — juli", fr="Bureau — juillet"),
        place=Texts(nl="FOD Justitie, Brussel"),
    )
    messages = by_recipient()
    dutch, french = messages["both@example.org"], messages["bureau@example.org"]
    assert dutch.subject.startswith("Nieuwe vergadering: Bureau — juli,")
    assert french.subject.startswith("Nouvelle réunion\u202f: Bureau — juillet,")
    assert "FOD Justitie, Brussel" in dutch.body_text
    assert "niet beschikbaar" not in dutch.body_text
    assert "FOD Justitie, Brussel (non disponible dans votre langue)" in french.body_text
    assert "juli" not in french.body_text


def test_a_confidential_place_and_online_link_never_leave_in_an_email(world):
    meeting = schedule(
        world, place=SHELTER, place_confidential=True,
        online_url="https://meet.example.org/secret-room",
    )  # fmt: skip
    services.reschedule_meeting(
        meeting, expected_version=meeting.version,
        starts_at=brussels_to_utc(date(2026, 7, 15), time(10)),
        ends_at=brussels_to_utc(date(2026, 7, 15), time(12)),
        place=SHELTER, place_confidential=True, actor=None, now=NOW,
    )  # fmt: skip
    factories.agenda_item(meeting, description=f"Meet at {SHELTER}")
    db.session.commit()
    services.finalise_agenda(meeting, expected_version=meeting.version, actor=None, now=NOW)
    services.cancel_meeting(
        meeting, expected_version=meeting.version, reason="Moved online", actor=None, now=NOW
    )
    db.session.commit()
    messages = outbox()
    assert len(messages) == 4 * 4
    assert any(message.html_text for message in messages)  # the convocation
    for message in messages:
        assert SHELTER not in message.body_text
        assert "Secret Street" not in message.subject
        assert "secret-room" not in message.body_text
        assert "Secret Street" not in (message.html_text or "")
        assert "secret-room" not in (message.html_text or "")


def a_meetings_whole_life(world):
    """Scheduled, moved to Thursday 16 July at the Egmont Palace, its agenda (two items) made
    final, then cancelled: four e-mails to each member."""
    meeting = schedule(world)
    services.reschedule_meeting(
        meeting, expected_version=meeting.version,
        starts_at=brussels_to_utc(date(2026, 7, 16), time(14)),
        ends_at=brussels_to_utc(date(2026, 7, 16), time(16)),
        place="Egmont Palace", actor=None, now=NOW,
    )  # fmt: skip
    factories.agenda_item(meeting, title="Cases and trends", duration_minutes=40)
    factories.agenda_item(meeting, title="Proposal: measure 3.4")
    db.session.commit()
    services.finalise_agenda(meeting, expected_version=meeting.version, actor=None, now=NOW)
    services.cancel_meeting(
        meeting, expected_version=meeting.version, reason="Strike of public transport",
        actor=None, now=NOW,
    )  # fmt: skip
    db.session.commit()
    return meeting


def test_reschedule_cancel_and_final_agenda_say_what_happened(world):
    a_meetings_whole_life(world)
    mails = [m for m in outbox() if m.recipient == "rapporteur@example.org"]
    _scheduled, moved, final, cancelled = mails
    assert moved.subject.startswith("Changed:")
    assert "Tuesday, 14 July 2026 at 10:00" in moved.body_text
    assert "Thursday, 16 July 2026" in moved.body_text
    assert "Egmont Palace" in moved.body_text
    assert final.subject.startswith("Agenda final:")
    assert "1. Cases and trends (Information, 40 minutes)" in final.body_text
    assert "2. Proposal: measure 3.4" in final.body_text
    assert cancelled.subject.startswith("Cancelled:")
    assert "Strike of public transport" in cancelled.body_text


def test_past_meetings_and_demo_data_send_nothing(world):
    schedule(world, starts_at=brussels_to_utc(date(2026, 1, 13), time(10)),
             ends_at=brussels_to_utc(date(2026, 1, 13), time(12)))  # fmt: skip
    schedule(world, notify_members=False)
    assert outbox() == []


def test_the_outbox_is_written_in_the_same_transaction(world):
    services.schedule_meeting(
        world["bureau"], title="Never", starts_at=brussels_to_utc(DAY, time(10)),
        ends_at=brussels_to_utc(DAY, time(11)), actor=None, now=NOW,
    )  # fmt: skip
    db.session.rollback()
    assert outbox() == []


def test_a_new_series_sends_one_email_per_member_listing_what_they_may_see(make_series, world):
    late = factories.agency("LATE")
    factories.membership(world["bureau"], late, since=date(2026, 10, 1))
    factories.user(agency_=late, email="late@example.org")
    db.session.commit()
    series = make_series(notify_members=True)
    messages = by_recipient()
    assert len(outbox()) == len(messages)  # one each
    upcoming = [m for m in series.meetings if m.local_date >= date(2026, 6, 1)]
    assert messages["both@example.org"].body_text.count("\n- ") == len(upcoming)
    late_mail = messages["late@example.org"].body_text
    assert "Tuesday, 8 September 2026" not in late_mail
    assert "Tuesday, 13 October 2026" in late_mail
    assert "platform@example.org" not in messages


def test_a_series_change_tells_members_once(make_series, world):
    series = make_series()
    services.update_series(
        series, expected_version=series.version, title=series.title, rrule=series.rrule,
        starts_on=series.starts_on, start_time=time(14), duration_minutes=120,
        place=series.place, actor=None, now=NOW,
    )  # fmt: skip
    db.session.commit()
    messages = outbox()
    assert len(messages) == len({m.recipient for m in messages}) == 4
    assert all(m.subject.startswith("Meetings changed:") for m in messages)


@pytest.mark.parametrize("locale", ["nl", "fr", "en"])
def test_every_template_renders_in_every_language(world, locale):
    for user in (world["rep_both"], world["rep_bureau"], world["rapporteur"], world["secretariat"]):
        user.locale = locale
    db.session.commit()
    meeting = schedule(world)
    factories.agenda_item(meeting)
    db.session.commit()
    services.finalise_agenda(meeting, expected_version=meeting.version, actor=None, now=NOW)
    services.reschedule_meeting(
        meeting, expected_version=meeting.version, starts_at=meeting.starts_at,
        ends_at=meeting.ends_at, place="Elsewhere", actor=None, now=NOW,
    )  # fmt: skip
    services.cancel_meeting(
        meeting, expected_version=meeting.version, reason="x", actor=None, now=NOW
    )
    db.session.commit()
    for message in outbox():
        assert message.subject
        assert message.body_text.strip()
        assert "%(" not in message.subject + message.body_text
