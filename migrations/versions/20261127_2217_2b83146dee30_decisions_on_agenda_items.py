"""decisions: a decision on an agenda item ties the measure, the minutes and the timeline

One row per agenda item decided: the outcome, the measure's transition (adoption, rejection),
the decision in the minutes, the platform meeting's item a forwarded proposal became.

Data: an adoption or a rejection recorded before, at a meeting whose agenda had the measure,
gets its row (with the minutes' decision on that item, if there is one); one recorded at a
meeting that did not have the measure on its agenda keeps its transition alone, and the
measure's timeline marks it as entered without an agenda item. Downgrade drops the rows: the
transitions and the minutes' decisions they point to stay.

Revision ID: 2b83146dee30
Revises: c5f1d3e7a9b2
Create Date: 2026-11-27 22:17:32.061987

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "2b83146dee30"
down_revision = "c5f1d3e7a9b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "item_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "adopted",
                "rejected",
                "deferred",
                "returned",
                "forwarded",
                name="outcome",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("transition_id", sa.Integer(), nullable=True),
        sa.Column("forwarded_to_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_item_decisions_agenda_item_id_agenda_items"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_item_decisions_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["minutes_decisions.id"],
            name=op.f("fk_item_decisions_decision_id_minutes_decisions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["forwarded_to_id"],
            ["agenda_items.id"],
            name=op.f("fk_item_decisions_forwarded_to_id_agenda_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_item_decisions_measure_id_measures"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["transition_id"],
            ["measure_transitions.id"],
            name=op.f("fk_item_decisions_transition_id_measure_transitions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_decisions")),
        sa.UniqueConstraint("agenda_item_id", name=op.f("uq_item_decisions_agenda_item_id")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_item_decisions_decision_id")),
        sa.UniqueConstraint("transition_id", name=op.f("uq_item_decisions_transition_id")),
    )
    with op.batch_alter_table("item_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_item_decisions_measure_id"), ["measure_id"], unique=False
        )

    _link_decisions_recorded_before()


def _link_decisions_recorded_before():
    """One row per adoption or rejection already recorded on a measure of the meeting's agenda.

    Plain SQL: the same statement serves both databases and ``--sql``.
    """
    op.execute(
        """
        INSERT INTO item_decisions
            (agenda_item_id, measure_id, outcome, decision_id, transition_id, decided_at,
             decided_by_id)
        SELECT agenda_items.id, measure_transitions.measure_id, measure_transitions.to_status,
               (SELECT MIN(minutes_decisions.id) FROM minutes_decisions
                 WHERE minutes_decisions.agenda_item_id = agenda_items.id),
               measure_transitions.id, measure_transitions.at, measure_transitions.by_id
        FROM measure_transitions
        JOIN agenda_items
          ON agenda_items.meeting_id = measure_transitions.meeting_id
         AND agenda_items.measure_id = measure_transitions.measure_id
        WHERE measure_transitions.to_status IN ('adopted', 'rejected')
          AND agenda_items.id = (
              SELECT MIN(other.id) FROM agenda_items AS other
               WHERE other.meeting_id = measure_transitions.meeting_id
                 AND other.measure_id = measure_transitions.measure_id)
        """
    )


def downgrade():
    with op.batch_alter_table("item_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_decisions_measure_id"))

    op.drop_table("item_decisions")
