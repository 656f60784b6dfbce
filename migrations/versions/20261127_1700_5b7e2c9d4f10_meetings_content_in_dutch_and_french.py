"""meetings: titles, places and agenda items in Dutch and French (English optional)

Each text column becomes three, one per content language (``title`` -> ``title_nl``,
``title_fr``, ``title_en``), read by the application as one value that shows the reader's
language and marks a missing translation.

Data: each existing text becomes the text of the language it is written in, told by its
words (``coordination.core.language_guess``); a title such as "Bureau — maandelijkse
vergadering / réunion mensuelle" is split into its Dutch and its French half, an agenda item
description made of two parts in different languages separated by a rule (``---``) likewise.
Downgrade joins the languages back into one text the same way (" / " for titles and places,
a rule for descriptions), so an upgrade after it finds them again.

Written as SQL (``--sql``), the migration cannot read the rows: the upgrade keeps each text
whole as the Dutch one, the downgrade joins the Dutch and the French texts (else the English).

Revision ID: 5b7e2c9d4f10
Revises: 0c1a5e0b0a14
Create Date: 2026-11-27 17:00:00.000000

"""

from alembic import context, op
import sqlalchemy as sa

from coordination.core.language_guess import split_by_language


# revision identifiers, used by Alembic.
revision = "5b7e2c9d4f10"
down_revision = "0c1a5e0b0a14"
branch_labels = None
depends_on = None

LANGUAGES = ("nl", "fr", "en")
LINE_SEPARATOR = " / "
BLOCK_SEPARATOR = "\n\n---\n\n"

#: (table, column, length or None for a text, old column was required, separator)
COLUMNS = (
    ("meeting_series", "title", 200, True, LINE_SEPARATOR),
    ("meeting_series", "place", 300, False, LINE_SEPARATOR),
    ("meetings", "title", 200, True, LINE_SEPARATOR),
    ("meetings", "place", 300, False, LINE_SEPARATOR),
    ("agenda_items", "title", 255, True, LINE_SEPARATOR),
    ("agenda_items", "description", None, True, BLOCK_SEPARATOR),
)

TITLE_WRITTEN = " OR ".join(f"title_{language} IS NOT NULL" for language in LANGUAGES)


def column_type(length):
    return sa.String(length=length) if length else sa.Text()


def upgrade():
    for table, column, length, _required, separator in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for language in LANGUAGES:
                batch_op.add_column(
                    sa.Column(f"{column}_{language}", column_type(length), nullable=True)
                )
        _split(table, column, length, separator)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
    for table in ("meeting_series", "meetings", "agenda_items"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{table}_title_written"), TITLE_WRITTEN)


def downgrade():
    for table in ("meeting_series", "meetings", "agenda_items"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_title_written"), type_="check")
    for table, column, length, required, separator in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, column_type(length), nullable=True))
        _join(table, column, length, separator, required)
        with op.batch_alter_table(table, schema=None) as batch_op:
            if required:
                batch_op.alter_column(column, existing_type=column_type(length), nullable=False)
            for language in LANGUAGES:
                batch_op.drop_column(f"{column}_{language}")


def _table(name, *columns):
    return sa.table(name, sa.column("id", sa.Integer), *(sa.column(c) for c in columns))


def _split(table, column, length, separator):
    target = _table(table, column, *(f"{column}_{language}" for language in LANGUAGES))
    if context.is_offline_mode():
        op.execute(target.update().values({f"{column}_nl": target.c[column]}))
        return
    connection = op.get_bind()
    rows = connection.execute(sa.select(target.c.id, target.c[column])).all()
    for row_id, text in rows:
        texts = split_by_language(text, separator=separator)
        if texts:
            connection.execute(
                target.update()
                .where(target.c.id == row_id)
                .values({f"{column}_{language}": value for language, value in texts.items()})
            )


def _join(table, column, length, separator, required):
    names = [f"{column}_{language}" for language in LANGUAGES]
    target = _table(table, column, *names)
    if context.is_offline_mode():
        joined = _joined_in_sql(target, column, length, separator)
        op.execute(target.update().values({column: joined}))
        return
    connection = op.get_bind()
    rows = connection.execute(sa.select(target.c.id, *(target.c[name] for name in names))).all()
    for row_id, *texts in rows:
        written = list(dict.fromkeys(text for text in texts if text))  # distinct, in order
        joined = separator.join(written)
        if length and len(joined) > length:
            joined = written[0][:length]  # too long together: the Dutch (else French) text
        if joined or required:
            connection.execute(
                target.update().where(target.c.id == row_id).values({column: joined})
            )


def _joined_in_sql(target, column, length, separator):
    """The Dutch and the French text joined when both are written, differ and fit, else the
    first one written (English last)."""
    nl, fr, en = (target.c[f"{column}_{language}"] for language in LANGUAGES)
    both = sa.and_(nl.is_not(None), fr.is_not(None), nl != fr)
    if length:
        both = sa.and_(both, sa.func.length(nl) + len(separator) + sa.func.length(fr) <= length)
    return sa.case((both, nl + separator + fr), else_=sa.func.coalesce(nl, fr, en))
