"""meetings: each invited person's answer (attending, not attending, a substitute)

Data: none before (answers start with this version). Downgrade drops the answers given.

Revision ID: 201f64a5c10e
Revises: c88ac4cec6cd
Create Date: 2026-11-28 05:09:46.711177

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "201f64a5c10e"
down_revision = "c88ac4cec6cd"
branch_labels = None
depends_on = None

ANSWER = sa.Enum(
    "attending", "not_attending", "substitute",
    name="reply_answer", native_enum=False, create_constraint=True, length=30,
)  # fmt: skip


def upgrade():
    op.create_table(
        "meeting_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("answer", ANSWER, nullable=False),
        sa.Column("substitute_name", sa.String(length=200), nullable=True),
        sa.Column("substitute_agency_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(answer = 'substitute') = (substitute_name IS NOT NULL)",
            name=op.f("ck_meeting_replies_substitute_named"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"],
            name=op.f("fk_meeting_replies_meeting_id_meetings"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["substitute_agency_id"], ["agencies.id"],
            name=op.f("fk_meeting_replies_substitute_agency_id_agencies"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_meeting_replies_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_replies")),
        sa.UniqueConstraint("meeting_id", "user_id", name="one_reply_per_person"),
    )  # fmt: skip
    with op.batch_alter_table("meeting_replies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_replies_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_replies_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("meeting_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_replies_user_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_replies_meeting_id"))
    op.drop_table("meeting_replies")
