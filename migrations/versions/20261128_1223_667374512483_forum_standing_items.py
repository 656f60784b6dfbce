"""meetings: each forum's standing items (what its new meetings find on their agenda)

Data: none to move; forums start without standing items. The agenda items meetings got from
them keep their "opening" / "closing" mark (``agenda_items.standing``, a free string since
5b0e3c7d2a91). Downgrade drops the forums' lists; the meetings keep their agendas.

Revision ID: 667374512483
Revises: 7e6f93998a31
Create Date: 2026-11-28 12:23:00.692284

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "667374512483"
down_revision = "7e6f93998a31"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "forum_standing_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("title_nl", sa.String(length=255), nullable=True),
        sa.Column("title_fr", sa.String(length=255), nullable=True),
        sa.Column("title_en", sa.String(length=255), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("closing", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "duration_minutes IS NULL OR (duration_minutes > 0 AND duration_minutes <= 1440)",
            name=op.f("ck_forum_standing_items_duration"),
        ),
        sa.CheckConstraint(
            "title_nl IS NOT NULL OR title_fr IS NOT NULL OR title_en IS NOT NULL",
            name=op.f("ck_forum_standing_items_title_written"),
        ),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forums.id"],
            name=op.f("fk_forum_standing_items_forum_id_forums"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_standing_items")),
    )
    with op.batch_alter_table("forum_standing_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_forum_standing_items_forum_id"), ["forum_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("forum_standing_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_standing_items_forum_id"))

    op.drop_table("forum_standing_items")
