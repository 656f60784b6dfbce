"""Who attended a meeting, as its minutes record it: per agency of the forum (present, excused
or absent) and per person (name, agency, present / substitute / excused).

One rule joins the two: an agency with people recorded takes its presence from them (present
when someone came for it, excused when all of them were excused); an agency without people is
set by hand. Both start from the answers to the invitation (:mod:`coordination.meetings.replies`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from coordination.agencies.models import Agency
from coordination.agencies.services import agencies_in_forum_on
from coordination.audit.services import record_event
from coordination.core.errors import NotAllowed, ValidationError
from coordination.db import db
from coordination.meetings.models import Meeting, ReplyAnswer
from coordination.meetings.replies import reply_overview
from coordination.minutes import workflow
from coordination.minutes.models import Attendance, Attendee, AttendeeRole, Minutes, Presence
from coordination.users.models import User

NAME_MAX = 200

#: What each answer to the invitation announces about the person who gave it.
_ROLE_ANNOUNCED = {
    ReplyAnswer.ATTENDING: AttendeeRole.PRESENT,
    ReplyAnswer.NOT_ATTENDING: AttendeeRole.EXCUSED,
    ReplyAnswer.SUBSTITUTE: AttendeeRole.SUBSTITUTE,
}


def presence_of(roles: Iterable[AttendeeRole]) -> Presence:
    """An agency's presence from its people's: present when one of them came (in their own
    right or as a substitute), excused when none did."""
    if any(role is not AttendeeRole.EXCUSED for role in roles):
        return Presence.PRESENT
    return Presence.EXCUSED


# --- what the answers announce ----------------------------------------------------------------


@dataclass(frozen=True)
class AnnouncedPerson:
    name: str
    agency: Agency
    role: AttendeeRole
    user_id: int | None


@dataclass(frozen=True)
class Announced:
    """What the answers to the invitation announce for an agency: its presence, and who."""

    presence: Presence
    names: list[str]


def announced_people(meeting: Meeting) -> list[AnnouncedPerson]:
    """Everyone the answers name: who comes, whom they send in their place (for the agency they
    named, else their own), and who declined."""
    people = []
    for group in reply_overview(meeting).agencies:
        for invitee in group.invitees:
            reply = invitee.reply
            if reply is None:
                continue
            role = _ROLE_ANNOUNCED[reply.answer]
            if role is AttendeeRole.SUBSTITUTE:
                people.append(
                    AnnouncedPerson(
                        name=reply.substitute_name or "",
                        agency=reply.substitute_agency or group.agency,
                        role=role,
                        user_id=None,
                    )
                )
            else:
                people.append(
                    AnnouncedPerson(invitee.person.full_name, group.agency, role, invitee.person.id)
                )
    return people


def announced_attendance(meeting: Meeting) -> dict[int, Announced]:
    """Per agency, the attendance the answers announce (:func:`presence_of` the people they
    name), with the names of those who come; nothing for an agency nobody answered for."""
    by_agency: dict[int, list[AnnouncedPerson]] = {}
    for person in announced_people(meeting):
        by_agency.setdefault(person.agency.id, []).append(person)
    return {
        agency_id: Announced(
            presence_of(person.role for person in people),
            [person.name for person in people if person.role is not AttendeeRole.EXCUSED],
        )
        for agency_id, people in by_agency.items()
    }


# --- recording ----------------------------------------------------------------------------------


def forum_agencies(minutes: Minutes) -> list[Agency]:
    """The agencies that sat in the forum on the meeting date: who attends, who owns actions."""
    meeting = minutes.meeting
    return agencies_in_forum_on(meeting.forum_id, meeting.local_date)


def agencies_with_people(minutes: Minutes) -> set[int]:
    return {attendee.agency_id for attendee in minutes.attendees}


def record_attendance(
    minutes: Minutes, presences: dict[int, Presence | None], *, actor: User | None
) -> None:
    """Set by hand who was present, excused or absent; None removes an agency's entry.

    :raise NotAllowed: unless the minutes are a draft.
    :raise ValidationError: for an agency that did not sit in the forum on the meeting date, or
        one whose presence follows the people recorded for it.
    """
    workflow.ensure_editable(minutes.status)
    _check_sat_in_forum(minutes, set(presences))
    if set(presences) & agencies_with_people(minutes):
        raise ValidationError(
            _l("An agency with people recorded takes its presence from them: change those.")
        )
    changes = _set_presences(minutes, presences)
    db.session.flush()
    if changes:
        record_event("minutes.attendance", actor=actor, obj=minutes, changes=changes)


def add_attendee(
    minutes: Minutes, *, name: str, agency_id: int, role: AttendeeRole, actor: User | None
) -> Attendee:
    """Record one person; their agency's presence follows.

    :raise NotAllowed: unless the minutes are a draft.
    :raise ValidationError: an empty or too long name, an agency not in the forum that day, a
        person already recorded for that agency.
    """
    workflow.ensure_editable(minutes.status)
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise ValidationError(_l("Give the person's name (at most 200 characters)."))
    _check_sat_in_forum(minutes, {agency_id})
    if any(a.agency_id == agency_id and a.name == name for a in minutes.attendees):
        raise ValidationError(_l("This person is already recorded for this agency."))
    attendee = Attendee(name=name, agency_id=agency_id, role=role)
    minutes.attendees.append(attendee)
    _flush_once(_l("This person is already recorded for this agency."))
    _follow_people(minutes, {agency_id}, actor=actor)
    record_event(
        "minutes.attendee",
        actor=actor,
        obj=minutes,
        changes={"added": name, "agency": agency_id, "role": role.value},
    )
    return attendee


def remove_attendee(attendee: Attendee, *, actor: User | None) -> None:
    """Remove one person; their agency's presence follows those left (none: not recorded).

    :raise NotAllowed: unless the minutes are a draft.
    """
    minutes = attendee.minutes
    workflow.ensure_editable(minutes.status)
    minutes.attendees.remove(attendee)
    db.session.flush()
    _follow_people(minutes, {attendee.agency_id}, actor=actor)
    record_event(
        "minutes.attendee",
        actor=actor,
        obj=minutes,
        changes={"removed": attendee.name, "agency": attendee.agency_id},
    )


def record_as_announced(minutes: Minutes, *, actor: User | None) -> int:
    """ "All as announced": record everyone the answers name, as they announced it (a person
    already recorded for the agency takes the announced role; people added by hand stay),
    and the presence of their agencies. Returns how many people the answers named.

    :raise NotAllowed: unless the minutes are a draft; when nobody answered.
    """
    workflow.ensure_editable(minutes.status)
    sitting = {agency.id for agency in forum_agencies(minutes)}
    people = [
        person
        for person in announced_people(minutes.meeting)
        if person.name and person.agency.id in sitting
    ]
    if not people:
        raise NotAllowed(_l("Nobody has answered the invitation: record the attendance by hand."))
    recorded = {(a.agency_id, a.name): a for a in minutes.attendees}
    for person in people:
        attendee = recorded.get((person.agency.id, person.name))
        if attendee is None:
            attendee = Attendee(name=person.name, agency_id=person.agency.id, role=person.role)
            minutes.attendees.append(attendee)
            recorded[(person.agency.id, person.name)] = attendee
        attendee.role = person.role
        attendee.user_id = person.user_id
    _flush_once(_l("The attendance was just recorded from elsewhere: look again."))
    _follow_people(minutes, {person.agency.id for person in people}, actor=actor)
    record_event(
        "minutes.attendance_as_announced", actor=actor, obj=minutes, changes={"people": len(people)}
    )
    return len(people)


def _check_sat_in_forum(minutes: Minutes, agency_ids: set[int]) -> None:
    if agency_ids - {agency.id for agency in forum_agencies(minutes)}:
        raise ValidationError(_l("Only agencies that sat in the forum on that date can attend."))


def _follow_people(minutes: Minutes, agency_ids: set[int], *, actor: User | None) -> None:
    """Give each of these agencies the presence of its people (not recorded when none)."""
    roles: dict[int, list[AttendeeRole]] = {agency_id: [] for agency_id in agency_ids}
    for attendee in minutes.attendees:
        if attendee.agency_id in roles:
            roles[attendee.agency_id].append(attendee.role)
    changes = _set_presences(
        minutes,
        {agency_id: presence_of(r) if r else None for agency_id, r in roles.items()},
    )
    db.session.flush()
    if changes:
        record_event("minutes.attendance", actor=actor, obj=minutes, changes=changes)


def _set_presences(minutes: Minutes, presences: dict[int, Presence | None]) -> dict[str, list]:
    """Write the agencies' presences; returns what changed, for the audit trail."""
    existing = {entry.agency_id: entry for entry in minutes.attendance}
    changes: dict[str, list] = {}
    for agency_id, presence in presences.items():
        entry = existing.get(agency_id)
        old = entry.presence.value if entry is not None else None
        new = presence.value if presence is not None else None
        if old == new:
            continue
        changes[str(agency_id)] = [old, new]
        if entry is None:
            minutes.attendance.append(Attendance(agency_id=agency_id, presence=presence))
        elif presence is None:
            minutes.attendance.remove(entry)
        else:
            entry.presence = presence
    return changes


def _flush_once(message) -> None:
    """Flush, turning a row recorded at the same moment elsewhere into a clear refusal."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise ValidationError(message) from None
