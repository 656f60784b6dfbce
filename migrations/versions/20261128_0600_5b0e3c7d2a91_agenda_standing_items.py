"""agenda items: mark those the minutes put on an agenda (so that copying leaves them out)

Data: the items that approve earlier minutes (``minutes.approval_item_id``) become "approval";
the review of the follow-up actions (its title, as the minutes write it) becomes "follow_up".
Downgrade drops the mark.

Revision ID: 5b0e3c7d2a91
Revises: 916294c1259e
Create Date: 2026-11-28 06:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5b0e3c7d2a91"
down_revision = "916294c1259e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("standing", sa.String(length=20), nullable=True))
    op.execute(
        "UPDATE agenda_items SET standing = 'approval' "
        "WHERE id IN (SELECT approval_item_id FROM minutes WHERE approval_item_id IS NOT NULL)"
    )
    op.execute(
        "UPDATE agenda_items SET standing = 'follow_up' "
        "WHERE standing IS NULL AND title_en = 'Follow-up of actions' "
        "AND title_nl = 'Opvolging van de acties' AND title_fr = 'Suivi des actions'"
    )


def downgrade():
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_column("standing")
