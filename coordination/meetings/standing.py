"""A forum's standing items: what every new meeting of the forum finds on its agenda, at the
opening (the approval of the agenda) or at the close (any other business).

Meetings get them when they are created (scheduled or made by a series); meetings already
planned keep their agenda. On the agenda they are marked ``opening`` / ``closing``, so copying
an agenda leaves them out (the new meeting has its own) and items added later go before the
closing ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordination.agencies.models import Forum
from coordination.audit.services import record_event
from coordination.core.texts import Texts, checked_texts
from coordination.db import db
from coordination.meetings.models import AgendaItem, Meeting, StandingItem
from coordination.meetings.timetable import check_planned_duration
from coordination.users.models import User

OPENING = "opening"
CLOSING = "closing"


def standing_items(forum_id: int) -> Sequence[StandingItem]:
    """The forum's standing items: the opening ones, then the closing ones, each in the order
    they were added."""
    return db.session.scalars(
        select(StandingItem)
        .where(StandingItem.forum_id == forum_id)
        .order_by(StandingItem.closing, StandingItem.id)
    ).all()


def add_standing_item(
    forum: Forum,
    *,
    title: Texts | str,
    duration_minutes: int | None,
    closing: bool,
    actor: User | None,
) -> StandingItem:
    """Give the forum one more standing item (its next new meetings get it).

    :raise ValidationError: no title in Dutch or French, a title over 255 characters, a
        duration out of range.
    """
    check_planned_duration(duration_minutes)
    item = StandingItem(
        forum=forum,
        title=checked_texts(title, max_length=255, label=_l("Title")),
        duration_minutes=duration_minutes,
        closing=closing,
    )
    db.session.add(item)
    db.session.flush()
    record_event(
        "forum.standing_item_add",
        actor=actor,
        obj=forum,
        changes={"item": item.id, "title": str(item.title), "closing": closing},
    )
    return item


def remove_standing_item(item: StandingItem, *, actor: User | None) -> None:
    """Stop putting the item on new meetings (those that have it keep it)."""
    db.session.delete(item)
    db.session.flush()
    record_event(
        "forum.standing_item_remove",
        actor=actor,
        obj=item.forum,
        changes={"item": item.id, "title": str(item.title)},
    )


def put_standing_items(meetings: Iterable[Meeting], items: Sequence[StandingItem]) -> None:
    """Put the forum's standing ``items`` on the agendas of new ``meetings`` (no agenda yet):
    the opening ones first, the closing ones last."""
    for meeting in meetings:
        for position, standing in enumerate(items, start=1):
            db.session.add(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    title=standing.title,
                    duration_minutes=standing.duration_minutes,
                    standing=CLOSING if standing.closing else OPENING,
                )
            )
    db.session.flush()


def first_after_opening(items: Iterable[AgendaItem]) -> int:
    """The position just after the forum's opening items (1 without any): where the minutes'
    own standing items (approval of the previous minutes, follow-up review) start."""
    return 1 + sum(1 for item in items if item.standing == OPENING)


def position_before_closing(items: Iterable[AgendaItem]) -> int:
    """Where an item added "at the end" goes: before the forum's closing items (any other
    business stays last), else after every item."""
    items = list(items)
    closing = [item.position for item in items if item.standing == CLOSING]
    if closing:
        return min(closing)
    return max((item.position for item in items), default=0) + 1
