"""minutes: the text in Dutch and French (English optional), a revision history per language

The minutes' text becomes three columns, one per content language (``body`` -> ``body_nl``,
``body_fr``, ``body_en``); each revision records the language it is written in.

Data (``coordination.core.texts_migration``): each existing text becomes the text of the
language it is written in, told by its words; each revision gets the language of its text the
same way. Downgrade joins the languages back into one text (parts separated by a rule) and
forgets the revisions' languages. Written as SQL (``--sql``) the rows cannot be read: texts and
revisions are taken as Dutch.

Revision ID: c5f1d3e7a9b2
Revises: b2e6f0a4c8d1
Create Date: 2026-11-27 19:00:00.000000

"""

import sqlalchemy as sa
from alembic import context, op

from coordination.core.language_guess import guess_language
from coordination.core.texts_migration import (
    BLOCK_SEPARATOR,
    TextColumn,
    give_languages,
    take_languages_away,
)


# revision identifiers, used by Alembic.
revision = "c5f1d3e7a9b2"
down_revision = "b2e6f0a4c8d1"
branch_labels = None
depends_on = None

BODY = TextColumn("minutes", "body", None, required=True, separator=BLOCK_SEPARATOR)


def upgrade():
    give_languages(BODY)
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=2), nullable=True))
    _revision_languages()
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.alter_column("language", existing_type=sa.String(length=2), nullable=False)
        batch_op.create_check_constraint(
            op.f("ck_minutes_revisions_language_known"), "language IN ('nl', 'fr', 'en')"
        )


def downgrade():
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_minutes_revisions_language_known"), type_="check")
        batch_op.drop_column("language")
    take_languages_away(BODY)


def _revision_languages():
    revisions = sa.table(
        "minutes_revisions", sa.column("id", sa.Integer), sa.column("body"), sa.column("language")
    )
    if context.is_offline_mode():
        op.execute(revisions.update().values(language="nl"))
        return
    connection = op.get_bind()
    for row_id, body in connection.execute(sa.select(revisions.c.id, revisions.c.body)).all():
        connection.execute(
            revisions.update()
            .where(revisions.c.id == row_id)
            .values(language=guess_language(body or "", default="nl"))
        )
