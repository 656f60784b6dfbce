"""Operations on minutes: writing, revisions, the workflow, publication, follow-up actions.

Services take explicit arguments, flush, and raise :class:`DomainError` subclasses; the view
commits once. Every write records an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from coordination.agencies.models import Agency, Forum, ForumMembership
from coordination.agencies.services import agencies_in_forum_on
from coordination.audit.services import record_event
from coordination.auth.policy import forum_visibility_condition
from coordination.core.errors import ConflictError, NotAllowed, ValidationError
from coordination.core.texts import CONTENT_LANGUAGES, Texts, checked_texts
from coordination.core.time import utcnow
from coordination.core.urls import absolute_url
from coordination.db import db
from coordination.meetings.models import AgendaItem, Meeting, MeetingStatus
from coordination.minutes import workflow
from coordination.minutes.models import (
    Attendance,
    Decision,
    FollowUpAction,
    FollowUpStatus,
    Minutes,
    MinutesRevision,
    MinutesStatus,
)
from coordination.minutes.standing_items import put_follow_up_review_on_next_agenda
from coordination.notifications.services import enqueue_for_users
from coordination.users.models import Role, User

CHANGE_NOTE_MAX = 500
BODY_MAX = 200_000

# --- reading ---------------------------------------------------------------------------------


def get_minutes(minutes_id: int) -> Minutes | None:
    """Minutes with their meeting and forum (what the policy and every page need)."""
    return db.session.scalar(
        select(Minutes)
        .where(Minutes.id == minutes_id)
        .options(joinedload(Minutes.meeting).joinedload(Meeting.forum))
    )


def get_minutes_for_reading(minutes_id: int) -> Minutes | None:
    """Minutes with everything the reading view, the PDF and the HTML download show."""
    return db.session.scalar(
        select(Minutes)
        .where(Minutes.id == minutes_id)
        .options(
            joinedload(Minutes.meeting).joinedload(Meeting.forum),
            joinedload(Minutes.approved_by),
            joinedload(Minutes.published_by),
            selectinload(Minutes.attendance).joinedload(Attendance.agency),
            selectinload(Minutes.attendees),
            selectinload(Minutes.decisions).joinedload(Decision.agenda_item),
            selectinload(Minutes.follow_ups).joinedload(FollowUpAction.owner_agency),
            selectinload(Minutes.revisions).joinedload(MinutesRevision.author),
        )
    )


def minutes_of_meeting(meeting_id: int) -> Minutes | None:
    return db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting_id))


def minutes_page(
    user: User,
    *,
    forum: Forum | None,
    page: int,
    per_page: int = 20,
    include_unpublished: bool = False,
):
    """One page of the minutes ``user`` may read, newest meeting first (bounded queries)."""
    query = (
        select(Minutes)
        .join(Minutes.meeting)
        .options(contains_eager(Minutes.meeting).joinedload(Meeting.forum))
        .where(forum_visibility_condition(user, Meeting.forum_id, Meeting.local_date))
        .order_by(Meeting.starts_at.desc(), Minutes.id.desc())
    )
    if not include_unpublished:
        query = query.where(Minutes.status == MinutesStatus.PUBLISHED)
    if forum is not None:
        query = query.where(Meeting.forum_id == forum.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def meetings_awaiting_minutes(*, now: datetime | None = None, limit: int = 10) -> list[Meeting]:
    """Past meetings that were not cancelled and have no minutes yet (for the secretariat)."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.starts_at <= (now or utcnow()),
                Meeting.status != MeetingStatus.CANCELLED,
                ~exists(select(Minutes.id).where(Minutes.meeting_id == Meeting.id)),
            )
            .options(joinedload(Meeting.forum))
            .order_by(Meeting.starts_at.desc())
            .limit(limit)
        )
    )


