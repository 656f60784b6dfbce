"""Answers to a meeting's invitation: from the e-mail's signed link (no login) or the meeting
page, one per person; the secretariat sees who comes per agency and reminds the others."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.meetings.models import MeetingReply, ReplyAnswer
from coordination.meetings.replies import reply_overview, reply_token
from coordination.notifications.models import OutboxMessage
from tests import factories
from tests.conftest import forget_recent_forms

SHELTER = "Shelter, Secret Street 1"


@pytest.fixture
def meeting(world):
    soon = datetime.combine(today_brussels() + timedelta(days=10), time(10), BRUSSELS)
    meeting = factories.meeting(
        world["bureau"], soon, title="Bureau — answers", place=SHELTER, place_confidential=True
    )
    db.session.commit()
    return meeting


def link(meeting, person) -> str:
    return f"/meetings/reply/{reply_token(meeting, person)}"


def replies_of(meeting) -> list[MeetingReply]:
    return list(db.session.scalars(select(MeetingReply).where(MeetingReply.meeting == meeting)))


def test_the_link_answers_without_signing_in_and_shows_nothing_confidential(client, world, meeting):
    page = client.get(link(meeting, world["rep_bureau"]))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Bureau — answers" in text
    assert world["rep_bureau"].full_name in text
    assert "Secret Street" not in text  # a forwarded link must not lead to the shelter
    answered = client.post(link(meeting, world["rep_bureau"]), data={"answer": "attending"})
    assert answered.status_code == 302
    (reply,) = replies_of(meeting)
    assert (reply.user, reply.answer) == (world["rep_bureau"], ReplyAnswer.ATTENDING)
    again = client.get(answered.headers["Location"]).get_data(as_text=True)
    assert "Your answer:" in again
    assert "Attending" in again


def test_answering_again_replaces_the_answer(client, world, meeting):
    client.post(link(meeting, world["rep_both"]), data={"answer": "attending"})
    forget_recent_forms()
    client.post(link(meeting, world["rep_both"]), data={"answer": "not_attending"})
    (reply,) = replies_of(meeting)
    assert reply.answer is ReplyAnswer.NOT_ATTENDING


def test_the_same_form_sent_twice_records_one_answer(client, world, meeting):
    for _ in range(2):
        client.post(link(meeting, world["rep_both"]), data={"answer": "attending"})
    assert len(replies_of(meeting)) == 1


def test_a_substitute_needs_a_name_and_an_agency_of_the_forum(client, world, meeting):
    url = link(meeting, world["rep_bureau"])
    nameless = client.post(url, data={"answer": "substitute", "substitute_name": " "})
    assert nameless.status_code == 400
    assert "Give the name of the person who comes in your place." in nameless.get_data(True)
    outsider = client.post(
        url,
        data={
            "answer": "substitute",
            "substitute_name": "Jan Peeters",
            "substitute_agency": str(world["platform_only"].id),
        },
    )
    assert outsider.status_code == 400  # not an agency of the bureau: not even offered
    assert replies_of(meeting) == []
    sent = client.post(
        url,
        data={
            "answer": "substitute",
            "substitute_name": "Jan Peeters",
            "substitute_agency": str(world["both"].id),
        },
    )
    assert sent.status_code == 302
    (reply,) = replies_of(meeting)
    assert (reply.substitute_name, reply.substitute_agency) == ("Jan Peeters", world["both"])


def test_a_substitute_comes_from_the_own_agency_by_default(client, world, meeting):
    page = client.get(link(meeting, world["rep_bureau"])).get_data(as_text=True)
    options = re.findall(r'<option value="(\d+)"', page)
    assert options[0] == str(world["bureau_only"].id)


def test_a_link_that_is_not_valid_or_no_longer_invites_is_not_found(client, world, meeting):
    good = link(meeting, world["rep_bureau"])
    assert client.get(good[:-3] + "xyz").status_code == 404
    assert client.get(link(meeting, world["rep_platform"])).status_code == 404  # not invited
    world["rep_bureau"].active = False
    db.session.commit()
    assert client.get(good).status_code == 404


def test_answers_close_when_the_meeting_is_over_or_cancelled(client, world, meeting):
    meeting.starts_at = meeting.starts_at - timedelta(days=30)
    meeting.ends_at = meeting.ends_at - timedelta(days=30)
    db.session.commit()
    url = link(meeting, world["rep_bureau"])
    assert "answers are closed" in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"answer": "attending"})
    assert refused.status_code == 400
    assert "answers are closed" in refused.get_data(as_text=True)
    assert replies_of(meeting) == []


def test_the_meeting_page_asks_the_invited_and_not_the_others(client, login_as, world, meeting):
    login_as(world["rep_bureau"])
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "You have not answered yet." in page
    client.post(f"/meetings/{meeting.id}/reply", data={"answer": "not_attending"})
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Not attending" in page
    assert "Change my answer" in page
    login_as(world["minister"])  # reads the bureau's meetings, is not invited to them
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Your attendance" not in page
    assert client.get(f"/meetings/{meeting.id}/reply").status_code == 403


def test_the_secretariat_sees_who_comes_per_agency_and_reminds_the_others(
    client, login_as, world, meeting
):
    client.post(link(meeting, world["rep_both"]), data={"answer": "attending"})
    client.post(
        link(meeting, world["rep_bureau"]),
        data={"answer": "substitute", "substitute_name": "Jan Peeters"},
    )
    overview = reply_overview(meeting)
    coming = {group.agency.code: group.coming for group in overview.agencies}
    assert coming["BOTH"] == [world["rep_both"].full_name]
    assert coming["BUREAUONLY"] == ["Jan Peeters"]
    assert {person.email for person in overview.unanswered} == {
        "sec@example.org", "rapporteur@example.org",
    }  # fmt: skip
    login_as(world["secretariat"])
    page = client.get(f"/meetings/{meeting.id}/replies").get_data(as_text=True)
    assert "Jan Peeters" in page
    assert "2 people have not answered" in page
    reminded = client.post(f"/meetings/{meeting.id}/replies/remind")
    assert reminded.status_code == 303
    reminders = list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.reason == f"meeting.remind:{meeting.id}")
        )
    )
    assert {message.recipient for message in reminders} == {
        "sec@example.org", "rapporteur@example.org",
    }  # fmt: skip
    rapporteur = next(m for m in reminders if m.recipient == "rapporteur@example.org")
    personal = reply_token(meeting, world["rapporteur"])
    assert f"/meetings/reply/{personal}" in rapporteur.body_text
    assert "Secret Street" not in rapporteur.body_text


def test_nobody_is_reminded_twice_once_all_have_answered(client, login_as, world, meeting):
    for role in ("rep_both", "rep_bureau", "secretariat", "rapporteur"):
        client.post(link(meeting, world[role]), data={"answer": "attending"})
    login_as(world["secretariat"])
    client.post(f"/meetings/{meeting.id}/replies/remind")
    count = select(func.count()).select_from(OutboxMessage)
    assert db.session.scalar(count) == 0


def test_every_invitation_e_mail_carries_the_persons_own_link(world, meeting):
    from coordination.meetings import services
    from tests.meetings.conftest import NOW

    factories.agenda_item(meeting, title="Cases and trends")
    db.session.commit()
    services.finalise_agenda(meeting, expected_version=meeting.version, actor=None, now=NOW)
    db.session.commit()
    messages = list(db.session.scalars(select(OutboxMessage)))
    assert len(messages) == 4
    for message in messages:
        person = next(u for u in world.values() if getattr(u, "email", None) == message.recipient)
        assert f"/meetings/reply/{reply_token(meeting, person)}" in message.body_text
