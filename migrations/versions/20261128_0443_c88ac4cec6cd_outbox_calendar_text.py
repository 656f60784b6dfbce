"""outbox: an e-mail may carry an iTIP invitation (text/calendar alternative)

Data: existing messages carry none (the column is empty for them). Downgrade drops the
invitations of messages still waiting: they are then sent as text only.

Revision ID: c88ac4cec6cd
Revises: 1c36099727fe
Create Date: 2026-11-28 04:43:27.293620

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c88ac4cec6cd"
down_revision = "1c36099727fe"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_text", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("calendar_text")
