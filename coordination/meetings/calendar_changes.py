"""When a meeting's calendar event changes: ``Meeting.calendar_changed_at``, in one place.

A calendar event shows a meeting's title, times, place and online link (to those who may see
them), whether it is cancelled, and its agenda's headlines. Whatever changes one of them (a
form, a series update, a decision that puts a measure on the agenda, a standing item) goes
through the ORM, so these mapper events see every change, and only those: marking a meeting
held or finalising its agenda leaves its event as it was.

The agenda's changes are written with a plain UPDATE on the flush's connection (as mapper
events may): the meeting's version stays, so that reordering the agenda never makes someone's
edit of the meeting's details stale.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper

from coordination.db import utcnow
from coordination.meetings.models import AgendaItem, Meeting, MeetingStatus

#: The meeting's columns a calendar event shows (the sequence moves with the times).
EVENT_COLUMNS = (
    "title_nl", "title_fr", "title_en", "starts_at", "ends_at", "place_nl", "place_fr",
    "place_en", "place_confidential", "online_url", "cancellation_reason", "forum_id",
)  # fmt: skip
#: An agenda item's columns the event shows (its headline, in order).
HEADLINE_COLUMNS = ("title_nl", "title_fr", "title_en", "position", "meeting_id")


def _changed(target: Any, columns: tuple[str, ...]) -> bool:
    state = inspect(target)
    return any(state.attrs[name].history.has_changes() for name in columns)


def _cancellation_changed(meeting: Meeting) -> bool:
    """Held or scheduled read the same in a calendar; cancelled does not."""
    history = inspect(meeting).attrs.status.history
    if not history.has_changes():
        return False
    before = [MeetingStatus(value) for value in history.deleted]
    was_cancelled = bool(before) and before[0] is MeetingStatus.CANCELLED
    return was_cancelled != (meeting.status is MeetingStatus.CANCELLED)


@event.listens_for(Meeting, "before_update")
def _meeting_changed(_mapper: Mapper, _connection: Connection, meeting: Meeting) -> None:
    if _changed(meeting, EVENT_COLUMNS) or _cancellation_changed(meeting):
        meeting.calendar_changed_at = utcnow()


def _touch(connection: Connection, *meeting_ids: int | None) -> None:
    ids = {meeting_id for meeting_id in meeting_ids if meeting_id is not None}
    if ids:
        connection.execute(
            update(Meeting).where(Meeting.id.in_(ids)).values(calendar_changed_at=utcnow())
        )


@event.listens_for(AgendaItem, "after_insert")
@event.listens_for(AgendaItem, "after_delete")
def _headline_added_or_removed(_mapper: Mapper, connection: Connection, item: AgendaItem) -> None:
    _touch(connection, item.meeting_id)


@event.listens_for(AgendaItem, "after_update")
def _headline_changed(_mapper: Mapper, connection: Connection, item: AgendaItem) -> None:
    if _changed(item, HEADLINE_COLUMNS):
        moved_from = inspect(item).attrs.meeting_id.history.deleted
        _touch(connection, item.meeting_id, *moved_from)
