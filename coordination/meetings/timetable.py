"""The agenda as a timetable: each item's start and end, from the meeting's start and the items'
durations, and whether the whole fits before the meeting's end (10:00, 10:05, 10:45 ...).

An item without a duration starts when the one before it ends and takes no time of its own (a
short announcement); the next item starts at the same time. Times are instants (UTC); pages and
e-mails show them in Brussels time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from coordination.core.errors import ValidationError
from coordination.meetings.models import AgendaItem, Meeting

#: The longest an agenda item may be planned for, in minutes.
MAX_ITEM_MINUTES = 600


def check_planned_duration(minutes: int | None) -> None:
    """:raise ValidationError: a planned duration out of 1 .. ``MAX_ITEM_MINUTES``."""
    if minutes is not None and not 0 < minutes <= MAX_ITEM_MINUTES:
        raise ValidationError(_l("The planned duration must be between 1 and 600 minutes."))


@dataclass(frozen=True)
class Slot:
    item: AgendaItem
    starts_at: datetime
    #: None for an item without a duration.
    ends_at: datetime | None


@dataclass(frozen=True)
class Timetable:
    slots: list[Slot]
    #: When the last timed item ends (the meeting's start for an agenda without durations).
    ends_at: datetime
    #: By how much the agenda runs past the meeting's end (None when it fits).
    overrun: timedelta | None
    _by_item: dict[int, Slot] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Pages look a slot up per item: once, not by scanning the list each time.
        object.__setattr__(self, "_by_item", {slot.item.id: slot for slot in self.slots})

    def slot_of(self, item: AgendaItem) -> Slot | None:
        return self._by_item.get(item.id)

    @property
    def overrun_minutes(self) -> int:
        return int(self.overrun.total_seconds() // 60) if self.overrun else 0


def timetable(meeting: Meeting, items: Iterable[AgendaItem] | None = None) -> Timetable:
    """The timetable of ``items`` (the meeting's agenda by default), in agenda order."""
    ordered = sorted(
        meeting.agenda_items if items is None else items, key=lambda i: (i.position, i.id)
    )
    clock = meeting.starts_at
    slots = []
    for item in ordered:
        if item.duration_minutes:
            ends_at = clock + timedelta(minutes=item.duration_minutes)
            slots.append(Slot(item, clock, ends_at))
            clock = ends_at
        else:
            slots.append(Slot(item, clock, None))
    overrun = clock - meeting.ends_at if clock > meeting.ends_at else None
    return Timetable(slots=slots, ends_at=clock, overrun=overrun)
