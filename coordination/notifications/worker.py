"""The delivery worker: ``flask --app coordination outbox deliver --loop``.

It must outlive whatever breaks around it. A database outage ends a run, not the worker: the
session is rolled back and discarded, the error logged, and the worker waits (1 s, 2 s, 4 s
... at most 60 s) before it tries again, until the database answers. A mail server outage is
the messages' business (each one waits with its own back-off), not the worker's. The worker's
journal keeps the server's answers that the database could not record, across runs.

The worker also does the platform's other background chores after each delivery run (reading
the words of uploaded documents for search): a chore that fails is logged and tried again at
the next run; it never holds up the e-mails for long (each does a small batch per run).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from coordination.db import db
from coordination.notifications.delivery import DeliveryJournal
from coordination.notifications.mailer import Mailer
from coordination.notifications.services import DeliveryReport, deliver_due_messages

#: Messages per run at most; a full run is followed by the next at once.
DELIVERY_LIMIT = 200
#: The pause after a failed run, doubled after each further failure up to the cap (seconds).
ERROR_PAUSE_FIRST = 1.0
ERROR_PAUSE_CAP = 60.0


class ErrorPause:
    """How long to wait after consecutive failed runs: 1, 2, 4 ... seconds, at most the cap."""

    def __init__(self, first: float = ERROR_PAUSE_FIRST, cap: float = ERROR_PAUSE_CAP) -> None:
        self.first, self.cap = first, cap
        self.failures = 0

    def next(self) -> float:
        pause = min(self.first * 2 ** min(self.failures, 32), self.cap)
        self.failures += 1
        return pause

    def reset(self) -> None:
        self.failures = 0


def run_delivery_loop(
    mailer: Mailer,
    *,
    interval: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
    should_stop: Callable[[], bool] = lambda: False,
    clock: Callable[[], datetime] | None = None,
    on_report: Callable[[DeliveryReport], None] | None = None,
    chores: Sequence[Callable[[], bool]] = (),
) -> None:
    """Deliver due messages, run after run, until ``should_stop()`` says so.

    ``interval`` is the pause after a run that left nothing due; a full run
    (``DELIVERY_LIMIT`` messages) is followed by the next at once. ``clock`` fixes each run's
    "now" (tests; by default every message is timed on its own). ``on_report`` hears of every
    run that did something. ``chores`` run after each delivery run; each returns whether it
    left work that the next run should take up at once. No exception ends the loop
    (KeyboardInterrupt and SystemExit do): database errors are logged as warnings, anything
    else with its traceback, and each is followed by a growing pause (:class:`ErrorPause`).
    """
    journal = DeliveryJournal()
    pause = ErrorPause()
    logger = current_app.logger
    while not should_stop():
        try:
            now = clock() if clock else None
            report = deliver_due_messages(mailer, limit=DELIVERY_LIMIT, now=now, journal=journal)
        except SQLAlchemyError as error:
            wait = pause.next()
            logger.warning(
                "outbox: the database failed (%s); %d outcome(s) wait for it; next try in %.0f s",
                _first_line(error),
                len(journal.pending),
                wait,
            )
        except Exception:
            # A bug or an unforeseen failure: the traceback goes to the log, and the worker
            # carries on (slowly), because a dead worker sends nothing at all.
            wait = pause.next()
            logger.exception("outbox: delivery run failed; next try in %.0f s", wait)
        else:
            if pause.failures:
                logger.warning("outbox: delivering again after %d failed run(s)", pause.failures)
            pause.reset()
            if on_report is not None and report.attempted:
                on_report(report)
            chores_left_work = _run_chores(chores)
            wait = 0 if chores_left_work or report.attempted >= DELIVERY_LIMIT else interval
        finally:
            _discard_session()
        sleep(wait)


def _run_chores(chores: Sequence[Callable[[], bool]]) -> bool:
    """Run each chore once; whether one of them left work for the next run. A failing chore
    is logged with its traceback and rolled back; the others and the e-mails carry on."""
    busy = False
    for chore in chores:
        try:
            busy = chore() or busy
        except Exception:
            current_app.logger.exception("worker: %s failed; tried again next run", chore.__name__)
            _discard_session()
    return busy


def _discard_session() -> None:
    """Roll back and drop the session: after a failure its connection may be dead, and a
    fresh session takes a fresh connection from the pool (which replaces dead ones)."""
    try:
        # A dead connection cannot roll back; removing the session is all there is left to do.
        with contextlib.suppress(SQLAlchemyError):
            db.session.rollback()
    finally:
        db.session.remove()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
