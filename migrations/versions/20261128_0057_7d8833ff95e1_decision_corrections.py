"""decisions: corrections through the minutes

A recorded decision is corrected through its minutes (in place while they are a draft or
circulated, with a change note once published): each correction keeps the outcome it replaced,
its reason and the measure's transition it added, so the measure's history keeps both.

Data: no decision was ever corrected before, so the new table starts empty. Downgrade drops the
corrections; the decisions keep their corrected outcome and the measures their transitions.

Revision ID: 7d8833ff95e1
Revises: 8cc6701b63ed
Create Date: 2026-11-28 00:57:56.411406

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7d8833ff95e1"
down_revision = "8cc6701b63ed"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "decision_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_decision_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_outcome",
            sa.Enum(
                "adopted",
                "rejected",
                "deferred",
                "returned",
                "forwarded",
                name="from_outcome",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column(
            "to_outcome",
            sa.Enum(
                "adopted",
                "rejected",
                "deferred",
                "returned",
                "forwarded",
                name="to_outcome",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("transition_id", sa.Integer(), nullable=True),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("corrected_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("note <> ''", name=op.f("ck_decision_corrections_note_given")),
        sa.CheckConstraint(
            "from_outcome <> to_outcome", name=op.f("ck_decision_corrections_outcome_changes")
        ),
        sa.ForeignKeyConstraint(
            ["corrected_by_id"],
            ["users.id"],
            name=op.f("fk_decision_corrections_corrected_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_decision_id"],
            ["item_decisions.id"],
            name=op.f("fk_decision_corrections_item_decision_id_item_decisions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["transition_id"],
            ["measure_transitions.id"],
            name=op.f("fk_decision_corrections_transition_id_measure_transitions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_corrections")),
        sa.UniqueConstraint("transition_id", name=op.f("uq_decision_corrections_transition_id")),
    )
    with op.batch_alter_table("decision_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_corrections_item_decision_id"),
            ["item_decision_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("decision_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_corrections_item_decision_id"))

    op.drop_table("decision_corrections")
