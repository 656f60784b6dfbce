"""minutes: decisions and follow-up actions in Dutch and French (English optional)

Each text column becomes three, one per content language (``text`` -> ``text_nl``,
``text_fr``, ``text_en``), read by the application as one value that shows the reader's
language and marks a missing translation.

Data (``coordination.core.texts_migration``): each existing text becomes the text of the
language it is written in, told by its words (two parts in different languages separated by
a rule are split); downgrade joins them back the same way. Written as SQL (``--sql``) the rows
cannot be read: the upgrade keeps each text whole as the Dutch one.

Revision ID: b2e6f0a4c8d1
Revises: 7d41b9e2c5a8
Create Date: 2026-11-27 18:40:00.000000

"""

from coordination.core.texts_migration import (
    BLOCK_SEPARATOR,
    TextColumn,
    give_languages,
    take_languages_away,
)


# revision identifiers, used by Alembic.
revision = "b2e6f0a4c8d1"
down_revision = "7d41b9e2c5a8"
branch_labels = None
depends_on = None

TEXTS = (
    TextColumn(
        "minutes_decisions", "text", None, required=True, separator=BLOCK_SEPARATOR,
        check="text_written",
    ),
    TextColumn(
        "follow_up_actions", "description", None, required=True, separator=BLOCK_SEPARATOR,
        check="description_written",
    ),
)  # fmt: skip


def upgrade():
    for text in TEXTS:
        give_languages(text)


def downgrade():
    for text in reversed(TEXTS):
        take_languages_away(text)