def revisions_for(minutes: Minutes, *, include_unpublished: bool) -> list[MinutesRevision]:
    """The revisions a reader may see, newest first."""
    query = (
        select(MinutesRevision)
        .where(MinutesRevision.minutes_id == minutes.id)
        .options(joinedload(MinutesRevision.author))
        .order_by(MinutesRevision.number.desc())
    )
    if not include_unpublished:
        query = query.where(MinutesRevision.published.is_(True))
    return list(db.session.scalars(query))


def get_revision(
    minutes: Minutes, number: int, *, include_unpublished: bool
) -> MinutesRevision | None:
    """Revision ``number`` of these minutes; None if it does not exist or is hidden."""
    query = select(MinutesRevision).where(
        MinutesRevision.minutes_id == minutes.id, MinutesRevision.number == number
    )
    if not include_unpublished:
        query = query.where(MinutesRevision.published.is_(True))
    return db.session.scalar(query.options(joinedload(MinutesRevision.author)))


def minutes_recipients(minutes: Minutes) -> list[User]:
    """Who is told about publication: active users whose agency sat in the forum (member or
    observer) on the meeting date, and every active minister and rapporteur."""
    meeting = minutes.meeting
    sat_in_forum = exists(
        select(ForumMembership.id).where(
            ForumMembership.agency_id == User.agency_id,
            ForumMembership.forum_id == meeting.forum_id,
            ForumMembership.covers(meeting.local_date),
        )
    )
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                or_(User.role.in_([Role.MINISTER, Role.RAPPORTEUR]), sat_in_forum),
            )
            .order_by(User.id)
        )
    )


@dataclass(frozen=True)
class HomeFollowUps:
    actions: list[FollowUpAction]
    total: int


def open_follow_ups_for(
    user: User, *, limit: int = 20, owned_only: bool = True, since: date | None = None
) -> HomeFollowUps:
    """Open follow-up actions of published minutes the user may read: by default the user's
    agency's (all of them for the secretariat); with ``owned_only=False`` every agency's, e.g.
    for the briefing pack; ``since`` keeps meetings from that day on. Two statements whatever
    the number of rows."""
    condition = [
        Minutes.status == MinutesStatus.PUBLISHED,
        FollowUpAction.status != FollowUpStatus.DONE,
        forum_visibility_condition(user, Meeting.forum_id, Meeting.local_date),
    ]
    if since is not None:
        condition.append(Meeting.local_date >= since)
    if owned_only and user.role is not Role.SECRETARIAT:
        if user.agency_id is None:
            return HomeFollowUps([], 0)
        condition.append(FollowUpAction.owner_agency_id == user.agency_id)
    base = select(FollowUpAction).join(FollowUpAction.minutes).join(Minutes.meeting)
    actions = db.session.scalars(
        base.where(*condition)
        .options(
            contains_eager(FollowUpAction.minutes)
            .contains_eager(Minutes.meeting)
            .joinedload(Meeting.forum),
            joinedload(FollowUpAction.owner_agency),
        )
        .order_by(FollowUpAction.due_date.is_(None), FollowUpAction.due_date, FollowUpAction.id)
        .limit(limit)
    ).all()
    total: int | None = len(actions)
    if total == limit:
        total = db.session.scalar(
            select(func.count()).select_from(base.where(*condition).subquery())
        )
    return HomeFollowUps(list(actions), total or 0)


# --- writing ---------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n")
    if len(body) > BODY_MAX:
        raise ValidationError(_l("The text is too long."))
    return body


def _next_revision_number(minutes: Minutes) -> int:
    if minutes.id is None:
        return 1
    highest = db.session.scalar(
        select(func.max(MinutesRevision.number)).where(MinutesRevision.minutes_id == minutes.id)
    )
    return (highest or 0) + 1


def skeleton_text(meeting: Meeting, language: str) -> str:
    """A starting text in ``language``: one heading per agenda item (the secretariat's usual
    layout), the titles in that language (another one's, marked, where it is missing)."""
    lines = [f"# {meeting.title.text_in(language)}", ""]
    for item in meeting.agenda_items:
        lines += [f"## {item.position}. {item.title.text_in(language)}", "", ""]
    return "\n".join(lines)


