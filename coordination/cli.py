"""Thin command groups over the services: ``flask --app coordination <group> <command>``.

Bad input prints one line on stderr and exits with code 2; never a traceback.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Flask, current_app
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


users_cli = CoordinationGroup("users", help="Manage accounts.")
demo_cli = CoordinationGroup("demo", help="Demonstration data (development only).")
outbox_cli = CoordinationGroup("outbox", help="The e-mail outbox.")
feeds_cli = CoordinationGroup("feeds", help="Personal calendar feeds.")
meetings_cli = CoordinationGroup("meetings", help="Meeting series and meetings.")


@users_cli.command("create")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["secretariat", "agency_rep", "minister", "rapporteur"]),
)
@click.option("--agency", "agency_code", default=None, help="Agency short code, e.g. FEDPOL.")
@click.option("--locale", default=None, type=click.Choice(["nl", "fr", "en"]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(
    email: str,
    full_name: str,
    role: str,
    agency_code: str | None,
    locale: str | None,
    password_stdin: bool,
) -> None:
    """Create an account."""
    from coordination.agencies.services import get_agency_by_code
    from coordination.users.models import Role
    from coordination.users.services import create_user

    agency = None
    if agency_code:
        agency = get_agency_by_code(agency_code)
        if agency is None:
            fail(f"no agency with short code {agency_code!r}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = create_user(
        email=email,
        full_name=full_name,
        role=Role(role),
        agency=agency,
        locale=locale,
        password=password,
        actor=None,
    )
    db.session.commit()
    click.echo(f"created {user.email} ({user.role.value})")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_user_command(email: str) -> None:
    """Deactivate an account: no login, no sessions, no calendar feed."""
    from coordination.auth.services import find_user_by_email
    from coordination.users.services import deactivate_user

    user = find_user_by_email(email)
    if user is None:
        fail(f"no account with e-mail {email!r}")
    deactivate_user(user, actor=None)
    db.session.commit()
    click.echo(f"deactivated {user.email}")


@users_cli.command("list")
def list_users_command() -> None:
    """List accounts."""
    from coordination.users.services import list_users

    for user in list_users():
        agency = user.agency.code if user.agency else "-"
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.email}\t{user.role.value}\t{agency}\t{state}")


@demo_cli.command("load")
def load_demo_command() -> None:
    """Load the demonstration data (idempotent; refused in production)."""
    from coordination.demo import DEMO_PASSWORD, load_demo_data

    if not current_app.config.get("DEMO_ALLOWED"):
        fail("demo data is not allowed in this configuration (production)")
    summary = load_demo_data()
    db.session.commit()
    click.echo(summary.describe())
    if current_app.config.get("ENV_NAME") == "development":
        click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for email, description in summary.accounts:
            click.echo(f"  {email:<40} {description}")


@meetings_cli.command("extend")
@click.option(
    "--months",
    default=12,
    show_default=True,
    type=click.IntRange(1, 60),
    help="How far ahead meetings exist, in months.",
)
@click.option(
    "--today",
    "today",
    default=None,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Count from this date (YYYY-MM-DD) instead of today in Brussels.",
)
def extend_meetings_command(months: int, today: Any) -> None:
    """Create the meetings of every active series up to the horizon (idempotent)."""
    from coordination.core.time import today_brussels
    from coordination.meetings.services import extend_all_series

    start = today.date() if today is not None else today_brussels()
    report = extend_all_series(start, months)
    db.session.commit()
    click.echo(
        f"{report.series} series, {report.created} meetings created "
        f"(horizon {report.until.isoformat() if report.until else '-'})"
    )


@outbox_cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering until interrupted.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between runs.")
def deliver_outbox_command(loop: bool, interval: float) -> None:
    """Send the e-mails that are due, with retries and back-off."""
    from coordination.notifications.mailer import mailer_from_config
    from coordination.notifications.services import deliver_due_messages

    mailer = mailer_from_config(current_app.config)
    while True:
        report = deliver_due_messages(mailer)
        if report.sent or report.retried or report.failed or not loop:
            click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")
        if not loop:
            return
        db.session.remove()
        time.sleep(interval)


@outbox_cli.command("status")
def outbox_status_command() -> None:
    """Count pending, sent and failed messages."""
    from coordination.notifications.services import outbox_counts

    for status, count in outbox_counts().items():
        click.echo(f"{status}\t{count}")


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
    """Replace the whole database with the backup in PATH."""
    from coordination.core.backup import BackupError, restore_database

    if not yes:
        click.confirm("This replaces every row of the database. Continue?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the database during the restore
    try:
        restore_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        fail(str(error.message))
    click.echo(f"database restored from {path}")


@feeds_cli.command("url")
@click.argument("email")
def feed_url_command(email: str) -> None:
    """Print a user's calendar feed URL (https://), for support staff.

    Only a hash of each address is kept, so an existing address cannot be shown again: this
    creates a new one, and calendars subscribed with the previous address stop updating.
    """
    from coordination.auth.services import find_user_by_email
    from coordination.feeds.calendars import personal_feed_url
    from coordination.feeds.services import issue_feed_token

    user = find_user_by_email(email)
    if user is None:
        fail(f"no account with e-mail {email!r}")
    if not user.active:
        fail(f"the account {user.email} is deactivated")
    token = issue_feed_token(user, actor=None)
    db.session.commit()
    click.echo(personal_feed_url(token))


def register_cli(app: Flask) -> None:
    for group in (users_cli, demo_cli, outbox_cli, meetings_cli, feeds_cli):
        app.cli.add_command(group)
    for command in (backup_command, restore_command):
        app.cli.add_command(command)
