"""Attendance and decisions, the structured parts beside the text."""

from __future__ import annotations

import sqlalchemy as sa

from coordination.db import db
from coordination.minutes.models import Attendance, Decision, Presence
from tests import factories
from tests.minutes import factories as mf


def test_attendance_lists_the_forums_agencies_on_that_date(world, login_as):
    minutes = mf.minutes(world["meeting"])
    db.session.commit()
    client = login_as(world["secretariat"])
    url = f"/minutes/{minutes.id}/attendance"
    page = client.get(url).get_data(as_text=True)
    for code in ("BOTH", "BUREAUONLY", "OBSERVER", "CU"):
        assert code in page
    assert "PLATFORMONLY" not in page
    response = client.post(
        url,
        data={
            f"agency_{world['both'].id}": "present",
            f"agency_{world['bureau_only'].id}": "excused",
            f"agency_{world['observer'].id}": "absent",
        },
    )
    assert response.status_code == 302
    rows = {a.agency.code: a.presence for a in db.session.scalars(sa.select(Attendance))}
    assert rows == {
        "BOTH": Presence.PRESENT,
        "BUREAUONLY": Presence.EXCUSED,
        "OBSERVER": Presence.ABSENT,
    }
    # Clearing a choice removes the entry.
    client.post(url, data={f"agency_{world['both'].id}": "present"})
    db.session.expire_all()
    assert {a.agency.code for a in db.session.scalars(sa.select(Attendance))} == {"BOTH"}
    page = client.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "Present (1)" in page


def test_an_invalid_presence_is_400(world, login_as):
    minutes = mf.minutes(world["meeting"])
    db.session.commit()
    response = login_as(world["secretariat"]).post(
        f"/minutes/{minutes.id}/attendance", data={f"agency_{world['both'].id}": "asleep"}
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 0


def test_decisions_are_added_linked_and_renumbered(world, login_as):
    item = factories.agenda_item(world["meeting"], "ECOSOC inspections")
    other_meeting = factories.meeting(world["bureau"])
    foreign_item = factories.agenda_item(other_meeting, "Elsewhere")
    minutes = mf.minutes(world["meeting"])
    db.session.commit()
    client = login_as(world["secretariat"])
    url = f"/minutes/{minutes.id}/decisions"
    assert (
        client.post(url, data={"text-nl": "First", "agenda_item": str(item.id)}).status_code == 302
    )
    assert client.post(url, data={"text-nl": "Second"}).status_code == 302
    response = client.post(url, data={"text-nl": "Third", "agenda_item": str(foreign_item.id)})
    assert response.status_code == 400
    decisions = list(db.session.scalars(sa.select(Decision).order_by(Decision.position)))
    assert [(d.position, d.text.nl) for d in decisions] == [(1, "First"), (2, "Second")]
    assert decisions[0].agenda_item_id == item.id

    response = client.post(f"/minutes/{minutes.id}/decisions/{decisions[0].id}/delete")
    assert response.status_code == 303
    db.session.expire_all()
    assert [(d.position, d.text.nl) for d in db.session.scalars(sa.select(Decision))] == [
        (1, "Second")
    ]


def test_attendance_starts_from_the_answers_to_the_invitation(world, login_as):
    from coordination.meetings.models import MeetingReply, ReplyAnswer

    meeting = world["meeting"]
    bureau_only = world["rep_bureau"]
    db.session.add_all(
        [
            MeetingReply(meeting=meeting, user=world["rep_both"], answer=ReplyAnswer.ATTENDING),
            MeetingReply(meeting=meeting, user=bureau_only, answer=ReplyAnswer.NOT_ATTENDING),
            MeetingReply(
                meeting=meeting,
                user=world["rapporteur"],
                answer=ReplyAnswer.SUBSTITUTE,
                substitute_name="Jan Peeters",
            ),
        ]
    )
    minutes = mf.minutes(meeting)
    mf.attendance(minutes, world["observer"], Presence.ABSENT)  # recorded wins over announced
    db.session.commit()
    client = login_as(world["secretariat"])
    url = f"/minutes/{minutes.id}/attendance"
    page = client.get(url).get_data(as_text=True)
    assert f"Announced: {world['rep_both'].full_name}" in page
    assert "Announced: Jan Peeters" in page
    assert "Everyone invited declined." in page

    def chosen(agency) -> str:
        select = page.split(f'name="agency_{agency.id}"', 1)[1].split("</select>", 1)[0]
        selected = [part for part in select.split("<option")[1:] if "selected" in part]
        return selected[0].split('value="', 1)[1].split('"', 1)[0] if selected else ""

    assert chosen(world["both"]) == "present"
    assert chosen(world["bureau_only"]) == "excused"
    assert chosen(world["observer"]) == "absent"
    assert chosen(world["secretariat"].agency) == ""  # nobody answered for it
