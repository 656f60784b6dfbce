"""Migration steps that turn one text column into one column per content language and back.

Used by the Alembic revisions that gave content its languages (meetings, measures ...): each
existing text becomes the text of the language it is written in, told by its words
(:mod:`coordination.core.language_guess`); a title written "Dutch / French" is split into its
halves, a description made of two parts separated by a rule likewise. Going down joins the
languages back the same way, so an upgrade after it finds them again.

Written as SQL (``alembic upgrade --sql``) the rows cannot be read: the upgrade keeps each text
whole as the Dutch one, the downgrade joins the Dutch and the French texts (else the English).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from coordination.core.language_guess import split_by_language
from coordination.core.texts import language_columns

#: How the languages of a one-line text were (and are again, going down) written together.
LINE_SEPARATOR = " / "
#: How the languages of a longer text (Markdown) were written together.
BLOCK_SEPARATOR = "\n\n---\n\n"


@dataclass(frozen=True)
class TextColumn:
    """A text column that gets its languages: ``title`` becomes ``title_nl`` ... ."""

    table: str
    column: str
    #: Characters of a String column; None for Text.
    length: int | None
    #: Whether the single column was NOT NULL (and gets its NOT NULL back going down).
    required: bool
    separator: str = LINE_SEPARATOR
    #: The name of the check that one language at least is written (``title_written`` gives
    #: ``ck_<table>_title_written``); None for an optional text.
    check: str | None = None

    @property
    def type(self) -> sa.types.TypeEngine:
        return sa.String(length=self.length) if self.length else sa.Text()

    @property
    def languages(self) -> tuple[str, ...]:
        return language_columns(self.column)

    def table_clause(self) -> sa.TableClause:
        names = (self.column, *self.languages)
        return sa.table(self.table, sa.column("id", sa.Integer), *(sa.column(n) for n in names))


def give_languages(text: TextColumn) -> None:
    """Add the language columns, fill them from the text, drop the text column."""
    with op.batch_alter_table(text.table, schema=None) as batch_op:
        for name in text.languages:
            batch_op.add_column(sa.Column(name, text.type, nullable=True))
    _split(text)
    with op.batch_alter_table(text.table, schema=None) as batch_op:
        batch_op.drop_column(text.column)
    if text.check:
        _require_one_language(text)


def take_languages_away(text: TextColumn) -> None:
    """Add the text column back, fill it with the languages joined, drop their columns."""
    if text.check:
        with op.batch_alter_table(text.table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{text.table}_{text.check}"), type_="check")
    with op.batch_alter_table(text.table, schema=None) as batch_op:
        batch_op.add_column(sa.Column(text.column, text.type, nullable=True))
    _join(text)
    with op.batch_alter_table(text.table, schema=None) as batch_op:
        if text.required:
            batch_op.alter_column(text.column, existing_type=text.type, nullable=False)
        for name in text.languages:
            batch_op.drop_column(name)


def _split(text: TextColumn) -> None:
    target = text.table_clause()
    if context.is_offline_mode():
        op.execute(target.update().values({f"{text.column}_nl": target.c[text.column]}))
        return
    connection = op.get_bind()
    rows = connection.execute(sa.select(target.c.id, target.c[text.column])).all()
    for row_id, value in rows:
        texts = split_by_language(
            str(value) if value is not None else None, separator=text.separator
        )
        if texts:
            connection.execute(
                target.update()
                .where(target.c.id == row_id)
                .values({f"{text.column}_{language}": part for language, part in texts.items()})
            )


def _join(text: TextColumn) -> None:
    target = text.table_clause()
    if context.is_offline_mode():
        op.execute(target.update().values({text.column: _joined_in_sql(text, target)}))
        return
    connection = op.get_bind()
    columns = [target.c[name] for name in text.languages]
    for row_id, *parts in connection.execute(sa.select(target.c.id, *columns)).all():
        joined = joined_texts(parts, text.separator, text.length)
        if joined or text.required:
            connection.execute(
                target.update().where(target.c.id == row_id).values({text.column: joined})
            )


def joined_texts(parts: list[Any], separator: str, length: int | None) -> str:
    """The distinct texts written, in language order, as one; the first alone if too long."""
    written = list(dict.fromkeys(part for part in parts if part))
    joined = separator.join(written)
    if length and len(joined) > length:
        return written[0][:length]
    return joined


def _joined_in_sql(text: TextColumn, target: sa.TableClause) -> sa.ColumnElement:
    """The Dutch and the French text joined when both are written, differ and fit, else the
    first one written (English last)."""
    nl, fr, en = (target.c[name] for name in text.languages)  # CONTENT_LANGUAGES' order
    both = sa.and_(nl.is_not(None), fr.is_not(None), nl != fr)
    if text.length:
        fits = sa.func.length(nl) + len(text.separator) + sa.func.length(fr) <= text.length
        both = sa.and_(both, fits)
    written = sa.func.coalesce(nl, fr, en)
    if text.required:
        written = sa.func.coalesce(written, "")
    return sa.case((both, nl + text.separator + fr), else_=written)


def _require_one_language(text: TextColumn) -> None:
    """The check that the text has a language at least (``ck_<table>_<check>``)."""
    written = " OR ".join(f"{name} IS NOT NULL" for name in text.languages)
    with op.batch_alter_table(text.table, schema=None) as batch_op:
        batch_op.create_check_constraint(op.f(f"ck_{text.table}_{text.check}"), written)
