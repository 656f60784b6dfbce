"""The delivery worker (``outbox deliver --loop``) outlives database and mail server outages.

The loop is run with an injected ``sleep`` (that records and does not wait), ``should_stop``
and, where back-off of messages matters, a fake clock that moves only when the loop sleeps.
"""

from __future__ import annotations

import io
import logging
import time

import pytest
from sqlalchemy import select

from coordination.core.time import utcnow
from coordination.db import db
from coordination.meetings.services import store_document
from coordination.notifications.models import OutboxMessage, OutboxStatus
from coordination.notifications.worker import (
    ERROR_PAUSE_CAP,
    ERROR_PAUSE_FIRST,
    run_delivery_loop,
)
from tests.notifications.faults import FakeClock
from tests.notifications.helpers import message_ids, queue, stop_when

INTERVAL = 5.0


def statuses() -> set[OutboxStatus]:
    db.session.expire_all()
    return set(db.session.scalars(select(OutboxMessage.status)))


@pytest.mark.commits
def test_a_run_of_database_failures_does_not_end_the_loop(app, smtp, database_faults, caplog):
    smtp.start()
    ids = queue(3)
    database_faults.fail_for(12)  # a database server that takes a while to come back
    sleeps: list[float] = []
    caplog.set_level(logging.WARNING)

    run_delivery_loop(
        smtp.mailer(),
        interval=INTERVAL,
        sleep=sleeps.append,
        should_stop=stop_when(lambda: len(smtp.inbox.messages) == 3 and INTERVAL in sleeps),
    )

    assert sorted(smtp.inbox.message_ids()) == message_ids(ids)
    assert statuses() == {OutboxStatus.SENT}
    # The pauses after errors grow from the first one up to the cap, and never beyond it.
    errors = sleeps[: sleeps.index(INTERVAL)]
    assert len(errors) >= 7
    assert errors[0] == ERROR_PAUSE_FIRST
    assert errors == sorted(errors)
    assert errors[-1] == ERROR_PAUSE_CAP == max(sleeps)
    # Back to normal once the database answers: the ordinary interval, not the error pause.
    assert sleeps[-1] == INTERVAL
    # Each failed run is logged, and so is the return to normal.
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(messages) == len(errors) + 1
    assert all("the database failed" in message for message in messages[:-1])
    assert messages[-1] == f"outbox: delivering again after {len(errors)} failed run(s)"


@pytest.mark.commits
def test_the_loop_starts_even_when_the_database_is_down(app, smtp, database_faults):
    smtp.start()
    ids = queue(2)
    db.session.remove()  # no connection left in hand: the next one must be opened
    database_faults.fail_for(3)
    sleeps: list[float] = []
    run_delivery_loop(
        smtp.mailer(),
        interval=INTERVAL,
        sleep=sleeps.append,
        should_stop=stop_when(lambda: len(smtp.inbox.messages) == 2),
    )
    assert sorted(smtp.inbox.message_ids()) == message_ids(ids)
    assert sleeps[:3] == [ERROR_PAUSE_FIRST, 2 * ERROR_PAUSE_FIRST, 4 * ERROR_PAUSE_FIRST]


def test_a_mail_server_outage_does_not_end_the_loop(app, smtp):
    ids = queue(3)  # the mail server is down
    clock = FakeClock(utcnow())

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if len(clock.sleeps) == 4:
            smtp.start()  # back after a few minutes

    run_delivery_loop(
        smtp.mailer(),
        interval=60,
        sleep=sleep,
        clock=clock,
        should_stop=stop_when(lambda: len(smtp.inbox.messages) == 3),
    )
    assert sorted(smtp.inbox.message_ids()) == message_ids(ids)
    assert statuses() == {OutboxStatus.SENT}


