"""The life cycle of a meeting: which status may follow which.

scheduled -> cancelled    (with a reason; the secretariat, or a change of the series)
scheduled -> held         (once it has started)
cancelled -> scheduled    (only when a change of the series brings the date back)
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.core.errors import NotAllowed
from coordination.meetings.models import Meeting, MeetingStatus

TRANSITIONS: dict[MeetingStatus, frozenset[MeetingStatus]] = {
    MeetingStatus.SCHEDULED: frozenset({MeetingStatus.CANCELLED, MeetingStatus.HELD}),
    MeetingStatus.CANCELLED: frozenset({MeetingStatus.SCHEDULED}),
    MeetingStatus.HELD: frozenset(),
}

STATUS_LABELS = {
    MeetingStatus.SCHEDULED: _l("Scheduled"),
    MeetingStatus.CANCELLED: _l("Cancelled"),
    MeetingStatus.HELD: _l("Held"),
}


def can_move(current: MeetingStatus, target: MeetingStatus) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: MeetingStatus, target: MeetingStatus) -> None:
    """:raise NotAllowed: when ``target`` may not follow ``current``."""
    if not can_move(current, target):
        raise NotAllowed(
            _l(
                "This is not possible for a meeting with the status “%(status)s”.",
                status=STATUS_LABELS[current],
            )
        )


def move_meeting(meeting: Meeting, target: MeetingStatus) -> None:
    """Give the meeting the status ``target``, as the table allows: every change goes here.

    :raise NotAllowed: when ``target`` may not follow the meeting's status.
    """
    check_transition(meeting.status, target)
    meeting.status = target
