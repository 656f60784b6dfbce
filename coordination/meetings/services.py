"""Operations on meeting series, meetings, agendas and documents.

Every operation takes explicit arguments (the acting user, the current time), flushes, records
an audit event and raises a ``DomainError`` with a translated message when it refuses. Changes
of time, place or status increase the meeting's ``sequence`` (calendars need it). E-mails are
written to the outbox in the same transaction as the change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, NotRequired, TypedDict, Unpack
from urllib.parse import urlsplit

# python-dateutil ships no type information (types-python-dateutil is not a dependency).
from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coordination.agencies.models import Agency, Forum
from coordination.audit.services import changes_of, record_event
from coordination.core.errors import (
    NotAllowed,
    ValidationError,
    check_version,
)
from coordination.core.texts import Texts, checked_texts, language_columns
from coordination.core.time import BRUSSELS
from coordination.db import db
from coordination.meetings import notify, standing
from coordination.meetings.convocation import convocation_for
from coordination.meetings.invitations import CANCEL, REQUEST
from coordination.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Document,
    Meeting,
    MeetingSeries,
    MeetingStatus,
)
from coordination.meetings.recurrence import (
    check_clock_changes,
    clock_change_conflict,
    localise,
    occurrence_dates,
    parse_rule,
)
from coordination.meetings.storage import (
    UploadRefused,
    display_name,
    remove_after_commit,
    store_file,
)
from coordination.meetings.timetable import check_planned_duration
from coordination.meetings.workflow import check_transition, move_meeting
from coordination.users.models import User

DEFAULT_HORIZON_MONTHS = 12
MAX_MEETING_HOURS = 24

#: Fields of a meeting that calendars care about: a change increases ``sequence``.
_CALENDAR_FIELDS = (
    "starts_at", "ends_at", *language_columns("place"), "place_confidential", "online_url",
    "status",
)  # fmt: skip


# --- helpers -------------------------------------------------------------------------------


def new_uid() -> str:
    """A globally unique, stable calendar UID for a new meeting."""
    host = urlsplit(current_app.config.get("BASE_URL") or "").hostname or "coordination.local"
    return f"{uuid.uuid4()}@{host}"


def horizon(today: date, months: int = DEFAULT_HORIZON_MONTHS) -> date:
    """The last day meetings are materialised for, ``months`` ahead of ``today``."""
    return today + relativedelta(months=months)


def _text(value: str | None, *, required: bool, max_length: int, label: Any) -> str | None:
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise ValidationError(_l("%(field)s is required.", field=label))
        return None
    if len(cleaned) > max_length:
        raise ValidationError(
            _l("%(field)s may be at most %(max)s characters.", field=label, max=max_length)
        )
    return cleaned


def _required_text(value: str | None, *, max_length: int, label: Any) -> str:
    cleaned = _text(value, required=True, max_length=max_length, label=label)
    if cleaned is None:  # _text refuses empty required values; this is for the type checker
        raise ValidationError(_l("%(field)s is required.", field=label))
    return cleaned


def _place_changed(changes: dict[str, Any]) -> bool:
    return any(name in changes for name in (*language_columns("place"), "place_confidential"))


def _online_url(value: str | None) -> str | None:
    url = _text(value, required=False, max_length=500, label=_l("Online meeting link"))
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValidationError(_l("The online meeting link must start with https://."))
    return url


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("meeting times must be timezone-aware")
    if ends_at <= starts_at:
        raise ValidationError(_l("The meeting must end after it starts."))
    if ends_at - starts_at > timedelta(hours=MAX_MEETING_HOURS):
        raise ValidationError(_l("A meeting may last at most 24 hours."))


def _check_duration(minutes: int) -> None:
    if not 0 < minutes <= MAX_MEETING_HOURS * 60:
        raise ValidationError(_l("A meeting lasts between 1 minute and 24 hours."))


def _bump_sequence_if_calendar_changed(meeting: Meeting) -> bool:
    changed = changes_of(meeting)
    if any(name in changed for name in _CALENDAR_FIELDS):
        meeting.sequence += 1
        return True
    return False


def _set_times(meeting: Meeting, starts_at: datetime, ends_at: datetime) -> None:
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    meeting.local_date = starts_at.astimezone(BRUSSELS).date()


# --- series --------------------------------------------------------------------------------


@dataclass
class SeriesChange:
    """What a change of a series did to its future meetings."""

    moved: list[Meeting] = field(default_factory=list)
    added: list[Meeting] = field(default_factory=list)
    cancelled: list[Meeting] = field(default_factory=list)
    retitled: list[Meeting] = field(default_factory=list)

    @property
    def touches_calendars(self) -> bool:
        return bool(self.moved or self.added or self.cancelled)


class MeetingDetails(TypedDict):
    """What a meeting or a series says besides its times (keyword arguments of the services
    that create or change them, built by their forms)."""

    title: Texts | str
    place: NotRequired[Texts | str | None]
    #: Only full members see a confidential place; it never goes into an e-mail or a PDF.
    place_confidential: NotRequired[bool]
    online_url: NotRequired[str | None]


class SeriesSettings(MeetingDetails):
    """What a series is made of (keyword arguments of :func:`create_series` and
    :func:`update_series`, built by the series form)."""

    #: RFC 5545 recurrence rule without DTSTART, e.g. "FREQ=MONTHLY;BYDAY=2TU".
    rrule: str
    starts_on: date
    start_time: time
    duration_minutes: int
    ends_on: NotRequired[date | None]


def _details_fields(details: MeetingDetails) -> dict[str, Any]:
    """The column values of ``details``, checked: a confidential place needs a place.

    :raise ValidationError: missing title, a text too long, a bad link.
    """
    place = checked_texts(details.get("place"), required=False, max_length=300, label=_l("Place"))
    return {
        "title": checked_texts(details["title"], max_length=200, label=_l("Title")),
        "place": place,
        "place_confidential": bool(details.get("place_confidential") and place),
        "online_url": _online_url(details.get("online_url")),
    }


def _series_fields(settings: SeriesSettings) -> dict[str, Any]:
    """The series' column values from ``settings``, checked.

    :raise RecurrenceError: for a rule that is not acceptable.
    :raise ValidationError: for an end before the start, a duration out of range, a bad link.
    """
    rule = parse_rule(settings["rrule"])
    starts_on, ends_on = settings["starts_on"], settings.get("ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_l("The series cannot end before it starts."))
    _check_duration(settings["duration_minutes"])
    return {
        **_details_fields(settings),
        "rrule": rule.text,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "start_time": settings["start_time"].replace(second=0, microsecond=0, tzinfo=None),
        "duration_minutes": settings["duration_minutes"],
    }


def _check_series_clock_changes(fields: dict[str, Any], *, first: date, last: date) -> None:
    """Refuse series settings that would move a meeting, or change its length, on a night the
    clocks change between ``first`` and ``last`` (the meetings the operation creates or
    changes): the user chooses another time instead of finding out later.

    :raise ClockChangeError: naming the first such date and the change.
    """
    check_clock_changes(
        fields["rrule"], starts_on=fields["starts_on"], start_time=fields["start_time"],
        duration_minutes=fields["duration_minutes"], first=first, last=last,
        ends_on=fields["ends_on"],
    )  # fmt: skip


def _meeting_from_series(series: MeetingSeries, day: date) -> Meeting:
    starts_at, ends_at = localise(day, series.start_time, series.duration_minutes)
    return Meeting(
        forum_id=series.forum_id,
        series=series,
        occurrence_date=day,
        title=series.title,
        starts_at=starts_at,
        ends_at=ends_at,
        local_date=starts_at.astimezone(BRUSSELS).date(),
        place=series.place,
        place_confidential=series.place_confidential,
        online_url=series.online_url,
        status=MeetingStatus.SCHEDULED,
        uid=new_uid(),
    )


def _apply_series_to(meeting: Meeting, series: MeetingSeries) -> None:
    day = meeting.occurrence_date or meeting.local_date
    starts_at, ends_at = localise(day, series.start_time, series.duration_minutes)
    _set_times(meeting, starts_at, ends_at)
    meeting.title = series.title
    meeting.place = series.place
    meeting.place_confidential = series.place_confidential
    meeting.online_url = series.online_url


def create_series(
    forum: Forum,
    *,
    actor: User | None,
    today: date,
    horizon_months: int = DEFAULT_HORIZON_MONTHS,
    notify_members: bool = True,
    **settings: Unpack[SeriesSettings],
) -> MeetingSeries:
    """Create a series and materialise its meetings up to the horizon; tell the members.

    :raise RecurrenceError: for a rule that is not acceptable.
    :raise ClockChangeError: when a meeting up to the horizon falls on a night the clocks
        change and cannot keep its wall-clock times and length there.
    :raise ValidationError: for an end before the start, a duration out of range, a bad link.
    """
    fields = _series_fields(settings)
    until = horizon(today, horizon_months)
    _check_series_clock_changes(fields, first=fields["starts_on"], last=until)
    series = MeetingSeries(forum=forum, **fields)
    db.session.add(series)
    db.session.flush()
    record_event(
        "meeting_series.create",
        actor=actor,
        obj=series,
        changes={"forum": forum.code, "rrule": series.rrule, "title": series.title},
    )
    created = materialise_series(series, until, actor=actor).created
    if notify_members:
        upcoming = [m for m in created if m.local_date >= today]
        notify.notify_series(
            series, "meeting_series_scheduled", reason="series.create", meetings=upcoming
        )
    return series


@dataclass
class SkippedOccurrence:
    """A date of a series left without a meeting because the clocks change that night."""

    series_id: int
    day: date
    #: Why, in the user's language when shown (lazy): the message names the change.
    reason: Any


@dataclass
class Materialised:
    """What :func:`materialise_series` did: the meetings it created and the dates it skipped."""

    created: list[Meeting] = field(default_factory=list)
    skipped: list[SkippedOccurrence] = field(default_factory=list)


def materialise_series(
    series: MeetingSeries, until: date, *, actor: User | None = None
) -> Materialised:
    """Create the meetings of a series that do not exist yet, up to ``until`` (inclusive).

    Idempotent: a date that already has a meeting (moved, cancelled or not) is never created
    twice (the unique ``(series_id, occurrence_date)`` guarantees it). A date on which the
    meeting cannot keep its wall-clock times and length (the clocks change that night) gets
    no meeting: it is skipped, returned and recorded in the audit log, never retried.
    """
    last = min(until, series.ends_on) if series.ends_on else until
    if series.materialised_until is not None:
        first = series.materialised_until + timedelta(days=1)
    else:
        first = series.starts_on
    if last < first:
        return Materialised()
    days = occurrence_dates(
        series.rrule,
        starts_on=series.starts_on,
        start_time=series.start_time,
        first=first,
        last=last,
        ends_on=series.ends_on,
    )
    existing = set(
        db.session.scalars(
            select(Meeting.occurrence_date).where(
                Meeting.series_id == series.id,
                Meeting.occurrence_date >= first,
                Meeting.occurrence_date <= last,
            )
        )
    )
    result = Materialised()
    for day in days:
        if day in existing:
            continue
        conflict = clock_change_conflict(day, series.start_time, series.duration_minutes)
        if conflict is not None:
            # Creating or changing a series refuses such a night within its horizon; only an
            # extension reaches one, and one impossible night must not stop every series.
            result.skipped.append(SkippedOccurrence(series.id, day, conflict.message))
            continue
        meeting = _meeting_from_series(series, day)
        db.session.add(meeting)
        result.created.append(meeting)
    series.materialised_until = last
    db.session.flush()
    if result.created:
        standing.put_standing_items(result.created, standing.standing_items(series.forum_id))
    if result.skipped:
        record_event(
            "meeting_series.skip_clock_change",
            actor=actor,
            obj=series,
            changes={
                "skipped": [skipped.day.isoformat() for skipped in result.skipped],
                "reasons": [str(skipped.reason) for skipped in result.skipped],
            },
        )
    if result.created:
        record_event(
            "meeting_series.materialise",
            actor=actor,
            obj=series,
            changes={
                "created": len(result.created),
                "first": result.created[0].local_date.isoformat(),
                "last": result.created[-1].local_date.isoformat(),
            },
        )
    return result


def update_series(
    series: MeetingSeries,
    *,
    expected_version: int | None,
    actor: User | None,
    now: datetime,
    notify_members: bool = True,
    **settings: Unpack[SeriesSettings],
) -> SeriesChange:
    """Change a series and its FUTURE meetings that nobody edited by hand.

    Past meetings and detached (hand-edited, rescheduled, cancelled by hand) meetings never
    change. Future dates the new rule no longer produces are cancelled; dates it now produces
    get a meeting; a date the rule brings back reinstates the meeting it had cancelled.

    :raise ConflictError: when the series changed since ``expected_version``.
    :raise RecurrenceError: for a rule that is not acceptable.
    :raise ClockChangeError: when a future meeting up to the horizon falls on a night the
        clocks change and cannot keep its wall-clock times and length there.
    :raise ValidationError: as :func:`create_series`.
    """
    check_version(series, expected_version)
    fields = _series_fields(settings)
    today = now.astimezone(BRUSSELS).date()
    # Past meetings never change; the future ones are re-timed up to where meetings exist.
    furthest = max(series.materialised_until or today, horizon(today))
    _check_series_clock_changes(fields, first=today, last=furthest)
    for name, value in fields.items():
        setattr(series, name, value)
    changes = changes_of(series)
    result = SeriesChange()
    if not changes:
        return result
    record_event("meeting_series.update", actor=actor, obj=series, changes=changes)

    last = series.materialised_until or today
    wanted = set(
        occurrence_dates(
            series.rrule,
            starts_on=series.starts_on,
            start_time=series.start_time,
            first=today,
            last=last,
            ends_on=series.ends_on,
        )
    )
    future = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.series_id == series.id,
            Meeting.starts_at > now,
            Meeting.detached.is_(False),
            Meeting.status != MeetingStatus.HELD,
        )
        .order_by(Meeting.starts_at)
    ).all()
    reason = gettext("No longer part of the series after a change of the series.")
    for meeting in future:
        if meeting.occurrence_date in wanted:
            if meeting.status is MeetingStatus.CANCELLED:
                move_meeting(meeting, MeetingStatus.SCHEDULED)
                meeting.cancellation_reason = None
            _apply_series_to(meeting, series)
            if _bump_sequence_if_calendar_changed(meeting):
                (result.added if "status" in changes_of(meeting) else result.moved).append(meeting)
            elif any(name in changes_of(meeting) for name in language_columns("title")):
                result.retitled.append(meeting)
        elif meeting.status is MeetingStatus.SCHEDULED:
            move_meeting(meeting, MeetingStatus.CANCELLED)
            meeting.cancellation_reason = reason
            meeting.sequence += 1
            result.cancelled.append(meeting)

    taken = set(
        db.session.scalars(
            select(Meeting.occurrence_date).where(
                Meeting.series_id == series.id, Meeting.occurrence_date.in_(wanted)
            )
        )
    )
    for day in sorted(wanted - taken):
        meeting = _meeting_from_series(series, day)
        if meeting.starts_at <= now:
            continue
        db.session.add(meeting)
        result.added.append(meeting)
    db.session.flush()
    if result.added:
        standing.put_standing_items(result.added, standing.standing_items(series.forum_id))
    # A later end date (or a series that had ended) gets its meetings up to the horizon now.
    later = materialise_series(series, horizon(today), actor=actor).created
    result.added += [meeting for meeting in later if meeting.starts_at > now]
    if result.touches_calendars or result.retitled:
        record_event(
            "meeting_series.apply",
            actor=actor,
            obj=series,
            changes={
                "moved": [m.id for m in result.moved],
                "added": [m.id for m in result.added],
                "cancelled": [m.id for m in result.cancelled],
                "retitled": [m.id for m in result.retitled],
            },
        )
    if notify_members and result.touches_calendars:
        notify.notify_series(
            series,
            "meeting_series_changed",
            reason="series.update",
            meetings=result.moved + result.added,
            cancelled=result.cancelled,
        )
    return result


@dataclass
class ExtendReport:
    series: int = 0
    created: int = 0
    until: date | None = None
    #: Dates left without a meeting because the clocks change that night (see the reason).
    skipped: list[SkippedOccurrence] = field(default_factory=list)


#: How far one click of "extend" takes a series, and the furthest it may go ahead of today.
EXTEND_STEP_MONTHS = 12
MAX_HORIZON_MONTHS = 60


def extend_series(series: MeetingSeries, *, today: date, actor: User | None) -> Materialised:
    """Create a series' meetings twelve months further than it has them (the nightly command
    keeps the usual horizon; this is the secretariat's button for planning further ahead).

    :raise NotAllowed: the series has ended, or already has meetings five years ahead.
    """
    if series.is_complete:
        raise NotAllowed(_l("This series has ended: it has no meetings left to create."))
    furthest = horizon(today, MAX_HORIZON_MONTHS)
    start = max(series.materialised_until or today, today)
    if start >= furthest:
        raise NotAllowed(_l("This series already has meetings five years ahead."))
    until = min(start + relativedelta(months=EXTEND_STEP_MONTHS), furthest)
    materialised = materialise_series(series, until, actor=actor)
    record_event(
        "series.extend",
        actor=actor,
        obj=series,
        changes={"until": until.isoformat(), "created": len(materialised.created)},
    )
    return materialised


def extend_all_series(
    today: date, months: int = DEFAULT_HORIZON_MONTHS, *, actor: User | None = None
) -> ExtendReport:
    """Materialise every active series up to ``months`` ahead of ``today``; idempotent.

    A date on which a meeting cannot keep its wall-clock times and length (the clocks change
    that night) is skipped and listed in the report's ``skipped``.

    :raise ValidationError: for a horizon that is not between 1 and 60 months.
    """
    if not 1 <= months <= 60:
        raise ValidationError(_l("The horizon must be between 1 and 60 months."))
    until = horizon(today, months)
    report = ExtendReport(until=until)
    # Lock the series rows: two runs at once wait for each other instead of colliding.
    all_series = db.session.scalars(
        select(MeetingSeries)
        .where(MeetingSeries.active.is_(True))
        .order_by(MeetingSeries.id)
        .with_for_update()
    ).all()
    for series in all_series:
        report.series += 1
        materialised = materialise_series(series, until, actor=actor)
        report.created += len(materialised.created)
        report.skipped += materialised.skipped
    return report


# --- meetings ------------------------------------------------------------------------------


def schedule_meeting(
    forum: Forum,
    *,
    starts_at: datetime,
    ends_at: datetime,
    actor: User | None,
    now: datetime,
    notify_members: bool = True,
    **details: Unpack[MeetingDetails],
) -> Meeting:
    """Create a one-off meeting of a forum and tell the members (when it is in the future).

    :raise ValidationError: missing title, end before start, a meeting over 24 hours, bad link.
    """
    _check_times(starts_at, ends_at)
    meeting = Meeting(
        forum=forum, status=MeetingStatus.SCHEDULED, uid=new_uid(), **_details_fields(details)
    )
    _set_times(meeting, starts_at, ends_at)
    db.session.add(meeting)
    db.session.flush()
    standing.put_standing_items([meeting], standing.standing_items(forum.id))
    record_event(
        "meeting.schedule",
        actor=actor,
        obj=meeting,
        changes={"forum": forum.code, "starts_at": meeting.starts_at.isoformat()},
    )
    if notify_members and meeting.starts_at > now:
        notify.notify_meeting(
            meeting, "meeting_scheduled", reason="meeting.schedule", invitation_method=REQUEST
        )
    return meeting


def reschedule_meeting(
    meeting: Meeting,
    *,
    expected_version: int | None,
    starts_at: datetime,
    ends_at: datetime,
    actor: User | None,
    now: datetime,
    place: Texts | str | None = None,
    place_confidential: bool = False,
    notify_members: bool = True,
) -> Meeting:
    """Move a scheduled meeting to another time (and place); it leaves its series' control.

    :raise ConflictError: when the meeting changed since ``expected_version``.
    :raise NotAllowed: for a cancelled or held meeting.
    :raise ValidationError: for bad times, or when nothing would change.
    """
    check_version(meeting, expected_version)
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise NotAllowed(_l("Only a scheduled meeting can be rescheduled."))
    _check_times(starts_at, ends_at)
    previous_start, previous_end = meeting.starts_at, meeting.ends_at
    place = checked_texts(place, required=False, max_length=300, label=_l("Place"))
    _set_times(meeting, starts_at, ends_at)
    meeting.place = place
    meeting.place_confidential = bool(place_confidential and place)
    changes = changes_of(meeting)
    if not changes:
        raise ValidationError(_l("Nothing would change: choose another date, time or place."))
    meeting.detached = True
    meeting.sequence += 1
    record_event("meeting.reschedule", actor=actor, obj=meeting, changes=changes)
    if notify_members and max(meeting.starts_at, previous_start) > now:
        notify.notify_meeting(
            meeting,
            "meeting_rescheduled",
            reason="meeting.reschedule",
            invitation_method=REQUEST,
            previous_start=previous_start,
            previous_end=previous_end,
            place_changed=_place_changed(changes),
        )
    return meeting


def cancel_meeting(
    meeting: Meeting,
    *,
    expected_version: int | None,
    reason: str,
    actor: User | None,
    now: datetime,
    notify_members: bool = True,
) -> Meeting:
    """Cancel a scheduled meeting with a reason shown to the members (and in the e-mail).

    :raise ConflictError: when the meeting changed since ``expected_version``.
    :raise NotAllowed: when the meeting is not scheduled.
    :raise ValidationError: without a reason.
    """
    check_version(meeting, expected_version)
    check_transition(meeting.status, MeetingStatus.CANCELLED)
    cleaned = _required_text(reason, max_length=1000, label=_l("Reason"))
    move_meeting(meeting, MeetingStatus.CANCELLED)
    meeting.cancellation_reason = cleaned
    meeting.detached = True
    meeting.sequence += 1
    record_event("meeting.cancel", actor=actor, obj=meeting, changes=changes_of(meeting))
    if notify_members and meeting.starts_at > now:
        notify.notify_meeting(
            meeting, "meeting_cancelled", reason="meeting.cancel", invitation_method=CANCEL
        )
    return meeting


def mark_meeting_held(
    meeting: Meeting, *, expected_version: int | None, actor: User | None, now: datetime
) -> Meeting:
    """Record that a scheduled meeting took place.

    :raise ConflictError: when the meeting changed since ``expected_version``.
    :raise NotAllowed: when it is not scheduled or has not started yet.
    """
    check_version(meeting, expected_version)
    check_transition(meeting.status, MeetingStatus.HELD)
    if meeting.starts_at > now:
        raise NotAllowed(_l("A meeting can be marked as held once it has started."))
    move_meeting(meeting, MeetingStatus.HELD)
    meeting.sequence += 1
    record_event("meeting.held", actor=actor, obj=meeting, changes=changes_of(meeting))
    return meeting


def update_meeting_details(
    meeting: Meeting,
    *,
    expected_version: int | None,
    actor: User | None,
    now: datetime,
    notify_members: bool = True,
    **details: Unpack[MeetingDetails],
) -> bool:
    """Change a meeting's title, place or link by hand; it leaves its series' control.

    Returns whether anything changed. A new place is e-mailed to the members (without the
    place itself when it is confidential).

    :raise ConflictError: when the meeting changed since ``expected_version``.
    :raise ValidationError: missing title, bad link.
    """
    check_version(meeting, expected_version)
    for name, value in _details_fields(details).items():
        setattr(meeting, name, value)
    changes = changes_of(meeting)
    if not changes:
        return False
    meeting.detached = True
    _bump_sequence_if_calendar_changed(meeting)
    record_event("meeting.update", actor=actor, obj=meeting, changes=changes)
    place_changed = _place_changed(changes)
    if (
        notify_members
        and place_changed
        and meeting.status is MeetingStatus.SCHEDULED
        and meeting.starts_at > now
    ):
        notify.notify_meeting(
            meeting,
            "meeting_rescheduled",
            reason="meeting.update",
            invitation_method=REQUEST,
            previous_start=meeting.starts_at,
            previous_end=meeting.ends_at,
            place_changed=True,
        )
    return True


# --- agenda --------------------------------------------------------------------------------


def _check_agenda_open(meeting: Meeting) -> None:
    if meeting.status is MeetingStatus.CANCELLED:
        raise NotAllowed(_l("The meeting is cancelled: its agenda can no longer change."))


def _record_if_final(meeting: Meeting, actor: User | None, operation: str, **details: Any) -> None:
    """Changes to a final agenda are recorded on the meeting, with what changed."""
    if meeting.agenda_final:
        record_event(
            "agenda.changed_after_final",
            actor=actor,
            obj=meeting,
            changes={"operation": operation, **details},
        )


class AgendaItemFields(TypedDict):
    """What an agenda item says (keyword arguments of :func:`add_agenda_item` and
    :func:`update_agenda_item`, built by the agenda item form)."""

    title: Texts | str
    kind: NotRequired[AgendaItemKind]
    presenting_agency: NotRequired[Agency | None]
    #: Planned minutes: the timetable computes the start times from them.
    duration_minutes: NotRequired[int | None]
    description: NotRequired[Texts | str | None]


def _agenda_fields(fields: AgendaItemFields) -> dict[str, Any]:
    """The item's column values from ``fields``, checked (an information item by default).

    :raise ValidationError: missing title, duration out of range.
    """
    duration_minutes = fields.get("duration_minutes")
    check_planned_duration(duration_minutes)
    return {
        "title": checked_texts(fields["title"], max_length=255, label=_l("Title")),
        "kind": AgendaItemKind(fields.get("kind", AgendaItemKind.INFORMATION)),
        "presenting_agency": fields.get("presenting_agency"),
        "duration_minutes": duration_minutes,
        "description": checked_texts(
            fields.get("description"), required=False, label=_l("Description")
        ),
    }


def insert_agenda_item(meeting: Meeting, item: AgendaItem, position: int | None = None) -> None:
    """Put the new ``item`` on ``meeting``'s agenda at ``position`` (by default the end, before
    the forum's closing items), the items from there moving down one; flushed, so that the
    caller can record its id."""
    if position is None:
        position = standing.position_before_closing(meeting.agenda_items)
    for other in meeting.agenda_items:
        if other.position >= position:
            other.position += 1
    item.position = position
    item.meeting = meeting
    db.session.add(item)
    db.session.flush()


def add_agenda_item(
    meeting: Meeting, *, actor: User | None, **fields: Unpack[AgendaItemFields]
) -> AgendaItem:
    """Add an item at the end of the agenda.

    :raise NotAllowed: for a cancelled meeting.
    :raise ValidationError: missing title, duration out of range.
    """
    _check_agenda_open(meeting)
    item = AgendaItem(**_agenda_fields(fields))
    insert_agenda_item(meeting, item)
    changes = {"meeting_id": meeting.id, "title": item.title, "position": item.position}
    record_event("agenda_item.add", actor=actor, obj=item, changes=changes)
    _record_if_final(meeting, actor, "add", item_id=item.id, title=item.title)
    return item


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The forum's last meeting before ``meeting`` that was not cancelled."""
    return db.session.scalar(
        select(Meeting)
        .where(
            Meeting.forum_id == meeting.forum_id,
            Meeting.starts_at < meeting.starts_at,
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )


def copyable_items(meeting: Meeting) -> list[AgendaItem]:
    """The items of ``meeting`` that another meeting's agenda may take over: not those about a
    measure (each goes on an agenda from its measure) nor those the minutes put there."""
    return [
        item
        for item in sorted(meeting.agenda_items, key=lambda i: i.position)
        if item.measure_id is None and item.standing is None
    ]


@dataclass(frozen=True)
class AgendaSource:
    meeting: Meeting
    items: list[AgendaItem]


def agenda_to_copy(meeting: Meeting) -> AgendaSource | None:
    """The previous meeting of the forum and the items its agenda could give ``meeting``."""
    previous = previous_meeting(meeting)
    if previous is None:
        return None
    items = copyable_items(previous)
    return AgendaSource(previous, items) if items else None


def copy_previous_agenda(meeting: Meeting, *, actor: User | None) -> list[AgendaItem]:
    """Add the items of the forum's previous meeting at the end of ``meeting``'s agenda: titles,
    types, presenters, durations and descriptions (see :func:`copyable_items`).

    :raise NotAllowed: for a cancelled meeting, or nothing to copy.
    """
    _check_agenda_open(meeting)
    previous = previous_meeting(meeting)
    items = copyable_items(previous) if previous is not None else []
    if previous is None or not items:
        raise NotAllowed(_l("The previous meeting of this forum has no agenda to copy."))
    copies = []
    for source in items:
        copy = AgendaItem(
            title=source.title,
            kind=source.kind,
            presenting_agency_id=source.presenting_agency_id,
            duration_minutes=source.duration_minutes,
            description=source.description,
        )
        insert_agenda_item(meeting, copy)
        copies.append(copy)
    record_event(
        "agenda.copy",
        actor=actor,
        obj=meeting,
        changes={"from_meeting_id": previous.id, "items": len(copies)},
    )
    _record_if_final(meeting, actor, "copy", items=len(copies))
    return copies


def update_agenda_item(
    item: AgendaItem,
    *,
    expected_version: int | None,
    actor: User | None,
    **fields: Unpack[AgendaItemFields],
) -> bool:
    """Change an agenda item; returns whether anything changed.

    :raise ConflictError: when the item changed since ``expected_version``.
    :raise NotAllowed: for a cancelled meeting.
    :raise ValidationError: missing title, duration out of range.
    """
    check_version(item, expected_version)
    _check_agenda_open(item.meeting)
    for name, value in _agenda_fields(fields).items():
        setattr(item, name, value)
    changes = changes_of(item)
    if not changes:
        return False
    record_event("agenda_item.update", actor=actor, obj=item, changes=changes)
    _record_if_final(item.meeting, actor, "update", item_id=item.id, changes=changes)
    return True


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position


def remove_agenda_item(
    item: AgendaItem, *, expected_version: int | None, actor: User | None
) -> None:
    """Remove an item; its documents stay attached to the meeting; the rest is renumbered.

    :raise ConflictError: when the item changed since ``expected_version``.
    :raise NotAllowed: for a cancelled meeting, or an item a decision was taken on.
    """
    check_version(item, expected_version)
    meeting = item.meeting
    _check_agenda_open(meeting)
    details = {"meeting_id": meeting.id, "title": item.title, "position": item.position}
    record_event("agenda_item.remove", actor=actor, obj=item, changes=details)
    _record_if_final(meeting, actor, "remove", item_id=item.id, title=item.title)
    for document in list(item.documents):
        document.agenda_item = None
    meeting.agenda_items.remove(item)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # a decision was recorded on it (coordination.decisions)
        raise NotAllowed(_l("A decision was taken on this item: it stays on the agenda.")) from None
    _renumber(sorted(meeting.agenda_items, key=lambda i: i.position))
    db.session.flush()


def move_agenda_item(
    item: AgendaItem, *, offset: int | None = None, to: int | None = None, actor: User | None
) -> bool:
    """Move an item up (``offset`` -1) or down (+1), or ``to`` a position (1-based, as the
    page's drag and drop asks: beyond the end means last); returns whether it moved.

    A move is relative to the current order, so it needs no version: two people moving
    items at once both get what they asked for, applied to the order as it then is.

    :raise NotAllowed: for a cancelled meeting.
    """
    meeting = item.meeting
    _check_agenda_open(meeting)
    items = sorted(meeting.agenda_items, key=lambda i: (i.position, i.id))
    index = items.index(item)
    if to is not None:
        target = min(max(to, 1), len(items)) - 1
    else:
        target = index + (1 if (offset or 0) > 0 else -1)
    if not 0 <= target < len(items) or target == index:
        return False
    old_position = item.position
    items.insert(target, items.pop(index))
    _renumber(items)
    db.session.flush()
    record_event(
        "agenda_item.move",
        actor=actor,
        obj=item,
        changes={"position": [old_position, item.position]},
    )
    _record_if_final(
        meeting, actor, "move", item_id=item.id, position=[old_position, item.position]
    )
    return True


def finalise_agenda(
    meeting: Meeting,
    *,
    expected_version: int | None,
    actor: User | None,
    now: datetime,
    notify_members: bool = True,
) -> Meeting:
    """Mark the agenda final and e-mail the members; later changes are recorded.

    :raise ConflictError: when the meeting changed since ``expected_version``.
    :raise NotAllowed: already final, or the meeting is cancelled.
    :raise ValidationError: an empty agenda.
    """
    check_version(meeting, expected_version)
    _check_agenda_open(meeting)
    if meeting.agenda_final:
        raise NotAllowed(_l("The agenda is already final."))
    if not meeting.agenda_items:
        raise ValidationError(_l("Add at least one item before marking the agenda final."))
    meeting.agenda_final = True
    meeting.agenda_finalised_at = now
    record_event(
        "agenda.finalise",
        actor=actor,
        obj=meeting,
        changes={"items": [item.title for item in meeting.agenda_items]},
    )
    if notify_members and meeting.starts_at > now:
        notify.notify_meeting(
            meeting,
            "meeting_agenda_final",
            reason="agenda.finalise",
            invitation_method=REQUEST,
            html=partial(convocation_for, meeting),
            items=sorted(meeting.agenda_items, key=lambda i: i.position),
        )
    return meeting


# --- documents -----------------------------------------------------------------------------


def store_document(
    meeting: Meeting,
    *,
    stream: BinaryIO,
    filename: str | None,
    actor: User | None,
    upload_dir: str | Path,
    max_bytes: int,
    agenda_item: AgendaItem | None = None,
) -> Document:
    """Check, store and attach a file to a meeting (or one of its agenda items).

    :raise UploadRefused: type not allowed, content not matching the type, empty, too large.
    :raise ValidationError: an agenda item of another meeting.
    """
    if agenda_item is not None and agenda_item.meeting_id != meeting.id:
        raise ValidationError(_l("This agenda item belongs to another meeting."))
    stored = store_file(stream, filename, upload_dir=upload_dir, max_bytes=max_bytes)
    document = Document(
        meeting=meeting,
        agenda_item=agenda_item,
        filename=stored.filename,
        media_type=stored.media_type,
        size_bytes=stored.size_bytes,
        content_hash=stored.content_hash,
        uploaded_by=actor,
    )
    db.session.add(document)
    db.session.flush()
    record_event(
        "document.upload",
        actor=actor,
        obj=document,
        changes={
            "meeting_id": meeting.id,
            "agenda_item_id": agenda_item.id if agenda_item else None,
            "filename": document.filename,
            "size_bytes": document.size_bytes,
            "content_hash": document.content_hash,
        },
    )
    return document


#: Files one upload may carry (the request's size limit bounds their total too).
MAX_FILES_AT_ONCE = 20


@dataclass(frozen=True)
class Upload:
    """One file of an upload and where it goes (the meeting as a whole: no item)."""

    stream: BinaryIO
    filename: str | None
    agenda_item: AgendaItem | None = None


def store_documents(
    meeting: Meeting,
    uploads: list[Upload],
    *,
    actor: User | None,
    upload_dir: str | Path,
    max_bytes: int,
) -> list[Document]:
    """Attach several files at once, each to the meeting or one of its items: all of them, or
    none when one is refused (the message names it).

    :raise UploadRefused: no file, too many, or one refused by :func:`store_document`.
    :raise ValidationError: an agenda item of another meeting.
    """
    if not uploads:
        raise UploadRefused(_l("Choose a file to upload."))
    if len(uploads) > MAX_FILES_AT_ONCE:
        raise UploadRefused(_l("At most %(max)d files at once.", max=MAX_FILES_AT_ONCE))
    documents = []
    for upload in uploads:
        try:
            documents.append(
                store_document(
                    meeting,
                    stream=upload.stream,
                    filename=upload.filename,
                    actor=actor,
                    upload_dir=upload_dir,
                    max_bytes=max_bytes,
                    agenda_item=upload.agenda_item,
                )
            )
        except UploadRefused as refusal:
            if len(uploads) == 1:
                raise
            raise UploadRefused(
                _l(
                    "%(name)s: %(reason)s Nothing was attached.",
                    name=display_name(upload.filename),
                    reason=refusal.message,
                )
            ) from None
    return documents


def attach_document(
    document: Document, agenda_item: AgendaItem | None, *, actor: User | None
) -> None:
    """Attach a document to another item of its meeting (None: the meeting as a whole).

    :raise ValidationError: an agenda item of another meeting.
    """
    if agenda_item is not None and agenda_item.meeting_id != document.meeting_id:
        raise ValidationError(_l("This agenda item belongs to another meeting."))
    old = document.agenda_item_id
    document.agenda_item = agenda_item
    db.session.flush()
    record_event(
        "document.attach",
        actor=actor,
        obj=document,
        changes={"agenda_item_id": [old, agenda_item.id if agenda_item else None]},
    )


def delete_document(document: Document, *, actor: User | None, upload_dir: str | Path) -> None:
    """Delete a document; the audit log keeps who uploaded what, and who deleted it.

    The file itself goes once the deletion is committed and no other document shares it.
    """
    record_event(
        "document.delete",
        actor=actor,
        obj=document,
        changes={
            "meeting_id": document.meeting_id,
            "agenda_item_id": document.agenda_item_id,
            "filename": document.filename,
            "media_type": document.media_type,
            "size_bytes": document.size_bytes,
            "content_hash": document.content_hash,
            "uploaded_by": document.uploaded_by.email if document.uploaded_by else None,
            "uploaded_at": document.uploaded_at.isoformat(),
        },
    )
    content_hash = document.content_hash
    db.session.delete(document)
    db.session.flush()
    remove_after_commit(db.session(), upload_dir, content_hash)
