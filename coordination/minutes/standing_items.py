"""The standing items a forum's next meeting gets from the minutes of the last one: the
approval of those minutes (first, when they are circulated) and the follow-up of the actions
still open (when they are published)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import force_locale
from sqlalchemy import select

from coordination.audit.services import record_event
from coordination.core.i18n import babel_locale
from coordination.core.templating import brussels_date
from coordination.core.texts import CONTENT_LANGUAGES, Texts
from coordination.core.time import to_brussels
from coordination.db import db, utcnow
from coordination.meetings.models import AgendaItem, AgendaItemKind, Meeting, MeetingStatus
from coordination.meetings.services import insert_agenda_item
from coordination.meetings.standing import first_after_opening
from coordination.minutes.models import FollowUpAction, FollowUpStatus, Minutes
from coordination.users.models import User

#: The standing first item of the next meeting, in each language.
APPROVAL_ITEM_TITLE = {
    "nl": "Goedkeuring van de notulen van de vergadering van {date}",
    "fr": "Approbation du procès-verbal de la réunion du {date}",
    "en": "Approval of the minutes of the meeting of {date}",
}


def approval_item_title(day: date) -> Texts:
    """ "Approval of the minutes of the meeting of 14 May 2024", in each language."""
    titles = {}
    for language, title in APPROVAL_ITEM_TITLE.items():
        with force_locale(babel_locale(language)):
            titles[language] = title.format(date=brussels_date(day))
    return Texts(**titles)


def next_meeting_of_forum(meeting: Meeting, *, at: datetime) -> Meeting | None:
    """The forum's first meeting after ``meeting`` that has not started at ``at`` and is not
    cancelled: the one that can still put the approval on its agenda."""
    return db.session.scalar(
        select(Meeting)
        .where(
            Meeting.forum_id == meeting.forum_id,
            Meeting.starts_at > meeting.starts_at,
            Meeting.starts_at > at,
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def put_approval_on_next_agenda(minutes: Minutes, actor: User | None, at: datetime) -> None:
    """The standing first item of the forum's next meeting: the approval of these minutes
    (once: circulating again after a recall keeps it)."""
    if minutes.approval_item is not None:
        return
    following = next_meeting_of_forum(minutes.meeting, at=at)
    if following is None:  # approved by written procedure, or once the meeting is planned
        return
    minutes.approval_item = _insert_item(
        following,
        position=first_after_opening(following.agenda_items),
        title=approval_item_title(minutes.meeting.local_date),
        kind=AgendaItemKind.DECISION,
        standing="approval",
        minutes=minutes,
        actor=actor,
    )


#: The review of the open follow-up actions, in each language (one per meeting).
FOLLOW_UP_REVIEW_TITLE = Texts(
    nl="Opvolging van de acties", fr="Suivi des actions", en="Follow-up of actions"
)
_OPEN_ON = {"nl": "Open op {date}:", "fr": "Ouvertes au {date}\u202f:", "en": "Open on {date}:"}


def put_follow_up_review_on_next_agenda(minutes: Minutes, actor: User | None, at: datetime) -> None:
    """Once the minutes are published, the forum's next meeting reviews their open follow-up
    actions: an item after the approvals, listing them with owner and due date as they stand
    (once per meeting: the minutes of several meetings share it)."""
    still_open = [
        action for action in minutes.follow_ups if action.status is not FollowUpStatus.DONE
    ]
    if not still_open:
        return
    following = next_meeting_of_forum(minutes.meeting, at=at)
    if following is None or any(
        item.title == FOLLOW_UP_REVIEW_TITLE for item in following.agenda_items
    ):
        return
    approvals = set(
        db.session.scalars(
            select(Minutes.approval_item_id).where(
                Minutes.approval_item_id.in_([item.id for item in following.agenda_items])
            )
        )
    )
    _insert_item(
        following,
        position=first_after_opening(following.agenda_items) + len(approvals),
        title=FOLLOW_UP_REVIEW_TITLE,
        description=_open_actions_text(still_open, to_brussels(at).date()),
        kind=AgendaItemKind.DISCUSSION,
        standing="follow_up",
        minutes=minutes,
        actor=actor,
    )


def _insert_item(
    meeting: Meeting,
    *,
    position: int,
    title: Texts,
    kind: AgendaItemKind,
    standing: str,
    minutes: Minutes,
    actor: User | None,
    description: Texts | None = None,
) -> AgendaItem:
    """A standing item at ``position`` of ``meeting``'s agenda, the items from there moving
    down one; recorded in the audit log with the minutes it comes from."""
    item = AgendaItem(
        title=title,
        description=description or Texts(),
        kind=kind,
        standing=standing,
        created_at=utcnow(),
    )
    insert_agenda_item(meeting, item, position)
    record_event(
        "agenda_item.add",
        actor=actor,
        obj=item,
        changes={"meeting_id": meeting.id, "minutes_id": minutes.id, "standing": standing},
    )
    return item


def _open_actions_text(actions: list[FollowUpAction], day: date) -> Texts:
    """The open actions as a Markdown list in each language: owner, action, due date."""
    texts = {}
    for language in CONTENT_LANGUAGES:
        with force_locale(babel_locale(language)):
            lines = [_OPEN_ON[language].format(date=brussels_date(day)), ""]
            for action in actions:
                due = f" ({brussels_date(action.due_date)})" if action.due_date else ""
                owner = action.owner_agency.label.shown_in(language).text
                description = action.description.shown_in(language).text
                lines.append(f"- **{owner}**: {description}{due}")
        texts[language] = "\n".join(lines)
    return Texts(**texts)
