"""feeds: what each feed of a token last contained, per feed

A token's personal feed and each of its forum feeds keep their own fingerprint and the moment it
was first served (their Last-Modified), so that a forum feed's date moves with that forum only.

Data: the personal feed's state moves from the token row to its own row (scope ''); forum
feeds start without one (their next fetch records it). Downgrade puts the personal feed's state
back on the token and drops the forum feeds' states.

Revision ID: 1c36099727fe
Revises: 9ce428d872d6
Create Date: 2026-11-28 02:28:51.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "1c36099727fe"
down_revision = "9ce428d872d6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feed_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_token_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("content_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("content_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_token_id"],
            ["feed_tokens.id"],
            name=op.f("fk_feed_states_feed_token_id_feed_tokens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_states")),
        sa.UniqueConstraint(
            "feed_token_id", "scope", name=op.f("uq_feed_states_feed_token_id_scope")
        ),
    )
    op.execute(
        "INSERT INTO feed_states (feed_token_id, scope, content_fingerprint, content_changed_at) "
        "SELECT id, '', content_fingerprint, content_changed_at FROM feed_tokens "
        "WHERE content_fingerprint IS NOT NULL AND content_changed_at IS NOT NULL"
    )
    with op.batch_alter_table("feed_tokens", schema=None) as batch_op:
        batch_op.drop_column("content_changed_at")
        batch_op.drop_column("content_fingerprint")


def downgrade():
    with op.batch_alter_table("feed_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_fingerprint", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("content_changed_at", sa.DateTime(timezone=True), nullable=True)
        )
    for column in ("content_fingerprint", "content_changed_at"):
        op.execute(
            f"UPDATE feed_tokens SET {column} = (SELECT feed_states.{column} FROM feed_states "  # noqa: S608
            "WHERE feed_states.feed_token_id = feed_tokens.id AND feed_states.scope = '')"
        )
    op.drop_table("feed_states")