def _cleaned_texts(body: Texts | str) -> Texts:
    """Each language's text with Unix line ends, within the length; blank ones missing."""
    texts = Texts.coerce(body)
    return Texts(
        **{
            language: _clean_body(text) if (text := texts.get(language) or "").strip() else None
            for language in CONTENT_LANGUAGES
        }
    )


def check_minutes_can_start(meeting: Meeting, *, at: datetime | None = None) -> None:
    """Minutes record what a meeting said: they start once it has begun, and never for a
    cancelled one.

    :raise NotAllowed: for a cancelled meeting or one that has not started yet.
    """
    if meeting.status is MeetingStatus.CANCELLED:
        raise NotAllowed(_l("A cancelled meeting has no minutes."))
    if not meeting.has_started(at):
        raise NotAllowed(_l("Minutes can be written once the meeting has started."))


def create_minutes(
    meeting: Meeting, *, body: Texts | str, actor: User | None, at: datetime | None = None
) -> Minutes:
    """Start the minutes of a meeting as a draft, with a first revision of each language
    written (a plain string: the same text in every language, for scripts).

    :raise NotAllowed: for a cancelled meeting, or one that has not started yet (minutes
        record what was said).
    :raise ConflictError: when the meeting already has minutes (somebody started them).
    """
    moment = at or utcnow()
    check_minutes_can_start(meeting, at=moment)
    if minutes_of_meeting(meeting.id) is not None:
        raise ConflictError(_l("Somebody else has already started the minutes of this meeting."))
    texts = _cleaned_texts(body)
    minutes = Minutes(
        meeting=meeting,
        status=MinutesStatus.DRAFT,
        body=texts,
        created_by=actor,
        created_at=moment,
        updated_at=moment,
    )
    db.session.add(minutes)
    written = [language for language in CONTENT_LANGUAGES if texts.get(language)]
    for number, language in enumerate(written, start=1):
        minutes.revisions.append(
            MinutesRevision(
                number=number,
                language=language,
                body=texts.get(language),
                author=actor,
                created_at=moment,
            )
        )
    try:
        db.session.flush()
    except IntegrityError:
        # Two people started at the same moment: the unique meeting_id keeps the first.
        raise ConflictError(
            _l("Somebody else has already started the minutes of this meeting.")
        ) from None
    record_event("minutes.create", actor=actor, obj=minutes, changes={"meeting_id": meeting.id})
    return minutes


def save_minutes_text(
    minutes: Minutes,
    *,
    language: str,
    body: str,
    expected_version: int | None,
    actor: User | None,
    change_note: str | None = None,
    at: datetime | None = None,
    notify: bool = True,
) -> MinutesRevision | None:
    """Save the text of one ``language`` as a new revision of that language; a published
    text gets a new *published* revision.

    Returns the new revision, or None when the text did not change. A correction e-mails the
    readers unless ``notify`` is False (demo data: nobody is waiting for those messages).

    :raise NotAllowed: for approved minutes (withdraw the approval first).
    :raise ConflictError: when somebody saved since the editor loaded ``expected_version``.
    :raise ValidationError: for a correction of published minutes without a change note.
    """
    if minutes.status not in workflow.CORRECTABLE:
        workflow.ensure_editable(minutes.status)
    if expected_version is None or expected_version != minutes.version:
        raise ConflictError(_l("Somebody else saved these minutes while you were editing."))
    if language not in CONTENT_LANGUAGES:
        raise ValidationError(_l("Choose the language of the text."))
    body = _clean_body(body)
    note = (change_note or "").strip()
    if len(note) > CHANGE_NOTE_MAX:
        raise ValidationError(_l("The change note is too long (at most 500 characters)."))
    correcting = minutes.status in workflow.CORRECTABLE
    if correcting and not note:
        raise ValidationError(
            _l("A correction of published minutes needs a change note that readers will see.")
        )
    if body.strip() == (minutes.body.get(language) or "").strip():
        if correcting:
            raise ValidationError(_l("The correction does not change the text."))
        return None
    moment = at or utcnow()
    revision = _add_revision(
        minutes,
        _next_revision_number(minutes),
        language,
        body,
        actor=actor,
        at=moment,
        note=note,
        published=correcting,
    )
    minutes.body = replace(minutes.body, **{language: body if body.strip() else None})
    minutes.updated_at = moment
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        # Somebody committed between our read and this write (the row version, or the
        # revision number they took first): theirs stays, ours is refused.
        raise ConflictError(
            _l("Somebody else saved these minutes while you were editing.")
        ) from None
    record_event(
        "minutes.correct" if correcting else "minutes.save",
        actor=actor,
        obj=minutes,
        changes={
            "revision": revision.number,
            "language": language,
            "change_note": note or None,
        },
    )
    if correcting and notify:
        _notify(minutes, "minutes_corrected", f"minutes.correct:{minutes.id}")
    return revision


