"""ActionPlan, Theme, Measure and its history, indicators and progress reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    ColumnElement,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.agencies.models import Agency, LocalisedNameMixin
from coordination.core.texts import Texts, mapped_texts, written_in_one_language
from coordination.core.time import today_brussels
from coordination.db import Model, db, intpk, str40, str80, str255, str_enum, utcnow
from coordination.meetings.models import AgendaItem, Meeting
from coordination.users.models import User

#: Indicator values and targets: counts, days, percentages; never floats.
Amount = Numeric(14, 2)


class MeasureStatus(StrEnum):
    PROPOSED = "proposed"
    ADOPTED = "adopted"
    IN_PROGRESS = "in_progress"
    POSTPONED = "postponed"
    IMPLEMENTED = "implemented"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


#: Statuses from which a measure can still move ("open" in the issue).
OPEN_STATUSES = frozenset(
    {
        MeasureStatus.PROPOSED,
        MeasureStatus.ADOPTED,
        MeasureStatus.IN_PROGRESS,
        MeasureStatus.POSTPONED,
    }
)

#: Final statuses: a measure in one of these is never late.
CLOSED_STATUSES = frozenset(set(MeasureStatus) - OPEN_STATUSES)


class PlanStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class IndicatorDirection(StrEnum):
    MORE_IS_BETTER = "more_is_better"
    LESS_IS_BETTER = "less_is_better"


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class ActionPlan(Model):
    """A national action plan, e.g. NAP 2021-2025: data, so that the next plan is a new row."""

    __tablename__ = "action_plans"
    __table_args__ = (CheckConstraint("end_year >= start_year", name="period_ordered"),)

    id: Mapped[intpk]
    #: Stable short identifier, e.g. "NAP-2021-2025".
    code: Mapped[str40] = mapped_column(unique=True)
    title_nl: Mapped[str255]
    title_fr: Mapped[str255]
    title_en: Mapped[str255]
    start_year: Mapped[int]
    end_year: Mapped[int]
    status: Mapped[PlanStatus] = mapped_column(
        str_enum(PlanStatus, "plan_status"), default=PlanStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    themes: Mapped[list[Theme]] = relationship(
        back_populates="plan", order_by="Theme.position", cascade="all, delete-orphan"
    )
    measures: Mapped[list[Measure]] = relationship(back_populates="plan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def is_open(self) -> bool:
        return self.status is PlanStatus.OPEN

    def __repr__(self) -> str:
        return f"<ActionPlan {self.code}>"


class Theme(LocalisedNameMixin, Model):
    """A chapter of a plan (prevention, protection of victims ...), named in three languages."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("plan_id", "position"),)

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"))
    #: Order in the plan, 1-based; the first digit of the codes of its measures by convention.
    position: Mapped[int]

    plan: Mapped[ActionPlan] = relationship(back_populates="themes")


measure_partners = Table(
    "measure_partners",
    db.metadata,
    Column("measure_id", ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agencies.id", ondelete="RESTRICT"), primary_key=True),
)


class Measure(Model):
    __tablename__ = "measures"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        # A measure is carried over into a given plan at most once.
        UniqueConstraint("plan_id", "carried_over_from_id"),
        Index("ix_measures_status_deadline", "status", "deadline"),
        CheckConstraint(written_in_one_language("title"), name="title_written"),
    )

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="RESTRICT"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="RESTRICT"), index=True)
    #: Number in the plan, e.g. "3.4"; unique within the plan.
    code: Mapped[str40]
    #: In Dutch and French (one at least), English optional.
    title: Mapped[Texts] = mapped_texts("title", String(255))
    #: Markdown, per language (none required); rendered through the sanitiser.
    description: Mapped[Texts] = mapped_texts("description")
    lead_agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT"), index=True
    )
    deadline: Mapped[date | None]
    status: Mapped[MeasureStatus] = mapped_column(
        str_enum(MeasureStatus, "measure_status"), default=MeasureStatus.PROPOSED
    )
    #: The measure of an earlier plan this one continues (its history stays there).
    carried_over_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[ActionPlan] = relationship(back_populates="measures")
    theme: Mapped[Theme] = relationship()
    lead_agency: Mapped[Agency] = relationship()
    partners: Mapped[list[Agency]] = relationship(secondary=measure_partners, order_by=Agency.code)
    carried_over_from: Mapped[Measure | None] = relationship(
        remote_side="Measure.id", back_populates="carried_over_to"
    )
    carried_over_to: Mapped[list[Measure]] = relationship(back_populates="carried_over_from")
    transitions: Mapped[list[MeasureTransition]] = relationship(
        back_populates="measure",
        order_by="(MeasureTransition.at, MeasureTransition.id)",
        cascade="all, delete-orphan",
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        primaryjoin="AgendaItem.measure_id == Measure.id",
        foreign_keys="AgendaItem.measure_id",
        viewonly=True,
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="measure",
        order_by="(Indicator.position, Indicator.id)",
        cascade="all, delete-orphan",
    )
    reports: Mapped[list[ProgressReport]] = relationship(
        back_populates="measure",
        order_by="(ProgressReport.submitted_at.desc(), ProgressReport.id.desc())",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}

    def late_on(self, day: date) -> bool:
        """Deadline passed on ``day`` and the measure neither implemented nor abandoned.

        The Python twin of :meth:`late_condition`; tests hold the two to the same answers.
        """
        return (
            self.deadline is not None
            and self.deadline < day
            and MeasureStatus(self.status) not in CLOSED_STATUSES
        )

    @classmethod
    def late_condition(cls, day: date) -> ColumnElement[bool]:
        """SQL condition: the measure is late on ``day`` (see :meth:`late_on`)."""
        return and_(
            cls.deadline.is_not(None),
            cls.deadline < day,
            cls.status.in_(sorted(OPEN_STATUSES)),
        )

    @property
    def is_late(self) -> bool:
        """Late today in Brussels (what users mean by a passed deadline)."""
        return self.late_on(today_brussels())

    @property
    def is_open(self) -> bool:
        return MeasureStatus(self.status) in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<Measure {self.code} {self.status}>"


