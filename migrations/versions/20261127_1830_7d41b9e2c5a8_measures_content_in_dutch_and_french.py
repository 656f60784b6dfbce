"""measures: titles, descriptions and indicator names in Dutch and French (English optional)

Each text column becomes three, one per content language (``title`` -> ``title_nl``,
``title_fr``, ``title_en``), read by the application as one value that shows the reader's
language and marks a missing translation.

Data (``coordination.core.texts_migration``): each existing text becomes the text of the
language it is written in, told by its words (a title written "Dutch / French" is split in
two, a description in parts separated by a rule likewise); downgrade joins them back the same
way. An empty description (the old column's default) becomes no text at all, and comes back
empty. Written as SQL (``--sql``) the rows cannot be read: the upgrade keeps each text whole
as the Dutch one.

Revision ID: 7d41b9e2c5a8
Revises: 3f8a2c6d9e11
Create Date: 2026-11-27 18:30:00.000000

"""

from coordination.core.texts_migration import (
    BLOCK_SEPARATOR,
    TextColumn,
    give_languages,
    take_languages_away,
)


# revision identifiers, used by Alembic.
revision = "7d41b9e2c5a8"
down_revision = "3f8a2c6d9e11"
branch_labels = None
depends_on = None

TEXTS = (
    TextColumn("measures", "title", 255, required=True, check="title_written"),
    TextColumn("measures", "description", None, required=True, separator=BLOCK_SEPARATOR),
    TextColumn("indicators", "name", 255, required=True, check="name_written"),
)


def upgrade():
    for text in TEXTS:
        give_languages(text)


def downgrade():
    for text in reversed(TEXTS):
        take_languages_away(text)
