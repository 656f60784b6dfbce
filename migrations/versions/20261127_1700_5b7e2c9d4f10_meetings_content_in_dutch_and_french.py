"""meetings: titles, places and agenda items in Dutch and French (English optional)

Each text column becomes three, one per content language (``title`` -> ``title_nl``,
``title_fr``, ``title_en``), read by the application as one value that shows the reader's
language and marks a missing translation.

Data (``coordination.core.texts_migration``): each existing text becomes the text of the
language it is written in, told by its words; a title such as "Bureau — maandelijkse
vergadering / réunion mensuelle" is split into its Dutch and its French half, an agenda item
description made of two parts in different languages separated by a rule (``---``) likewise.
Downgrade joins the languages back into one text the same way (" / " for titles and places,
a rule for descriptions), so an upgrade after it finds them again. Written as SQL (``--sql``)
the rows cannot be read: the upgrade keeps each text whole as the Dutch one.

Revision ID: 5b7e2c9d4f10
Revises: 0c1a5e0b0a14
Create Date: 2026-11-27 17:00:00.000000

"""

from coordination.core.texts_migration import (
    BLOCK_SEPARATOR,
    TextColumn,
    give_languages,
    take_languages_away,
)


# revision identifiers, used by Alembic.
revision = "5b7e2c9d4f10"
down_revision = "0c1a5e0b0a14"
branch_labels = None
depends_on = None

TEXTS = (
    TextColumn("meeting_series", "title", 200, required=True, check="title_written"),
    TextColumn("meeting_series", "place", 300, required=False),
    TextColumn("meetings", "title", 200, required=True, check="title_written"),
    TextColumn("meetings", "place", 300, required=False),
    TextColumn("agenda_items", "title", 255, required=True, check="title_written"),
    TextColumn("agenda_items", "description", None, required=True, separator=BLOCK_SEPARATOR),
)


def upgrade():
    for text in TEXTS:
        give_languages(text)


def downgrade():
    for text in reversed(TEXTS):
        take_languages_away(text)