def test_a_failing_transport_fails_the_message_not_the_loop(app, smtp):
    smtp.start()
    ids = queue(1)
    calls = []

    class FlakyMailer:
        sender = "c@example.org"

        def send(self, *args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("a bug in a mail transport")
            smtp.mailer().send(*args, **kwargs)

    clock = FakeClock(utcnow())
    run_delivery_loop(
        FlakyMailer(),
        interval=60,
        sleep=clock.sleep,
        clock=clock,
        should_stop=stop_when(lambda: len(smtp.inbox.messages) == 1),
    )
    assert smtp.inbox.message_ids() == message_ids(ids)


def test_an_unexpected_error_is_logged_with_its_traceback_and_the_loop_goes_on(
    app, smtp, caplog, monkeypatch
):
    from coordination.notifications import worker

    smtp.start()
    ids = queue(1)
    deliver = worker.deliver_due_messages
    calls = []

    def deliver_with_a_bug_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug")
        return deliver(*args, **kwargs)

    monkeypatch.setattr(worker, "deliver_due_messages", deliver_with_a_bug_once)
    sleeps: list[float] = []
    run_delivery_loop(
        smtp.mailer(),
        interval=INTERVAL,
        sleep=sleeps.append,
        should_stop=stop_when(lambda: len(smtp.inbox.messages) == 1),
    )
    assert smtp.inbox.message_ids() == message_ids(ids)
    assert sleeps[0] == ERROR_PAUSE_FIRST
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info
    assert "a bug" in str(record.exc_info[1])


def test_the_loop_reports_what_it_did(app, smtp):
    smtp.start()
    queue(2)
    reports = []
    run_delivery_loop(
        smtp.mailer(),
        interval=INTERVAL,
        sleep=lambda seconds: None,
        on_report=reports.append,
        should_stop=stop_when(lambda: bool(reports)),
    )
    assert [(r.sent, r.retried, r.failed) for r in reports] == [(2, 0, 0)]


class Interrupted(BaseException):
    """Ctrl-C, as the worker's operator would press it."""


@pytest.mark.commits
def test_outbox_deliver_loop_survives_a_database_outage(app, smtp, database_faults, monkeypatch):
    """The command itself: ``flask --app coordination outbox deliver --loop``."""
    smtp.start()
    ids = queue(2)
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                      MAIL_FROM="c@example.org")  # fmt: skip
    database_faults.fail_for(3)
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(smtp.inbox.messages) == 2:
            raise Interrupted

    monkeypatch.setattr(time, "sleep", sleep)
    with pytest.raises(Interrupted):
        app.test_cli_runner().invoke(
            args=["outbox", "deliver", "--loop", "--interval", "5"], catch_exceptions=False
        )
    assert sorted(smtp.inbox.message_ids()) == message_ids(ids)
    assert sleeps == [1, 2, 4, 5]


def test_outbox_deliver_once_reports_what_it_did(app, smtp, runner):
    smtp.start()
    queue(2)
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                      MAIL_FROM="c@example.org")  # fmt: skip
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert result.output == "sent 2, to retry 0, failed 0\n"


# --- the other chores -----------------------------------------------------------------------


def test_the_worker_reads_documents_between_deliveries(app, smtp, monkeypatch):
    from coordination.meetings.models import Document, TextStatus
    from coordination.search import extraction
    from tests import factories
    from tests.search.files import pdf_with

    smtp.start()
    queue(1)
    world = factories.world()
    meeting = factories.meeting(world["bureau"])
    documents = [
        store_document(
            meeting,
            stream=io.BytesIO(pdf_with(f"Nota {number}")),
            filename=f"nota-{number}.pdf",
            actor=None,
            upload_dir=app.config["UPLOAD_DIR"],
            max_bytes=app.config["MAX_UPLOAD_BYTES"],
        ).id
        for number in range(3)
    ]
    db.session.commit()
    monkeypatch.setattr(extraction, "BATCH", 2)
    sleeps: list[float] = []
    run_delivery_loop(
        smtp.mailer(),
        interval=INTERVAL,
        sleep=sleeps.append,
        chores=(extraction.read_next_documents,),
        should_stop=stop_when(lambda: len(sleeps) == 2),
    )
    # Three waiting, two per run: a full batch, at once the last one, then the usual pause.
    assert sleeps == [0, INTERVAL]
    assert len(smtp.inbox.messages) == 1
    db.session.expire_all()
    read = db.session.scalars(select(Document.text_status).where(Document.id.in_(documents)))
    assert set(read) == {TextStatus.EXTRACTED}


def test_a_failing_chore_is_logged_and_the_worker_goes_on(app, smtp, caplog):
    smtp.start()
    queue(1)
    sleeps: list[float] = []

    def broken_chore() -> bool:
        raise RuntimeError("a bug in a chore")

    with caplog.at_level(logging.ERROR):
        run_delivery_loop(
            smtp.mailer(),
            interval=INTERVAL,
            sleep=sleeps.append,
            chores=(broken_chore,),
            should_stop=stop_when(lambda: len(sleeps) == 2),
        )
    assert len(smtp.inbox.messages) == 1
    # No pause longer than usual: the e-mails are not held up by a broken chore.
    assert sleeps == [INTERVAL, INTERVAL]
    assert "broken_chore failed" in caplog.text