def _add_revision(
    minutes: Minutes,
    number: int,
    language: str,
    body: str,
    *,
    actor: User | None,
    at: datetime,
    note: str | None,
    published: bool,
) -> MinutesRevision:
    """A new revision of one language's text; a published one reaches the readers at ``at``."""
    revision = MinutesRevision(
        minutes=minutes,
        number=number,
        language=language,
        body=body,
        author=actor,
        created_at=at,
        change_note=note or None,
        published=published,
        published_at=at if published else None,
    )
    db.session.add(revision)
    return revision


def publish_correction_note(
    minutes: Minutes, *, note: str, actor: User | None, at: datetime | None = None
) -> list[MinutesRevision]:
    """Tell the readers of published minutes that a part outside their text changed (a
    decision): each language gets a published revision of its unchanged text with ``note``
    as its change note, shown above the minutes, and the readers are e-mailed once.

    :raise NotAllowed: unless the minutes are published.
    """
    if minutes.status not in workflow.CORRECTABLE:
        raise NotAllowed(_l("Only published minutes are corrected with a change note."))
    moment = at or utcnow()
    revisions: list[MinutesRevision] = []
    first_number = _next_revision_number(minutes)
    for language in CONTENT_LANGUAGES:
        body = minutes.body.get(language)
        if not body:
            continue
        revisions.append(
            _add_revision(
                minutes,
                first_number + len(revisions),
                language,
                body,
                actor=actor,
                at=moment,
                note=note,
                published=True,
            )
        )
    minutes.updated_at = moment
    _flush_or_conflict()
    record_event(
        "minutes.correct",
        actor=actor,
        obj=minutes,
        changes={"revisions": [revision.number for revision in revisions], "change_note": note},
    )
    _notify(minutes, "minutes_corrected", f"minutes.correct:{minutes.id}")
    return revisions


def check_transition_to(
    minutes: Minutes, target: MinutesStatus, *, expected_version: int | None
) -> str:
    """The transition's name, after checking the table and the page's version.

    :raise NotAllowed: for a transition the workflow does not have.
    :raise ConflictError: when the minutes changed since the page was loaded.
    """
    name = workflow.transition_name(minutes.status, target)
    if expected_version is not None and expected_version != minutes.version:
        raise ConflictError(_l("Somebody else changed these minutes in the meantime."))
    return name


def enter_status(
    minutes: Minutes,
    status: MinutesStatus,
    *,
    transition: str,
    actor: User | None,
    **changes: object,
) -> None:
    """The last step of every transition (checked by ``_transition``): the new status, saved,
    and the audit event that names the transition, with ``changes`` beside the status.

    :raise ConflictError: when somebody else changed the minutes in the meantime.
    """
    minutes.status = status
    _flush_or_conflict()
    record_event(
        f"minutes.{transition}",
        actor=actor,
        obj=minutes,
        changes={"status": status.value, **changes},
    )


