"""MeetingSeries, Meeting, AgendaItem and Document."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.agencies.models import Agency, Forum
from coordination.core.texts import Texts, mapped_texts, written_in_one_language
from coordination.db import Model, intpk, str255, str_enum, utcnow
from coordination.meetings.storage import WORD_EXTENSIONS, extension_of
from coordination.users.models import User

#: A title is never empty in the database: the services require Dutch or French; text written
#: before titles had languages may be in English only until the secretariat translates it.
TITLE_WRITTEN = written_in_one_language("title")


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HELD = "held"


class AgendaItemKind(StrEnum):
    INFORMATION = "information"
    DISCUSSION = "discussion"
    DECISION = "decision"


class MeetingSeries(Model):
    """A recurring meeting of a forum, e.g. the bureau on the second Tuesday of each month.

    Times are Brussels wall-clock times: the recurrence is computed in local time so that a
    daylight-saving switch never moves a meeting.
    """

    __tablename__ = "meeting_series"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0 AND duration_minutes <= 1440", name="duration"),
        CheckConstraint(TITLE_WRITTEN, name="title_written"),
    )

    id: Mapped[intpk]
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="RESTRICT"), index=True)
    #: In Dutch and French (one at least), English optional: every meeting's title.
    title: Mapped[Texts] = mapped_texts("title", String(200))
    #: RFC 5545 recurrence rule without DTSTART, e.g. "FREQ=MONTHLY;BYDAY=2TU".
    rrule: Mapped[str255]
    #: First day the rule is applied from (Brussels date).
    starts_on: Mapped[date]
    #: Last day of the series (inclusive); None: open-ended.
    ends_on: Mapped[date | None]
    #: Brussels wall-clock start time of every meeting.
    start_time: Mapped[time] = mapped_column(Time())
    duration_minutes: Mapped[int]
    place: Mapped[Texts] = mapped_texts("place", String(300))
    place_confidential: Mapped[bool] = mapped_column(default=False)
    online_url: Mapped[str | None] = mapped_column(String(500))
    #: Meetings exist (are materialised) up to and including this date.
    materialised_until: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    forum: Mapped[Forum] = relationship()
    meetings: Mapped[list[Meeting]] = relationship(back_populates="series")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_complete(self) -> bool:
        """Stopped, or every meeting up to its last day exists: nothing is left to create."""
        if not self.active:
            return True
        return (
            self.ends_on is not None
            and self.materialised_until is not None
            and self.materialised_until >= self.ends_on
        )


class Meeting(Model):
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(
            "status <> 'cancelled' OR cancellation_reason IS NOT NULL", name="cancel_reason"
        ),
        CheckConstraint(TITLE_WRITTEN, name="title_written"),
        UniqueConstraint("series_id", "occurrence_date"),
        Index("ix_meetings_forum_starts", "forum_id", "starts_at"),
        Index("ix_meetings_local_date", "local_date"),
    )

    id: Mapped[intpk]
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="RESTRICT"))
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True
    )
    #: The date the series rule produced this meeting for; identifies it even once moved.
    occurrence_date: Mapped[date | None]
    #: In Dutch and French (one at least), English optional.
    title: Mapped[Texts] = mapped_texts("title", String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    #: Brussels date of ``starts_at``; membership rules compare dates in SQL with it.
    local_date: Mapped[date]
    place: Mapped[Texts] = mapped_texts("place", String(300))
    #: A confidential place (e.g. a shelter) is shown only to the forum's full members.
    place_confidential: Mapped[bool] = mapped_column(default=False)
    online_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[MeetingStatus] = mapped_column(
        str_enum(MeetingStatus, "meeting_status"), default=MeetingStatus.SCHEDULED
    )
    cancellation_reason: Mapped[str | None]
    #: Globally unique and stable: the UID of the calendar event.
    uid: Mapped[str255] = mapped_column(unique=True)
    #: Increases on every change of time, place or status (the calendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    #: Edited by hand: changes of the series no longer apply to it.
    detached: Mapped[bool] = mapped_column(default=False)
    agenda_final: Mapped[bool] = mapped_column(default=False)
    agenda_finalised_at: Mapped[datetime | None]
    #: When those who had not answered the invitation were last reminded (by the secretariat
    #: or by the daily reminders); written without a version bump (see ``replies``).
    answers_reminded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: When what a calendar shows of the meeting last changed (times, title, place, online
    #: link, cancellation, agenda headlines): the event's LAST-MODIFIED and DTSTAMP. Kept by
    #: :mod:`coordination.meetings.calendar_changes`, outside the optimistic lock: an agenda
    #: change does not make an edit of the meeting's details stale.
    calendar_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    forum: Mapped[Forum] = relationship()
    series: Mapped[MeetingSeries | None] = relationship(back_populates="meetings")
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        order_by="AgendaItem.position",
        cascade="all, delete-orphan",
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_cancelled(self) -> bool:
        return self.status is MeetingStatus.CANCELLED

    def has_started(self, now: datetime | None = None) -> bool:
        """Whether the meeting has begun (or taken place): what it said can be written down."""
        return self.starts_at <= (now or utcnow())

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.local_date} {self.status}>"


class StandingItem(Model):
    """An item a forum puts on the agenda of each of its new meetings: at the opening (e.g. the
    approval of the agenda) or at the close (any other business)."""

    __tablename__ = "forum_standing_items"
    __table_args__ = (
        CheckConstraint(
            "duration_minutes IS NULL OR (duration_minutes > 0 AND duration_minutes <= 1440)",
            name="duration",
        ),
        CheckConstraint(TITLE_WRITTEN, name="title_written"),
    )

    id: Mapped[intpk]
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    title: Mapped[Texts] = mapped_texts("title", String(255))
    duration_minutes: Mapped[int | None]
    #: At the close of the agenda (after the other items), else at its opening.
    closing: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    forum: Mapped[Forum] = relationship()


class AgendaItem(Model):
    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint(
            "duration_minutes IS NULL OR (duration_minutes > 0 AND duration_minutes <= 1440)",
            name="duration",
        ),
        Index("ix_agenda_items_meeting_position", "meeting_id", "position"),
        CheckConstraint(TITLE_WRITTEN, name="title_written"),
    )

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    #: Order on the agenda, 1-based; renumbered on reorder.
    position: Mapped[int]
    #: In Dutch and French (one at least), English optional.
    title: Mapped[Texts] = mapped_texts("title", String(255))
    kind: Mapped[AgendaItemKind] = mapped_column(
        str_enum(AgendaItemKind, "agenda_item_kind"), default=AgendaItemKind.INFORMATION
    )
    presenting_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="SET NULL")
    )
    duration_minutes: Mapped[int | None]
    #: Markdown, in each language; rendered through the sanitiser.
    description: Mapped[Texts] = mapped_texts("description")
    #: The action-plan measure this item puts before the meeting (see coordination.measures).
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="SET NULL"), index=True
    )
    #: Set on the items the minutes put on the agenda ("approval" of the previous minutes,
    #: "follow_up" review) and on the forum's own standing items ("opening", "closing"):
    #: copying an agenda leaves them out, the minutes and the forum add them again.
    standing: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    presenting_agency: Mapped[Agency | None] = relationship()
    documents: Mapped[list[Document]] = relationship(back_populates="agenda_item")

    __mapper_args__ = {"version_id_col": version}


class TextStatus(StrEnum):
    """Where the text of a document's file stands, for search (``search.extraction``)."""

    #: Uploaded; the background worker has not read it yet.
    WAITING = "waiting"
    #: Read: ``extracted_text`` holds its words.
    EXTRACTED = "extracted"
    #: A kind of file whose words are not read (an image, a spreadsheet), or one without
    #: words (a scanned PDF).
    NO_TEXT = "no_text"
    #: Too large, damaged, or too slow or too greedy to read: given up, its name alone is found.
    FAILED = "failed"


