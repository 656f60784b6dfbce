"""``flask --app coordination db ...``: Flask-Migrate's commands, with a ``downgrade`` that asks.

A downgrade drops the tables of the revisions it undoes, rows and all. Without ``--yes`` this
``downgrade`` first says which tables the target revision drops, with their row counts, and
asks; it changes nothing unless the answer is yes. ``--sql`` (which only prints SQL) does not
ask. ``flask_migrate.downgrade()`` called from Python (the migration tests) is not affected:
only the command line asks.

The group is a copy of Flask-Migrate's ``db`` group (its options, its other commands), so that
Flask-Migrate's own module-wide group is not changed; it is registered after Flask-Migrate's
and replaces it.
"""

from __future__ import annotations

from typing import Any

import click
import sqlalchemy as sa
from alembic.migration import MigrationContext
from flask import g
from flask.cli import with_appcontext
from flask_migrate.cli import db as flask_migrate_group

from coordination.core.cli import OneLineCommand, fail
from coordination.core.schema_history import (
    Downgrade,
    SchemaHistoryError,
    application_schema_history,
)
from coordination.db import db

YES_OPTION = click.Option(
    ["--yes"], is_flag=True, help="Do not ask for confirmation before dropping tables."
)


def confirming_downgrade(original: click.Command) -> click.Command:
    """Flask-Migrate's ``downgrade`` command, behind a confirmation of what it drops."""

    @with_appcontext
    def callback(yes: bool, **arguments: Any) -> None:
        if not (yes or arguments["sql"]):
            confirm_downgrade(arguments["directory"] or g.get("directory"), arguments["revision"])
        click.get_current_context().invoke(original, **arguments)

    return OneLineCommand(
        original.name,
        params=[*original.params, YES_OPTION],
        callback=callback,
        help=f"{original.help}. Asks before dropping tables, unless --yes.",
    )


def confirm_downgrade(directory: str | None, target: str) -> None:
    """Say what going down to ``target`` drops, and ask; stop the command unless confirmed.

    Nothing to ask when the database has no revision yet or is already at ``target``.

    :raise click.Abort: the answer is not yes (exit code 1, nothing changed).
    :raise click.UsageError: an unknown target, or one not below the current revision.
    """
    current = current_revision()
    if current is None:
        return
    try:
        downgrade = application_schema_history(directory).downgrade(current, target)
    except SchemaHistoryError as error:
        fail(f"cannot downgrade from {current} to {target}: {error.message}")
    if downgrade.target == current:
        return
    click.echo(describe_downgrade(downgrade, row_counts(downgrade.dropped_tables)))
    click.confirm("Continue?", default=False, abort=True)


def current_revision() -> str | None:
    """The database's revision; None before the first ``db upgrade``.

    :raise click.UsageError: the database is at several revisions (a branched history).
    """
    with db.engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    if len(heads) > 1:
        fail(f"the database is at several revisions ({', '.join(heads)}): downgrade with --yes")
    return heads[0] if heads else None


def row_counts(tables: tuple[str, ...]) -> dict[str, int]:
    """The number of rows of each of ``tables`` that exists in the database."""
    existing = set(sa.inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        return {
            name: connection.execute(
                sa.select(sa.func.count()).select_from(sa.table(name))
            ).scalar_one()
            for name in tables
            if name in existing
        }


def describe_downgrade(downgrade: Downgrade, counts: dict[str, int]) -> str:
    """One line: "Downgrading from A to B drops: minutes (12 rows), minutes_revisions (30 rows)."

    A downgrade that drops no table may still drop columns: the line says so.
    """
    target = downgrade.target or "base"
    if not downgrade.dropped_tables:
        return (
            f"Downgrading from {downgrade.current} to {target} drops no table "
            "(columns added since may still be dropped, with their data)."
        )
    dropped = ", ".join(
        f"{name} ({_rows(counts[name])})" if name in counts else name
        for name in downgrade.dropped_tables
    )
    return f"Downgrading from {downgrade.current} to {target} drops: {dropped}."


def _rows(count: int) -> str:
    return "1 row" if count == 1 else f"{count} rows"


#: Flask-Migrate's ``db`` group with the confirming ``downgrade``.
cli = click.Group(
    flask_migrate_group.name,
    commands={
        **flask_migrate_group.commands,
        "downgrade": confirming_downgrade(flask_migrate_group.commands["downgrade"]),
    },
    params=list(flask_migrate_group.params),
    callback=flask_migrate_group.callback,
    help=flask_migrate_group.help,
)
