"""Minutes, their revisions, attendance, decisions and follow-up actions."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.agencies.models import Agency
from coordination.core.texts import Texts, mapped_texts, written_in_one_language
from coordination.db import Model, intpk, str_enum, utcnow
from coordination.meetings.models import AgendaItem, Meeting
from coordination.users.models import User


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    #: Read and commented by the forum's members until a deadline, still a draft.
    CIRCULATED = "circulated"
    APPROVED = "approved"
    PUBLISHED = "published"


class Presence(StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"


class AttendeeRole(StrEnum):
    """How one person took part: in their own right, in someone's place, or excused."""

    PRESENT = "present"
    SUBSTITUTE = "substitute"
    EXCUSED = "excused"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    #: Closed: no longer on the owner agency's home page.
    DONE = "done"


class Minutes(Model):
    """The minutes of one meeting: Markdown text plus structured parts.

    ``body`` is the current text in Dutch and French (both, or one of them: readers of the
    other language then see it marked as not available in theirs), English optional; every
    save of a language also writes a :class:`MinutesRevision` of that language so that
    nothing is ever lost, and the languages are approved and published together. ``version``
    detects concurrent edits (optimistic locking).
    """

    __tablename__ = "minutes"
    __table_args__ = (
        # Who approved may become NULL if the account is ever deleted; when stays.
        CheckConstraint(
            "status IN ('draft', 'circulated') OR approved_at IS NOT NULL",
            name="approval_recorded",
        ),
        CheckConstraint(
            "status <> 'circulated' OR comments_until IS NOT NULL", name="comments_deadline"
        ),
        CheckConstraint("status <> 'published' OR published_at IS NOT NULL", name="publication"),
        Index("ix_minutes_status_published_at", "status", "published_at"),
    )

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="RESTRICT"), unique=True
    )
    status: Mapped[MinutesStatus] = mapped_column(
        str_enum(MinutesStatus, "minutes_status"), default=MinutesStatus.DRAFT
    )
    #: The current Markdown text of each language (its latest revision's body).
    body: Mapped[Texts] = mapped_texts("body")
    #: When the draft last went to the members, and until when they comment on it.
    circulated_at: Mapped[datetime | None]
    comments_until: Mapped[date | None]
    #: The standing first item of the next meeting that approves these minutes.
    approval_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    #: The meeting that approved the minutes; None for a written procedure (``approved_at``
    #: is then the day the procedure closed) or an approval recorded before circulation.
    approved_at_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL")
    )
    #: Who published first; corrections are recorded on their revisions.
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    meeting: Mapped[Meeting] = relationship(foreign_keys=[meeting_id])
    approval_item: Mapped[AgendaItem | None] = relationship(foreign_keys=[approval_item_id])
    approved_at_meeting: Mapped[Meeting | None] = relationship(
        foreign_keys=[approved_at_meeting_id]
    )
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    revisions: Mapped[list[MinutesRevision]] = relationship(
        back_populates="minutes",
        order_by="MinutesRevision.number",
        cascade="all, delete-orphan",
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan"
    )
    attendees: Mapped[list[Attendee]] = relationship(
        back_populates="minutes", order_by="Attendee.name", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="minutes", order_by="Decision.position", cascade="all, delete-orphan"
    )
    follow_ups: Mapped[list[FollowUpAction]] = relationship(
        back_populates="minutes", order_by="FollowUpAction.id", cascade="all, delete-orphan"
    )
    comments: Mapped[list[MinutesComment]] = relationship(
        back_populates="minutes", order_by="MinutesComment.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_published(self) -> bool:
        return self.status is MinutesStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Minutes {self.id} meeting={self.meeting_id} {self.status}>"


class MinutesRevision(Model):
    """One saved state of the text, never changed afterwards."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (
        UniqueConstraint("minutes_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("published = (published_at IS NOT NULL)", name="published_at_set"),
        CheckConstraint("language IN ('nl', 'fr', 'en')", name="language_known"),
    )

    id: Mapped[intpk]
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"))
    #: 1, 2, 3 ... within one minutes.
    number: Mapped[int]
    #: The language of this text: each language of the minutes has its own history.
    language: Mapped[str] = mapped_column(String(2))
    body: Mapped[str]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Why the text changed; required for corrections of published minutes (shown to readers).
    change_note: Mapped[str | None] = mapped_column(String(500))
    #: Readers of published minutes see published revisions only (the first publication and
    #: every correction); drafts' revisions stay with the secretariat.
    published: Mapped[bool] = mapped_column(default=False)
    #: When this revision reached the readers (publication or correction).
    published_at: Mapped[datetime | None]

    minutes: Mapped[Minutes] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class Attendance(Model):
    __tablename__ = "minutes_attendance"
    __table_args__ = (UniqueConstraint("minutes_id", "agency_id"),)

    id: Mapped[intpk]
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT"), index=True
    )
    presence: Mapped[Presence] = mapped_column(str_enum(Presence, "presence"))

    minutes: Mapped[Minutes] = relationship(back_populates="attendance")
    agency: Mapped[Agency] = relationship()


class Attendee(Model):
    """One person recorded at the meeting, for an agency of the forum. An agency with people
    recorded takes its presence from them (:mod:`coordination.minutes.attendance`)."""

    __tablename__ = "minutes_attendees"
    __table_args__ = (UniqueConstraint("minutes_id", "agency_id", "name"),)

    id: Mapped[intpk]
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[AttendeeRole] = mapped_column(str_enum(AttendeeRole, "attendee_role"))
    #: The account of the person, when they answered the invitation themselves.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    minutes: Mapped[Minutes] = relationship(back_populates="attendees")
    agency: Mapped[Agency] = relationship()


class Decision(Model):
    __tablename__ = "minutes_decisions"
    __table_args__ = (
        Index("ix_minutes_decisions_minutes_position", "minutes_id", "position"),
        CheckConstraint(written_in_one_language("text"), name="text_written"),
    )

    id: Mapped[intpk]
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"))
    #: Order in the minutes, 1-based.
    position: Mapped[int]
    #: Markdown in Dutch and French (one at least), English optional; rendered through the
    #: sanitiser.
    text: Mapped[Texts] = mapped_texts("text")
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )

    minutes: Mapped[Minutes] = relationship(back_populates="decisions")
    agenda_item: Mapped[AgendaItem | None] = relationship()


class FollowUpAction(Model):
    """What an agency undertook to do at a meeting; on its home page until done."""

    __tablename__ = "follow_up_actions"
    __table_args__ = (
        CheckConstraint("(status = 'done') = (closed_at IS NOT NULL)", name="closed_when_done"),
        Index("ix_follow_up_actions_owner_status", "owner_agency_id", "status"),
        CheckConstraint(written_in_one_language("description"), name="description_written"),
    )

    id: Mapped[intpk]
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"), index=True
    )
    #: In Dutch and French (one at least), English optional.
    description: Mapped[Texts] = mapped_texts("description")
    owner_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="RESTRICT"))
    due_date: Mapped[date | None]
    status: Mapped[FollowUpStatus] = mapped_column(
        str_enum(FollowUpStatus, "follow_up_status"), default=FollowUpStatus.OPEN
    )
    #: When the owner agency was reminded that the action falls due (once); written without
    #: a version bump (see ``minutes.reminders``).
    due_reminded_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    minutes: Mapped[Minutes] = relationship(back_populates="follow_ups")
    owner_agency: Mapped[Agency] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_closed(self) -> bool:
        return self.status is FollowUpStatus.DONE


class MinutesComment(Model):
    """A member representative's remark on a section of circulated draft minutes; the
    secretariat resolves each one (changing the text or not) before the minutes are approved."""

    __tablename__ = "minutes_comments"
    __table_args__ = (
        CheckConstraint("resolved_at IS NOT NULL OR resolution IS NULL", name="resolution"),
    )

    id: Mapped[intpk]
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"), index=True
    )
    #: The heading of the section commented on, as the text had it ("" for the whole text).
    section: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The agency the author spoke for: the comment stays attributable if the account goes.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: What the secretariat did about it (shown to the author).
    resolution: Mapped[str | None] = mapped_column(String(1000))

    minutes: Mapped[Minutes] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    agency: Mapped[Agency | None] = relationship()
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
