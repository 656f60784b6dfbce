"""Command-line plumbing shared by every domain's commands, and the database's own commands.

Every command is ``flask --app coordination <group> <command>``. Bad input prints one line on
stderr and exits with code 2; never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from coordination.core.errors import DomainError
from coordination.db import db

EXIT_BAD_INPUT = 2


class CoordinationGroup(AppGroup):
    """An AppGroup whose usage errors and domain refusals are one line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            db.session.rollback()
            click.echo(f"Error: {error.format_message()}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except DomainError as error:
            db.session.rollback()
            click.echo(f"Error: {error.message}", err=True)
            ctx.exit(EXIT_BAD_INPUT)


def fail(message: str) -> NoReturn:
    """Stop a command with a one-line message and exit code 2."""
    raise click.UsageError(message)


class OneLineCommand(click.Command):
    """A top-level command whose usage errors and refusals are one line and exit code 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            click.echo(f"Error: {error.format_message()}", err=True)
            ctx.exit(EXIT_BAD_INPUT)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            click.echo(f"Error: {error.format_message()}", err=True)
            ctx.exit(EXIT_BAD_INPUT)


@click.command("backup", cls=OneLineCommand)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent backup of the whole database to PATH."""
    from coordination.core.backup import BackupError, backup_database

    try:
        backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        fail(str(error.message))
    click.echo(f"backup written to {path}")


@click.command("restore", cls=OneLineCommand)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the whole database with the backup in PATH, once the backup is checked.

    A file that is not an undamaged backup of this application's database, at a schema
    revision this code knows, is refused before anything is changed; so is a failed restore
    (see ``coordination.core.backup``).
    """
    from coordination.core.backup import BackupError, checked_backup
    from coordination.core.schema_history import application_schema_history

    database_url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        with checked_backup(database_url, path, application_schema_history()) as backup:
            if not yes:
                click.confirm(
                    f"This replaces every row of the database with {path} (schema revision "
                    f"{backup.revision}). Continue?",
                    abort=True,
                )
            _release_database_connections()
            backup.restore()
    except BackupError as error:
        fail(str(error.message))
    click.echo(f"database restored from {path}")
    if backup.needs_upgrade:
        click.echo(
            f"The backup is at schema revision {backup.revision}, older than this version's "
            f"{', '.join(backup.heads)}: run `flask --app coordination db upgrade` now."
        )


def _release_database_connections() -> None:
    """Close every pooled connection: none may hold the database while a restore replaces it."""
    db.session.remove()
    db.engine.dispose()
