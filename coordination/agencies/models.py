"""Agency, Forum and ForumMembership."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, composite, mapped_column, relationship

from coordination.core.texts import Texts, reader_language
from coordination.db import Model, intpk, str40, str200, str_enum


class AgencyKind(StrEnum):
    MINISTRY = "ministry"
    POLICE = "police"
    PROSECUTION = "prosecution"
    INSPECTORATE = "inspectorate"
    IMMIGRATION = "immigration"
    NGO = "ngo"
    RAPPORTEUR = "rapporteur"
    DEFENCE = "defence"
    JUDICIARY = "judiciary"
    OTHER = "other"


class MembershipRole(StrEnum):
    MEMBER = "member"
    #: Reads everything of the forum but is not a full member (Myria, the rapporteur).
    OBSERVER = "observer"


class LocalisedNameMixin:
    name_nl: Mapped[str200]
    name_fr: Mapped[str200]
    name_en: Mapped[str200]

    def name_in(self, locale: str | None) -> str:
        """The name in the given language, falling back to English."""
        return getattr(self, f"name_{locale}", None) or self.name_en


#: The longest short name, in each language ("College van procureurs-generaal" fits).
SHORT_NAME_LENGTH = 40


def agency_label(code: str, short_name: Texts | None) -> Texts:
    """What readers call an agency: its short name in their language (DVZ for a Dutch
    reader, OE for a French one), another language's marked as such when theirs is missing,
    and the code only when no short name is written at all (THE rule, for agencies and for
    the rows that name one without loading it, such as the dashboard's)."""
    return short_name if short_name else Texts.same(code)


#: Which agencies fall under the authority of another (a minister's cabinet oversees its
#: administrations): data the secretariat keeps, for the minister's "my departments".
agency_oversight = Table(
    "agency_oversight",
    Model.metadata,
    Column("authority_id", ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True),
)


class Agency(LocalisedNameMixin, Model):
    __tablename__ = "agencies"

    id: Mapped[intpk]
    #: Stable short identifier used by the CLI, the tests, URLs and exports (e.g. FEDPOL);
    #: never shown as the agency's name: readers see ``label``.
    code: Mapped[str40] = mapped_column(unique=True)
    short_name_nl: Mapped[str | None] = mapped_column(String(SHORT_NAME_LENGTH))
    short_name_fr: Mapped[str | None] = mapped_column(String(SHORT_NAME_LENGTH))
    short_name_en: Mapped[str | None] = mapped_column(String(SHORT_NAME_LENGTH))
    #: The official short name in each language (DVZ / OE, RSZ / ONSS); optional, English
    #: too: an agency known by a proper name (Payoke) has the same in every language.
    short_name: Mapped[Texts] = composite("short_name_nl", "short_name_fr", "short_name_en")
    kind: Mapped[AgencyKind] = mapped_column(str_enum(AgencyKind, "kind"))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    memberships: Mapped[list[ForumMembership]] = relationship(
        back_populates="agency", cascade="all, delete-orphan"
    )
    #: The agencies under this one's authority (for a minister's cabinet).
    overseen: Mapped[list[Agency]] = relationship(
        secondary=agency_oversight,
        primaryjoin="Agency.id == agency_oversight.c.authority_id",
        secondaryjoin="Agency.id == agency_oversight.c.agency_id",
        order_by="Agency.code",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> Texts:
        """The short name in the reader's language, else the code (see ``agency_label``)."""
        return agency_label(self.code, self.short_name)

    def choice_label(self) -> str:
        """How a list to choose from names the agency, in the reader's language: "DVZ —
        Dienst Vreemdelingenzaken"; a name that is its own short name once ("Payoke")."""
        label, name = str(self.label), self.name_in(reader_language())
        return label if label == name else f"{label} — {name}"

    def __repr__(self) -> str:
        return f"<Agency {self.code}>"


#: A week: the bureau meets monthly, and a representative plans a week ahead.
DEFAULT_REMINDER_DAYS = 7
MAX_REMINDER_DAYS = 60


class Forum(LocalisedNameMixin, Model):
    __tablename__ = "forums"

    id: Mapped[intpk]
    #: "platform" or "bureau"; stable identifier.
    code: Mapped[str40] = mapped_column(unique=True)
    #: Human description of how often the forum meets, e.g. "twice a year".
    cadence_nl: Mapped[str200]
    cadence_fr: Mapped[str200]
    cadence_en: Mapped[str200]
    #: Political forums gather ministers or their cabinets and adopt the action plan's measures.
    political: Mapped[bool] = mapped_column(default=False)
    #: Days before a meeting that those who have not answered its invitation are reminded,
    #: and before its due date that a follow-up action's owners are; 0: no reminders.
    reminder_days: Mapped[int] = mapped_column(default=DEFAULT_REMINDER_DAYS)
    version: Mapped[int] = mapped_column(default=1)

    memberships: Mapped[list[ForumMembership]] = relationship(
        back_populates="forum", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def cadence_in(self, locale: str | None) -> str:
        return getattr(self, f"cadence_{locale}", None) or self.cadence_en

    def __repr__(self) -> str:
        return f"<Forum {self.code}>"


class ForumMembership(Model):
    """An agency sitting in a forum from ``since`` until ``until`` (inclusive; open if None).

    History is kept rather than overwritten: what an agency may read depends on whether it sat
    in the forum on the date of the meeting.
    """

    __tablename__ = "forum_memberships"
    __table_args__ = (
        CheckConstraint("until IS NULL OR until >= since", name="period_ordered"),
        UniqueConstraint("forum_id", "agency_id", "since"),
        Index("ix_forum_memberships_agency_forum", "agency_id", "forum_id"),
    )

    id: Mapped[intpk]
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    role: Mapped[MembershipRole] = mapped_column(
        str_enum(MembershipRole, "role"), default=MembershipRole.MEMBER
    )
    since: Mapped[date]
    until: Mapped[date | None]

    forum: Mapped[Forum] = relationship(back_populates="memberships")
    agency: Mapped[Agency] = relationship(back_populates="memberships")

    @hybrid_method
    def covers(self, day: date) -> bool:
        """Whether the agency sat in the forum on ``day`` (THE rule, in Python and in SQL).

        ``day`` may be a date or, in SQL, a date column (the meetings' ``local_date``).
        """
        return self.overlaps(day, day)

    @hybrid_method
    def overlaps(self, first_day: date, last_day: date) -> bool:
        """Whether the agency sat in the forum on at least one day of the period."""
        return self.since <= last_day and (self.until is None or first_day <= self.until)

    @overlaps.expression
    @classmethod
    def _overlaps_expression(cls, first_day: Any, last_day: Any) -> ColumnElement[bool]:
        return and_(cls.since <= last_day, or_(cls.until.is_(None), cls.until >= first_day))
