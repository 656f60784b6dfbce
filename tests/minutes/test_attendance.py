"""The attendance per person: recorded from the answers to the invitation in one action or by
hand, each agency's presence following its people."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coordination.core.errors import NotAllowed, ValidationError
from coordination.db import db
from coordination.meetings.models import MeetingReply, ReplyAnswer
from coordination.minutes import attendance
from coordination.minutes.models import Attendance, Attendee, AttendeeRole, Presence
from tests.minutes import factories as mf


@pytest.mark.parametrize(
    ("roles", "presence"),
    [
        ([AttendeeRole.PRESENT], Presence.PRESENT),
        ([AttendeeRole.EXCUSED, AttendeeRole.SUBSTITUTE], Presence.PRESENT),
        ([AttendeeRole.EXCUSED, AttendeeRole.EXCUSED], Presence.EXCUSED),
    ],
)
def test_an_agency_is_present_when_one_of_its_people_took_part(roles, presence):
    assert attendance.presence_of(roles) is presence


@pytest.fixture
def answered(world):
    """Minutes of a meeting whose invitation three people answered: one comes, one declined,
    one sends a substitute from the observer agency."""
    meeting = world["meeting"]
    db.session.add_all(
        [
            MeetingReply(meeting=meeting, user=world["rep_both"], answer=ReplyAnswer.ATTENDING),
            MeetingReply(
                meeting=meeting, user=world["rep_bureau"], answer=ReplyAnswer.NOT_ATTENDING
            ),
            MeetingReply(
                meeting=meeting,
                user=world["rapporteur"],
                answer=ReplyAnswer.SUBSTITUTE,
                substitute_name="Jan Peeters",
                substitute_agency=world["observer"],
            ),
        ]
    )
    minutes = mf.minutes(meeting)
    db.session.commit()
    return minutes


def people(minutes) -> set[tuple[str, str, AttendeeRole]]:
    db.session.expire_all()
    return {
        (a.name, a.agency.code, a.role)
        for a in db.session.scalars(sa.select(Attendee).where(Attendee.minutes_id == minutes.id))
    }


def presences(minutes) -> dict[str, Presence]:
    return {
        a.agency.code: a.presence
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.minutes_id == minutes.id)
        )
    }


def test_everyone_as_announced_in_one_action(world, answered):
    actor = world["secretariat"]
    attendance.add_attendee(
        answered,
        name="Chair of the day",
        agency_id=world["secretariat"].agency_id,
        role=AttendeeRole.PRESENT,
        actor=actor,
    )
    assert attendance.record_as_announced(answered, actor=actor) == 3
    expected = {
        (world["rep_both"].full_name, "BOTH", AttendeeRole.PRESENT),
        (world["rep_bureau"].full_name, "BUREAUONLY", AttendeeRole.EXCUSED),
        ("Jan Peeters", "OBSERVER", AttendeeRole.SUBSTITUTE),
        ("Chair of the day", "CU", AttendeeRole.PRESENT),  # added by hand: stays
    }
    assert people(answered) == expected
    assert presences(answered) == {
        "BOTH": Presence.PRESENT,
        "BUREAUONLY": Presence.EXCUSED,
        "OBSERVER": Presence.PRESENT,
        "CU": Presence.PRESENT,
    }
    # Twice is once; a person corrected by hand takes the announced role again.
    declined = db.session.scalar(sa.select(Attendee).where(Attendee.role == AttendeeRole.EXCUSED))
    declined.role = AttendeeRole.PRESENT
    attendance.record_as_announced(answered, actor=actor)
    assert people(answered) == expected
    assert attendee_user_ids(answered) == {world["rep_both"].id, world["rep_bureau"].id}


def attendee_user_ids(minutes) -> set[int]:
    return {a.user_id for a in minutes.attendees if a.user_id is not None}


def test_without_answers_there_is_nothing_to_announce(world):
    minutes = mf.minutes(world["meeting"])
    with pytest.raises(NotAllowed):
        attendance.record_as_announced(minutes, actor=world["secretariat"])


def test_a_person_by_hand_and_the_agency_follows(world):
    minutes = mf.minutes(world["meeting"])
    actor = world["secretariat"]
    both = world["both"].id

    def add(name: str, agency_id: int = both, role=AttendeeRole.PRESENT) -> Attendee:
        return attendance.add_attendee(
            minutes, name=name, agency_id=agency_id, role=role, actor=actor
        )

    excused = add("  Marie   Dubois ", role=AttendeeRole.EXCUSED)
    assert excused.name == "Marie Dubois"
    assert presences(minutes) == {"BOTH": Presence.EXCUSED}
    present = add("Jan Peeters")
    assert presences(minutes) == {"BOTH": Presence.PRESENT}
    for name, agency_id in [
        ("", both),
        ("x" * 201, both),
        ("Marie Dubois", both),  # already recorded for that agency
        ("Somebody", world["platform_only"].id),  # did not sit in the bureau
    ]:
        with pytest.raises(ValidationError):
            add(name, agency_id)
    # The presence of an agency with people is theirs, not set by hand.
    with pytest.raises(ValidationError):
        attendance.record_attendance(minutes, {both: Presence.ABSENT}, actor=actor)
    attendance.remove_attendee(present, actor=actor)
    assert presences(minutes) == {"BOTH": Presence.EXCUSED}
    attendance.remove_attendee(excused, actor=actor)
    assert presences(minutes) == {}  # nobody left: not recorded


def test_the_page_records_everyone_as_announced_then_a_person_by_hand(world, answered, login_as):
    client = login_as(world["secretariat"])
    url = f"/minutes/{answered.id}/attendance"
    page = client.get(url).get_data(as_text=True)
    assert "Record everyone as announced" in page
    assert "Nobody is recorded by name yet." in page

    response = client.post(f"{url}/as-announced")
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Everyone has been recorded as they announced." in page
    assert "Jan Peeters" in page
    assert "Present as a substitute" in page
    # The agencies with people follow them: no presence choice is left for them.
    assert f'name="agency_{world["both"].id}"' not in page
    assert f'name="agency_{world["secretariat"].agency_id}"' in page

    refused = client.post(
        f"{url}/people", data={"name": "Somebody", "agency": "PLATFORMONLY", "role": "present"}
    )
    assert refused.status_code == 400
    assert "Agency: Not a valid choice." in refused.get_data(as_text=True)
    added = client.post(f"{url}/people", data={"name": "Piet", "agency": "CU", "role": "present"})
    assert added.status_code == 302
    assert ("Piet", "CU", AttendeeRole.PRESENT) in people(answered)

    reading = client.get(f"/minutes/{answered.id}").get_data(as_text=True)
    assert "Jan Peeters (present as a substitute)" in reading
    assert f"{world['rep_bureau'].full_name} (excused)" in reading

    piet = db.session.scalar(sa.select(Attendee).where(Attendee.name == "Piet"))
    assert client.post(f"{url}/people/{piet.id}/delete").status_code == 303
    assert ("Piet", "CU", AttendeeRole.PRESENT) not in people(answered)


def test_a_person_of_other_minutes_is_not_found(world, answered, login_as):
    other = mf.minutes(world["next_meeting"])
    stranger = attendance.add_attendee(
        other,
        name="Jan",
        agency_id=world["both"].id,
        role=AttendeeRole.PRESENT,
        actor=world["secretariat"],
    )
    db.session.commit()
    client = login_as(world["secretariat"])
    response = client.post(f"/minutes/{answered.id}/attendance/people/{stranger.id}/delete")
    assert response.status_code == 404
    assert len(people(other)) == 1
