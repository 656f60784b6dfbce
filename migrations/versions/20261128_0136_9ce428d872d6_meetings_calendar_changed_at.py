"""meetings: when each meeting's calendar event last changed

A calendar event's LAST-MODIFIED and DTSTAMP now move when what it shows changes (an agenda
headline included) and only then, instead of following every update of the meeting row.

Data: existing meetings start from their last update (what the feeds said until now).
Downgrade drops the column.

Revision ID: 9ce428d872d6
Revises: 7d8833ff95e1
Create Date: 2026-11-28 01:36:01.251481

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "9ce428d872d6"
down_revision = "7d8833ff95e1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("calendar_changed_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE meetings SET calendar_changed_at = updated_at")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.alter_column(
            "calendar_changed_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("calendar_changed_at")