class MeasureTransition(Model):
    """One change of status: the measure's timeline (append-only)."""

    __tablename__ = "measure_transitions"

    id: Mapped[intpk]
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    #: None for the creation of the measure (or its carry-over into a new plan).
    from_status: Mapped[MeasureStatus | None] = mapped_column(
        str_enum(MeasureStatus, "from_status")
    )
    to_status: Mapped[MeasureStatus] = mapped_column(str_enum(MeasureStatus, "to_status"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(default="")
    #: The meeting where the change was decided (always a platform meeting for adoptions).
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )

    measure: Mapped[Measure] = relationship(back_populates="transitions")
    by: Mapped[User | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()


class Indicator(Model):
    """A quantified target of a measure, e.g. trafficking-focused inspections a year."""

    __tablename__ = "indicators"
    __table_args__ = (
        CheckConstraint(
            "(baseline_value IS NULL) = (baseline_year IS NULL)", name="baseline_complete"
        ),
        CheckConstraint(written_in_one_language("name"), name="name_written"),
    )

    id: Mapped[intpk]
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=1)
    #: In Dutch and French (one at least), English optional.
    name: Mapped[Texts] = mapped_texts("name", String(255))
    #: What is counted, e.g. "inspections", "days", "%".
    unit: Mapped[str80]
    direction: Mapped[IndicatorDirection] = mapped_column(
        str_enum(IndicatorDirection, "direction"), default=IndicatorDirection.MORE_IS_BETTER
    )
    baseline_value: Mapped[Decimal | None] = mapped_column(Amount)
    baseline_year: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    measure: Mapped[Measure] = relationship(back_populates="indicators")
    targets: Mapped[list[IndicatorTarget]] = relationship(
        back_populates="indicator", order_by="IndicatorTarget.year", cascade="all, delete-orphan"
    )
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator",
        order_by="(IndicatorValue.year, IndicatorValue.reported_at)",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}


class IndicatorTarget(Model):
    __tablename__ = "indicator_targets"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[intpk]
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    year: Mapped[int]
    target: Mapped[Decimal] = mapped_column(Amount)

    indicator: Mapped[Indicator] = relationship(back_populates="targets")


class IndicatorValue(Model):
    """A result reported for a year, with its source.

    A value from a progress report counts once the secretariat accepted the report; a value
    without a report was entered by the secretariat itself. The latest counting value of a year
    is the result.
    """

    __tablename__ = "indicator_values"

    id: Mapped[intpk]
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    value: Mapped[Decimal] = mapped_column(Amount)
    #: Where the figure comes from, e.g. "NSSO activity report 2024".
    source: Mapped[str255]
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True
    )

    indicator: Mapped[Indicator] = relationship(back_populates="values")
    reported_by: Mapped[User | None] = relationship()
    report: Mapped[ProgressReport | None] = relationship(back_populates="values")

    @property
    def counts(self) -> bool:
        """Whether this value is part of the measure's results (see the class docstring)."""
        return self.report is None or self.report.status is ReportStatus.ACCEPTED


class ProgressReport(Model):
    """A lead agency's account of a measure's progress in a year, reviewed by the secretariat."""

    __tablename__ = "progress_reports"
    __table_args__ = (
        CheckConstraint(
            "status = 'submitted' OR (reviewed_at IS NOT NULL)", name="review_recorded"
        ),
        CheckConstraint(
            "status <> 'returned' OR reviewer_comment IS NOT NULL", name="return_explained"
        ),
    )

    id: Mapped[intpk]
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    #: The lead agency the report speaks for (the measure's lead when it was submitted).
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="RESTRICT"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The year the report covers.
    year: Mapped[int]
    #: Markdown; rendered through the sanitiser.
    text: Mapped[str]
    status: Mapped[ReportStatus] = mapped_column(
        str_enum(ReportStatus, "report_status"), default=ReportStatus.SUBMITTED
    )
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewer_comment: Mapped[str | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    measure: Mapped[Measure] = relationship(back_populates="reports")
    agency: Mapped[Agency] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
