"""``flask --app coordination outbox ...``: the e-mail outbox."""

from __future__ import annotations

import time

import click
from flask import current_app

from coordination.core.cli import CoordinationGroup
from coordination.db import db

cli = CoordinationGroup("outbox", help="The e-mail outbox.")


@cli.command("deliver")
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


@cli.command("status")
def outbox_status_command() -> None:
    """Count pending, sent and failed messages."""
    from coordination.notifications.services import outbox_counts

    for status, count in outbox_counts().items():
        click.echo(f"{status}\t{count}")
