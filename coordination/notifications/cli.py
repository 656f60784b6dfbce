"""``flask --app coordination outbox ...``: the e-mail outbox."""

from __future__ import annotations

import time

import click
from flask import current_app

from coordination.core.cli import CoordinationGroup

cli = CoordinationGroup("outbox", help="The e-mail outbox.")


@cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering until interrupted.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between runs.")
def deliver_outbox_command(loop: bool, interval: float) -> None:
    """Send the e-mails that are due, with retries and back-off.

    With --loop, database and mail server outages do not stop the worker: it logs them and
    carries on when they are over; between runs it reads the words of uploaded documents for
    search. Without it, one run; a database error ends it.
    """
    from coordination.notifications.mailer import mailer_from_config
    from coordination.notifications.services import DeliveryReport, deliver_due_messages
    from coordination.notifications.worker import run_delivery_loop
    from coordination.search.extraction import read_next_documents

    def echo(report: DeliveryReport) -> None:
        click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")

    mailer = mailer_from_config(current_app.config)
    if loop:
        # The worker also reads the words of uploaded documents for search, a few per run.
        run_delivery_loop(
            mailer,
            interval=interval,
            sleep=time.sleep,
            on_report=echo,
            chores=(read_next_documents,),
        )
    else:
        echo(deliver_due_messages(mailer))


#: Columns of the failed-message listing (tab-separated, for grep and awk).
FAILED_COLUMNS = ("when", "recipient", "subject", "reason", "last error", "cause")


@cli.command("status")
@click.option("--limit", default=50, show_default=True, help="Failed messages listed at most.")
def outbox_status_command(limit: int) -> None:
    """Count pending, sending, sent and failed messages; list the failed ones, newest first.

    The reason of a failure: "rejected" (the mail server refused it for good: see the last
    error), "gave_up" (temporary errors until the last attempt), "uncertain" (the worker
    stopped while handing it over: it may have arrived; check before sending it again).
    """
    from coordination.core.time import to_brussels
    from coordination.notifications.services import failed_messages, outbox_counts

    counts = outbox_counts()
    for status, count in counts.items():
        click.echo(f"{status}\t{count}")
    click.echo()
    failed = failed_messages(limit)
    if not failed:
        click.echo("no failed message")
        return
    click.echo("\t".join(FAILED_COLUMNS))
    for message in failed:
        when = to_brussels(message.last_attempt_at or message.created_at)
        fields = (
            when.isoformat(timespec="seconds"),
            message.recipient,
            message.subject,
            str(message.failure or ""),
            message.last_error or "",
            message.reason or "",
        )
        click.echo("\t".join(_one_line(field) for field in fields))
    if counts["failed"] > len(failed):
        click.echo(f"... and {counts['failed'] - len(failed)} more (--limit)")


def _one_line(text: str) -> str:
    """A field without tabs or line breaks (a server's reply may span several lines)."""
    return " ".join(text.split())
