"""reminders: days ahead per forum; when a meeting's unanswered and an action's owners were told

Data: every existing forum reminds a week ahead (7 days); no meeting or action has been
reminded yet. Downgrade drops the setting and the moments of the reminders sent.

Revision ID: 916294c1259e
Revises: 201f64a5c10e
Create Date: 2026-11-28 05:50:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "916294c1259e"
down_revision = "201f64a5c10e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("forums", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminder_days", sa.Integer(), nullable=False, server_default="7")
        )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answers_reminded_at", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("follow_up_actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_reminded_at", sa.DateTime(timezone=True), nullable=True))
    # The model gives new forums their default; the server default only filled existing rows.
    with op.batch_alter_table("forums", schema=None) as batch_op:
        batch_op.alter_column("reminder_days", server_default=None)


def downgrade():
    with op.batch_alter_table("follow_up_actions", schema=None) as batch_op:
        batch_op.drop_column("due_reminded_at")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("answers_reminded_at")
    with op.batch_alter_table("forums", schema=None) as batch_op:
        batch_op.drop_column("reminder_days")
