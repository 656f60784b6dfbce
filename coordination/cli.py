"""Thin command groups over the services: ``flask --app coordination <group> <command>``.

Bad input prints one line on stderr and exits with code 2; never a traceback.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

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


def fail(message: str) -> None:
    """Stop a command with a one-line message and exit code 2."""
    raise click.UsageError(message)


users_cli = CoordinationGroup("users", help="Manage accounts.")
demo_cli = CoordinationGroup("demo", help="Demonstration data (development only).")
outbox_cli = CoordinationGroup("outbox", help="The e-mail outbox.")
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


def register_cli(app: Flask) -> None:
    for group in (users_cli, demo_cli, outbox_cli, meetings_cli):
        app.cli.add_command(group)
