"""``flask --app coordination minutes ...``: the minutes' follow-up actions."""

from __future__ import annotations

import click

from coordination.core.cli import CoordinationGroup
from coordination.db import db

cli = CoordinationGroup("minutes", help="Minutes and their follow-up actions.")


@cli.command("remind")
def remind_command() -> None:
    """E-mail the owners of follow-up actions falling due within their forum's reminder days
    (each action once: run it daily from cron)."""
    from coordination.core.time import utcnow
    from coordination.minutes.reminders import send_follow_up_reminders

    sent = send_follow_up_reminders(utcnow())
    db.session.commit()
    click.echo(f"{sent} reminders queued")
