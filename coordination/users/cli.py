"""``flask --app coordination users ...``: accounts."""

from __future__ import annotations

import sys

import click

from coordination.core.cli import CoordinationGroup, fail
from coordination.db import db

cli = CoordinationGroup("users", help="Manage accounts.")


@cli.command("create")
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


@cli.command("deactivate")
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


@cli.command("list")
def list_users_command() -> None:
    """List accounts."""
    from coordination.users.services import list_users

    for user in list_users():
        agency = user.agency.code if user.agency else "-"
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.email}\t{user.role.value}\t{agency}\t{state}")


@cli.command("reset-2fa")
@click.argument("email")
def reset_second_factor_command(email: str) -> None:
    """Forget a user's authenticator app and recovery codes (a lost phone); ends their sessions.

    They set up the app again at their next sign-in (the secretariat must) or from their
    account page.
    """
    from coordination.auth.second_factor import remove_second_factor
    from coordination.auth.services import find_user_by_email
    from coordination.auth.sessions import end_sessions

    user = find_user_by_email(email)
    if user is None:
        fail(f"no account with e-mail {email!r}")
    removed = remove_second_factor(user, actor=None)
    end_sessions(user)
    db.session.commit()
    if removed:
        click.echo(f"two-step sign-in reset for {user.email}; their sessions have ended")
    else:
        click.echo(f"{user.email} had no two-step sign-in; their sessions have ended")
