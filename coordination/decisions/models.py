"""A decision taken on an agenda item that puts a measure before a meeting.

The row ties together what one decision changed: the measure's transition (adopted, rejected),
the decision in the minutes, the agenda item of the platform meeting a proposal was forwarded
to. One row per item: the same decision is never typed twice.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.db import Model, intpk, str_enum, utcnow
from coordination.measures.models import Measure, MeasureTransition
from coordination.meetings.models import AgendaItem
from coordination.minutes.models import Decision
from coordination.users.models import User


class Outcome(StrEnum):
    """What a meeting decided on a measure of its agenda (see ``workflow.OUTCOMES``)."""

    ADOPTED = "adopted"
    REJECTED = "rejected"
    #: Decided later: the proposal stays on the table.
    DEFERRED = "deferred"
    #: Sent back to the bureau to be reworked.
    RETURNED = "returned"
    #: The bureau puts the proposal before the next platform meeting.
    FORWARDED = "forwarded"


class ItemDecision(Model):
    __tablename__ = "item_decisions"

    id: Mapped[intpk]
    #: The item the decision was taken on; one decision per item. An item that carries a
    #: decision cannot be deleted (nor its meeting): the record would lose its ground.
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="RESTRICT"), unique=True
    )
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="RESTRICT"), index=True
    )
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, "outcome"))
    #: The decision as the minutes record it (None for decisions recorded before the chain).
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("minutes_decisions.id", ondelete="RESTRICT"), unique=True
    )
    #: The measure's change of status, for an adoption or a rejection.
    transition_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure_transitions.id", ondelete="RESTRICT"), unique=True
    )
    #: The platform meeting's item a forwarded proposal became.
    forwarded_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    agenda_item: Mapped[AgendaItem] = relationship(foreign_keys=[agenda_item_id])
    measure: Mapped[Measure] = relationship()
    decision: Mapped[Decision | None] = relationship()
    transition: Mapped[MeasureTransition | None] = relationship()
    forwarded_to: Mapped[AgendaItem | None] = relationship(foreign_keys=[forwarded_to_id])
    decided_by: Mapped[User | None] = relationship()
    corrections: Mapped[list[DecisionCorrection]] = relationship(
        back_populates="item_decision",
        order_by="(DecisionCorrection.corrected_at, DecisionCorrection.id)",
    )


class DecisionCorrection(Model):
    """A recorded decision changed afterwards, through its minutes: while they are a draft or
    circulated, or, once published, with a change note their readers see. Append-only: the
    outcome it replaced, and the measure's transition it added (the earlier one stays)."""

    __tablename__ = "decision_corrections"
    __table_args__ = (
        CheckConstraint("from_outcome <> to_outcome", name="outcome_changes"),
        CheckConstraint("note <> ''", name="note_given"),
    )

    id: Mapped[intpk]
    item_decision_id: Mapped[int] = mapped_column(
        ForeignKey("item_decisions.id", ondelete="RESTRICT"), index=True
    )
    from_outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, "from_outcome"))
    to_outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, "to_outcome"))
    #: Why the decision was corrected, as the secretariat typed it (also in the minutes).
    note: Mapped[str] = mapped_column(String(500))
    #: The measure's change of status the correction made, if any.
    transition_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure_transitions.id", ondelete="RESTRICT"), unique=True
    )
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    item_decision: Mapped[ItemDecision] = relationship(back_populates="corrections")
    transition: Mapped[MeasureTransition | None] = relationship()
    corrected_by: Mapped[User | None] = relationship()
