"""feeds: feed tokens

One calendar token per user for the personal iCal feeds. Only the SHA-256 of the token is
stored (unique, so the feed finds its owner through the index); the fingerprint of the last
content served and its time give the feeds an honest Last-Modified.

Revision ID: 5e3dfff240e2
Revises: ad42dee447fc
Create Date: 2026-11-25 08:58:03.570287

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5e3dfff240e2"
down_revision = "ad42dee447fc"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("content_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_feed_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_feed_tokens_token_hash")),
        sa.UniqueConstraint("user_id", name=op.f("uq_feed_tokens_user_id")),
    )


def downgrade():
    op.drop_table("feed_tokens")
