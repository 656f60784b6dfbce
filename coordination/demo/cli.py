"""``flask --app coordination demo load``: the demonstration data."""

from __future__ import annotations

import click
from flask import current_app

from coordination.core.cli import CoordinationGroup, fail
from coordination.db import db

cli = CoordinationGroup("demo", help="Demonstration data (development only).")


@cli.command("load")
def load_demo_command() -> None:
    """Load the demonstration data (idempotent; refused in production)."""
    from coordination.demo import DEMO_PASSWORD, DEMO_SECOND_FACTOR_KEY, load_demo_data

    if not current_app.config.get("DEMO_ALLOWED"):
        fail("demo data is not allowed in this configuration (production)")
    summary = load_demo_data()
    db.session.commit()
    click.echo(summary.describe())
    if current_app.config.get("ENV_NAME") == "development":
        click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for email, description in summary.accounts:
            click.echo(f"  {email:<40} {description}")
        click.echo(
            "\nThe secretariat signs in in two steps: add this key to an authenticator app "
            f"(time-based, 6 digits, 30 s): {DEMO_SECOND_FACTOR_KEY}"
        )
