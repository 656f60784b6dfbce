"""``flask --app coordination meetings ...``: meeting series and meetings."""

from __future__ import annotations

from typing import Any

import click

from coordination.core.cli import CoordinationGroup
from coordination.db import db

cli = CoordinationGroup("meetings", help="Meeting series and meetings.")


@cli.command("extend")
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
    for skipped in report.skipped:  # the operator learns of them here, not only in the log
        click.echo(f"series {skipped.series_id}: no meeting on {skipped.day}: {skipped.reason}")


@cli.command("remind")
def remind_command() -> None:
    """E-mail those who have not answered the invitations of meetings entering their forum's
    reminder days (each meeting once: run it daily from cron)."""
    from coordination.core.time import utcnow
    from coordination.meetings.replies import send_due_reminders

    sent = send_due_reminders(utcnow())
    db.session.commit()
    click.echo(f"{sent} reminders queued")