def withdraw_approval(
    minutes: Minutes, *, actor: User | None, expected_version: int | None = None
) -> None:
    """Send approved minutes back to draft so that they can be changed.

    :raise NotAllowed: unless the minutes are approved (published minutes stay published).
    :raise ConflictError: when the minutes changed since the page was loaded.
    """
    name = check_transition_to(minutes, MinutesStatus.DRAFT, expected_version=expected_version)
    previous = minutes.approved_by.email if minutes.approved_by else None
    minutes.approved_by = None
    minutes.approved_at = None
    minutes.approved_at_meeting = None
    enter_status(minutes, MinutesStatus.DRAFT, transition=name, actor=actor, approved_by=previous)


def publish_minutes(
    minutes: Minutes,
    *,
    actor: User | None,
    at: datetime | None = None,
    notify: bool = True,
    expected_version: int | None = None,
) -> int:
    """Publish approved minutes to the forum's agencies and e-mail them a link.

    The current revision of each language becomes its first published revision: the
    languages reach the readers together. Returns the number of e-mails queued (in the same
    transaction: they leave only if the publication commits).

    :raise NotAllowed: unless the minutes are approved and the meeting has taken place.
    :raise ConflictError: when the minutes changed since the page was loaded.
    """
    name = check_transition_to(minutes, MinutesStatus.PUBLISHED, expected_version=expected_version)
    moment = at or utcnow()
    if minutes.meeting.starts_at > moment:
        raise NotAllowed(_l("Minutes can be published only once the meeting has taken place."))
    published = [
        _publish_latest_revision(minutes, language, actor=actor, at=moment)
        for language in CONTENT_LANGUAGES
        if minutes.body.get(language)
    ]
    minutes.published_by = actor
    minutes.published_at = moment
    enter_status(
        minutes,
        MinutesStatus.PUBLISHED,
        transition=name,
        actor=actor,
        revision=max(revision.number for revision in published),
    )
    put_follow_up_review_on_next_agenda(minutes, actor, moment)
    if not notify:
        return 0
    return len(_notify(minutes, "minutes_published", f"minutes.publish:{minutes.id}"))


def _publish_latest_revision(
    minutes: Minutes, language: str, *, actor: User | None, at: datetime
) -> MinutesRevision:
    """Mark the latest revision of ``language`` published (written first if it is missing:
    never expected, every save writes one, but readers and diffs need the published text)."""
    latest = db.session.scalar(
        select(MinutesRevision)
        .where(MinutesRevision.minutes_id == minutes.id, MinutesRevision.language == language)
        .order_by(MinutesRevision.number.desc())
        .limit(1)
    )
    if latest is None or latest.body != minutes.body.get(language):
        latest = MinutesRevision(
            minutes=minutes,
            number=_next_revision_number(minutes),
            language=language,
            body=minutes.body.get(language),
            author=actor,
            created_at=at,
        )
        db.session.add(latest)
        db.session.flush()  # the next language's number counts this one
    latest.published = True
    latest.published_at = at
    return latest


def _notify(minutes: Minutes, template: str, reason: str) -> list:
    meeting = minutes.meeting
    return enqueue_for_users(
        minutes_recipients(minutes),
        template,
        reason=reason,
        meeting=meeting,
        forum=meeting.forum,
        link=absolute_url("minutes.show", minutes_id=minutes.id),
    )


def _flush_or_conflict() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise ConflictError(_l("Somebody else changed these minutes in the meantime.")) from None


# --- structured parts --------------------------------------------------------------------------


def add_decision(
    minutes: Minutes,
    *,
    text: Texts | str,
    agenda_item: AgendaItem | None,
    actor: User | None,
    correction: bool = False,
) -> Decision:
    """Add a decision at the end of the list.

    ``correction``: the decision comes with a correction of published minutes (its change
    note, :func:`publish_correction_note`, tells the readers).

    :raise NotAllowed: unless the minutes are a draft or circulated (or published, for a
        correction).
    :raise ValidationError: for an empty text or an agenda item of another meeting.
    """
    if not (correction and minutes.status in workflow.CORRECTABLE):
        workflow.ensure_editable(minutes.status)
    texts = checked_texts(text, max_length=5000, label=_l("Decision"))
    if agenda_item is not None and agenda_item.meeting_id != minutes.meeting_id:
        raise ValidationError(_l("This agenda item belongs to another meeting."))
    decision = Decision(
        minutes=minutes,
        position=len(minutes.decisions) + 1,
        text=texts,
        agenda_item=agenda_item,
    )
    db.session.add(decision)
    db.session.flush()
    record_event(
        "minutes.decision_add",
        actor=actor,
        obj=minutes,
        changes={"decision_id": decision.id, "text": texts},
    )
    return decision


