"""``flask --app coordination meetings ...``: meeting series and meetings."""

from __future__ import annotations

from pathlib import Path
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


@cli.command("read-replies")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def read_replies_command(paths: tuple[Path, ...]) -> None:
    """Record the answers mail clients send to the invitations ("accept", "decline"): read the
    unread messages of the organiser's mailbox, a Maildir folder (each marked read once its
    answer is recorded), or ``.eml`` files. Run it every few minutes from cron, after the mail
    is fetched."""
    from coordination.core.time import utcnow
    from coordination.meetings.imip import Report, messages_in, record_reply

    report = Report()
    for path in paths:
        for message, mark_read in messages_in(path):
            report.count(record_reply(message, now=utcnow()))
            db.session.commit()
            mark_read()  # once its answer is committed: a crash reads it again, harmlessly
    click.echo(f"replies: {report.describe()}")