class Document(Model):
    """A file attached to a meeting (or one of its agenda items).

    The bytes live outside the web root under their SHA-256 (``content_hash``); the row keeps
    the sanitised original name to offer on download, and the words of the file, read in the
    background, for search.
    """

    __tablename__ = "documents"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    filename: Mapped[str255]
    media_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int]
    #: Hex SHA-256 of the content: the file's name in the upload directory.
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    text_status: Mapped[TextStatus] = mapped_column(
        str_enum(TextStatus, "document_text_status"),
        default=TextStatus.WAITING,
        server_default=TextStatus.WAITING.value,
        index=True,
    )
    #: The file's words (at most ``search.readers.MAX_CHARACTERS``), loaded only when asked
    #: for: the pages that list documents never need them.
    extracted_text: Mapped[str | None] = mapped_column(Text, deferred=True)

    meeting: Mapped[Meeting] = relationship(back_populates="documents")
    agenda_item: Mapped[AgendaItem | None] = relationship(back_populates="documents")
    uploaded_by: Mapped[User | None] = relationship()

    @property
    def found_by_name_only(self) -> bool:
        """A PDF, DOCX or ODT file whose words search could not read (a scan without text, a
        damaged file): those who manage documents are told so on the meeting's page."""
        unread = self.text_status in (TextStatus.NO_TEXT, TextStatus.FAILED)
        return unread and extension_of(self.filename) in WORD_EXTENSIONS


class ReplyAnswer(StrEnum):
    ATTENDING = "attending"
    NOT_ATTENDING = "not_attending"
    #: Someone else comes in the person's place (``substitute_name``).
    SUBSTITUTE = "substitute"


class MeetingReply(Model):
    """An invited person's answer to a meeting's invitation: one per person, replaced when they
    answer again (see :mod:`coordination.meetings.replies`)."""

    __tablename__ = "meeting_replies"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id", name="one_reply_per_person"),
        CheckConstraint(
            "(answer = 'substitute') = (substitute_name IS NOT NULL)", name="substitute_named"
        ),
    )

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answer: Mapped[ReplyAnswer] = mapped_column(str_enum(ReplyAnswer, "reply_answer"))
    substitute_name: Mapped[str | None] = mapped_column(String(200))
    #: The substitute's agency (one sitting in the forum on the meeting's date).
    substitute_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    user: Mapped[User] = relationship()
    substitute_agency: Mapped[Agency | None] = relationship()