def delete_decision(decision: Decision, *, actor: User | None) -> None:
    """Remove a decision and renumber the others.

    :raise NotAllowed: unless the minutes are a draft; for a decision recorded on an agenda
        item (see :mod:`coordination.decisions`), which the measure's history keeps.
    """
    minutes = decision.minutes
    workflow.ensure_editable(minutes.status)
    minutes.decisions.remove(decision)
    for position, remaining in enumerate(minutes.decisions, start=1):
        remaining.position = position
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the decision record of an agenda item points to it
        raise NotAllowed(
            _l(
                "This decision was taken on an agenda item and changed a measure: it stays in "
                "the minutes and in the measure's history."
            )
        ) from None
    record_event(
        "minutes.decision_delete",
        actor=actor,
        obj=minutes,
        changes={"decision_id": decision.id, "text": decision.text},
    )


def add_follow_up(
    minutes: Minutes,
    *,
    description: Texts | str,
    owner: Agency,
    due_date: date | None,
    actor: User | None,
) -> FollowUpAction:
    """Record a follow-up action for an agency that sat in the forum on the meeting date.

    It reaches the owner's home page only once the minutes are published.

    :raise NotAllowed: unless the minutes are a draft.
    :raise ValidationError: for an empty description or an owner outside the forum.
    """
    workflow.ensure_editable(minutes.status)
    texts = checked_texts(description, max_length=2000, label=_l("Action"))
    meeting = minutes.meeting
    if owner.id not in {a.id for a in agencies_in_forum_on(meeting.forum_id, meeting.local_date)}:
        # The owner reads the action and its minutes: it must have sat in the forum.
        raise ValidationError(
            _l("The owner must be an agency that sat in the forum on the meeting date.")
        )
    action = FollowUpAction(
        minutes=minutes, description=texts, owner_agency=owner, due_date=due_date
    )
    db.session.add(action)
    db.session.flush()
    record_event(
        "followup.create",
        actor=actor,
        obj=action,
        changes={
            "minutes_id": minutes.id,
            "owner": owner.code,
            "due_date": due_date.isoformat() if due_date else None,
        },
    )
    return action


def delete_follow_up(action: FollowUpAction, *, actor: User | None) -> None:
    """Remove a follow-up action from draft minutes.

    :raise NotAllowed: unless the minutes are a draft.
    """
    minutes = action.minutes
    workflow.ensure_editable(minutes.status)
    record_event(
        "followup.delete",
        actor=actor,
        obj=action,
        changes={"minutes_id": minutes.id, "description": action.description},
    )
    minutes.follow_ups.remove(action)
    db.session.flush()


def update_follow_up_status(
    action: FollowUpAction,
    status: FollowUpStatus,
    *,
    expected_version: int | None,
    actor: User | None,
    at: datetime | None = None,
) -> None:
    """Move a follow-up action to open, in progress or done (done closes it).

    :raise ConflictError: when somebody changed the action since the page was loaded.
    """
    if expected_version is None or expected_version != action.version:
        raise ConflictError(
            _l("Somebody else updated this action in the meantime; its current state is shown.")
        )
    if status is action.status:
        return
    old = action.status.value
    action.status = status
    action.closed_at = (at or utcnow()) if status is FollowUpStatus.DONE else None
    try:
        db.session.flush()
    except StaleDataError:
        raise ConflictError(
            _l("Somebody else updated this action in the meantime; its current state is shown.")
        ) from None
    record_event(
        "followup.status", actor=actor, obj=action, changes={"status": [old, status.value]}
    )
