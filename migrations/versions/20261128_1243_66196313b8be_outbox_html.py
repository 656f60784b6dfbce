"""outbox: an e-mail's body as HTML too (the convocation of a meeting)

Data: the messages already in the outbox keep their text alone. Downgrade drops the HTML of
the messages not yet sent: they go with their text, which says the same.

Revision ID: 66196313b8be
Revises: 667374512483
Create Date: 2026-11-28 12:43:19.346799

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "66196313b8be"
down_revision = "667374512483"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("html_text", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("html_text")
