"""Translatable names of the minutes' statuses, presences and follow-up states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.core.labels import Labels
from coordination.minutes.diff import Change
from coordination.minutes.models import AttendeeRole, FollowUpStatus, MinutesStatus, Presence

MINUTES_STATUS_LABELS = Labels(
    MinutesStatus,
    {
        MinutesStatus.DRAFT: _l("Draft"),
        MinutesStatus.CIRCULATED: _l("Draft circulated for comments"),
        MinutesStatus.APPROVED: _l("Approved"),
        MinutesStatus.PUBLISHED: _l("Published"),
    },
)

PRESENCE_LABELS = Labels(
    Presence,
    {
        Presence.PRESENT: _l("Present"),
        Presence.EXCUSED: _l("Excused"),
        Presence.ABSENT: _l("Absent"),
    },
)

#: How a person took part, as the attendance lists them.
ATTENDEE_ROLE_LABELS = Labels(
    AttendeeRole,
    {
        AttendeeRole.PRESENT: _l("Present"),
        AttendeeRole.SUBSTITUTE: _l("Present as a substitute"),
        AttendeeRole.EXCUSED: _l("Excused"),
    },
)

FOLLOW_UP_STATUS_LABELS = Labels(
    FollowUpStatus,
    {
        FollowUpStatus.OPEN: _l("Open"),
        FollowUpStatus.IN_PROGRESS: _l("In progress"),
        FollowUpStatus.DONE: _l("Done"),
    },
)

#: Words, not colours, say what happened to a line.
CHANGE_LABELS = Labels(
    Change,
    {
        Change.ADDED: _l("added"),
        Change.REMOVED: _l("removed"),
        Change.SAME: _l("unchanged"),
        Change.SKIPPED: _l("unchanged lines not shown"),
    },
)
