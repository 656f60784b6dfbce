"""No duplicate after an outage: what the mail server accepted is never sent again.

The delivery commits a message as "sending" just before the DATA command (the hand-over), and
keeps the server's answer in the worker's journal until the database has recorded it. These
tests break the database and the mail server at each of those moments, kill the worker before
and after the hand-over, then push many messages (OUTBOX_OUTAGE_MESSAGES; try 1000) through
repeated outages of both and count what the server received, by Message-ID.
"""

from __future__ import annotations

import os
import random
import time
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from coordination.core.time import utcnow
from coordination.db import db
from coordination.notifications import services
from coordination.notifications.mailer import message_id_for
from coordination.notifications.models import OutboxFailure, OutboxMessage, OutboxStatus
from coordination.notifications.services import (
    SENDING_LEASE,
    deliver_due_messages,
    failed_messages,
    retry_failed_messages,
)
from coordination.notifications.worker import run_delivery_loop
from tests.notifications.faults import LOST, UNACKNOWLEDGED, DatabaseFaults, FakeClock
from tests.notifications.helpers import Interfering, message_ids, queue, stop_when
from tests.notifications.servers import SMTPServer


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


# --- the database fails around the mail server's answer ------------------------------------


def accepted_then(database_faults: DatabaseFaults, commit: str, *, then_down: int = 0):
    """A mailer after which the commit of the server's answer fails."""

    def database_fails() -> None:
        database_faults.fail_at_next_commit(commit, then_down=then_down)

    return database_fails


@pytest.mark.commits
@pytest.mark.parametrize("commit", [LOST, UNACKNOWLEDGED])
def test_a_message_accepted_just_before_a_database_failure_is_not_sent_again(
    app, smtp, database_faults, commit
):
    """The server said 250, then the commit of "sent" failed (the 3 duplicates in 433).

    The run ends with the error, having written the answer once more on its way out.
    """
    smtp.start()
    [number] = queue(1)
    mailer = Interfering(smtp.mailer(), after_acceptance=accepted_then(database_faults, commit))
    with pytest.raises(SQLAlchemyError):
        deliver_due_messages(mailer)

    assert deliver_due_messages(smtp.mailer(), now=utcnow() + timedelta(hours=1)).sent == 0
    assert smtp.inbox.message_ids() == message_ids([number])
    assert [row.status for row in rows()] == [OutboxStatus.SENT]


@pytest.mark.commits
@pytest.mark.parametrize("commit", [LOST, UNACKNOWLEDGED])
def test_a_run_that_loses_the_database_after_acceptance_never_sends_again(
    app, smtp, database_faults, commit
):
    """As above, but the database stays away: the one-shot run ends, its journal with it.

    No later run sends the message again. Unless the commit went through after all, the
    message shows as uncertain once the lease is over: it did arrive, nobody knows it.
    """
    smtp.start()
    [number] = queue(1)
    failure = accepted_then(database_faults, commit, then_down=1000)
    with pytest.raises(SQLAlchemyError):
        deliver_due_messages(Interfering(smtp.mailer(), after_acceptance=failure))
    database_faults.down = 0  # the database is back; the process of that run is gone
    db.session.remove()

    for later in (utcnow(), utcnow() + SENDING_LEASE + timedelta(minutes=1)):
        deliver_due_messages(smtp.mailer(), now=later)
    assert smtp.inbox.message_ids() == message_ids([number])
    [row] = rows()
    if commit == UNACKNOWLEDGED:
        assert row.status is OutboxStatus.SENT
    else:
        assert (row.status, row.failure) == (OutboxStatus.FAILED, OutboxFailure.UNCERTAIN)


@pytest.mark.commits
def test_the_worker_records_the_delivery_once_the_database_is_back(
    app, smtp, database_faults, observer
):
    smtp.start()
    ids = queue(3)
    outages = []

    def database_goes_down() -> None:
        if not outages:
            outages.append(1)
            database_faults.fail_at_next_commit(LOST, then_down=6)

    run_delivery_loop(
        Interfering(smtp.mailer(), after_acceptance=database_goes_down),
        interval=5,
        sleep=lambda seconds: None,
        should_stop=stop_when(observer.all_sent),
    )
    assert outages
    assert sorted(smtp.inbox.message_ids()) == message_ids(ids)
    assert smtp.inbox.duplicates() == {}


@pytest.mark.commits
@pytest.mark.parametrize("commit", [LOST, UNACKNOWLEDGED])
def test_a_database_failure_at_the_hand_over_sends_nothing(app, smtp, database_faults, commit):
    """The hand-over could not be recorded: nothing is handed to the server (no DATA), and
    the attempt is undone on the way out: the next run sends the message, once."""
    smtp.start()
    [number] = queue(1)

    def database_fails() -> None:
        database_faults.fail_at_next_commit(commit)

    with pytest.raises(SQLAlchemyError):
        deliver_due_messages(Interfering(smtp.mailer(), at_hand_over=database_fails))
    assert smtp.inbox.messages == []

    assert deliver_due_messages(smtp.mailer()).sent == 1
    assert smtp.inbox.message_ids() == message_ids([number])
    assert [row.attempts for row in rows()] == [1]  # the undone attempt does not count


# --- what a killed worker leaves behind -----------------------------------------------------


class WorkerKilled(BaseException):
    """The worker's process is killed here (SIGKILL, power cut): no code of it runs any more."""


def killed() -> None:
    raise WorkerKilled


def test_a_worker_killed_before_the_hand_over_leaves_the_message_pending(app, smtp):
    smtp.start()
    [number] = queue(1)
    with pytest.raises(WorkerKilled):
        deliver_due_messages(Interfering(smtp.mailer(), at_hand_over=killed))
    db.session.rollback()  # what the database does with the transaction of a dead process

    assert [(row.status, row.attempts) for row in rows()] == [(OutboxStatus.PENDING, 0)]
    assert deliver_due_messages(smtp.mailer()).sent == 1  # the server never had it
    assert smtp.inbox.message_ids() == message_ids([number])


def test_a_worker_killed_after_the_hand_over_never_sends_again(app, smtp):
    smtp.start()
    [number] = queue(1)
    with pytest.raises(WorkerKilled):
        deliver_due_messages(Interfering(smtp.mailer(), after_acceptance=killed))
    db.session.rollback()
    assert smtp.inbox.message_ids() == message_ids([number])

    # Within the lease the message is left to its worker, which may still be at it.
    report = deliver_due_messages(smtp.mailer())
    assert (report.sent, report.retried, report.failed) == (0, 0, 0)
    assert [row.status for row in rows()] == [OutboxStatus.SENDING]

    # After it: failed as uncertain, listed for the secretariat, and not sent again.
    later = utcnow() + SENDING_LEASE + timedelta(minutes=1)
    report = deliver_due_messages(smtp.mailer(), now=later)
    assert (report.sent, report.failed) == (0, 1)
    [row] = rows()
    assert (row.status, row.failure) == (OutboxStatus.FAILED, OutboxFailure.UNCERTAIN)
    assert [failed.id for failed in failed_messages()] == [number]
    assert smtp.inbox.message_ids() == message_ids([number])

    # The secretariat may send it again: with the same Message-ID, so that the recipient's
    # mail system can recognise the copy of a message that did arrive.
    assert retry_failed_messages() == 1
    db.session.commit()
    assert deliver_due_messages(smtp.mailer(), now=later).sent == 1
    assert smtp.inbox.message_ids() == [message_id_for(number, "example.org")] * 2


# --- a thousand messages through repeated outages ---------------------------------------------

#: How many messages the outage run pushes through, and the seed of what breaks when
#: (OUTBOX_OUTAGE_MESSAGES, OUTBOX_OUTAGE_SEED to try others).
#: 200 take 1-2 s per database; 1000 take 5-7 s on SQLite and 11 s on PostgreSQL (up to 24 s
#: on the two busy cores of the shared test machine), too long for every run of the suite.
OUTAGE_MESSAGES = int(os.environ.get("OUTBOX_OUTAGE_MESSAGES", "200"))
OUTAGE_SEED = int(os.environ.get("OUTBOX_OUTAGE_SEED", "20261127"))


class Chaos:
    """A mailer that breaks things around the messages it sends, message by message.

    The database fails right after the server accepted a message (the commit of "sent" is lost
    or unacknowledged; on PostgreSQL the connection may be killed for real), or at the
    hand-over (the commit of "sending"); the mail server goes down before a message, or in the
    middle of one (after the hand-over, before DATA), for 5 s to a minute of the fake clock. On
    top of that the database fails now and then on any statement, for a few operations at a
    time. Each SMTP conversation takes a second of the fake clock, so that outages end while a
    run goes on, as they do in real life.
    """

    #: Chances per message (the rest of the draw: nothing breaks).
    SMTP_DOWN_BEFORE = 0.005
    SMTP_DOWN_AT_HAND_OVER = 0.005
    DATABASE_FAILS_AT_HAND_OVER = 0.02
    DATABASE_FAILS_AFTER_ACCEPTANCE = 0.03

    def __init__(
        self,
        smtp: SMTPServer,
        faults: DatabaseFaults,
        clock: FakeClock,
        rng: random.Random,
        kill_connections=None,
    ) -> None:
        self.smtp, self.faults, self.clock, self.rng = smtp, faults, clock, rng
        self.kill_connections = kill_connections
        self.sender = smtp.mailer().sender
        self.smtp_back_at: datetime | None = None
        self.counts = faults.counts

    def sleep(self, seconds: float) -> None:
        self.clock.sleep(seconds)
        self._restart_when_due()

    def _restart_when_due(self) -> None:
        if self.smtp_back_at is not None and self.clock.now >= self.smtp_back_at:
            self.smtp.start()
            self.smtp_back_at = None

    def _smtp_outage(self, kind: str) -> None:
        if self.smtp.running:
            self.smtp.stop()
            self.smtp_back_at = self.clock.now + timedelta(seconds=self.rng.uniform(5, 60))
            self.counts[kind] += 1

    def _database_fails_at_next_commit(self, kind: str) -> None:
        if self.kill_connections is not None and self.rng.random() < 1 / 3:
            self.counts["connections killed"] += 1
            self.kill_connections()
        else:
            self.faults.fail_at_next_commit(self.rng.choice([LOST, UNACKNOWLEDGED]))
        self.counts[kind] += 1

    def send(self, message, *, before_data=None) -> None:
        self.clock.now += timedelta(seconds=1)
        self._restart_when_due()
        draw = self.rng.random()
        smtp_down_before = draw < self.SMTP_DOWN_BEFORE
        draw -= self.SMTP_DOWN_BEFORE
        smtp_down_at_hand_over = 0 <= draw < self.SMTP_DOWN_AT_HAND_OVER
        draw -= self.SMTP_DOWN_AT_HAND_OVER
        database_at_hand_over = 0 <= draw < self.DATABASE_FAILS_AT_HAND_OVER
        draw -= self.DATABASE_FAILS_AT_HAND_OVER
        database_after_acceptance = 0 <= draw < self.DATABASE_FAILS_AFTER_ACCEPTANCE
        if smtp_down_before:
            self._smtp_outage("mail server outages before a message")

        def hand_over() -> None:
            if database_at_hand_over:
                self._database_fails_at_next_commit("database failures at the hand-over")
            if before_data is not None:
                before_data()
            if smtp_down_at_hand_over:  # the server goes down before the DATA command
                self._smtp_outage("mail server outages at the hand-over")

        self.smtp.mailer().send(message, before_data=hand_over)
        if database_after_acceptance:
            self._database_fails_at_next_commit("database failures after acceptance")


def postgres_connection_killer(url: str):
    """Terminate every other connection to the test database (PostgreSQL's own disconnect)."""
    admin = sa.create_engine(url, poolclass=sa.pool.NullPool)

    def kill() -> None:
        with admin.connect() as connection:
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )

    return kill, admin


@pytest.fixture
def commits_without_fsync(app):
    """Commits that do not wait for the disk, for this test (its database is thrown away).

    SQLite ``synchronous=OFF``, PostgreSQL ``synchronous_commit=off``: what is tested is what
    the database answers, not how safely it stores, and a disk that takes milliseconds per
    flush would make the run minutes long.
    """
    engine = db.engine
    statement = {
        "sqlite": "PRAGMA synchronous=OFF",
        "postgresql": "SET synchronous_commit TO off",
    }[engine.dialect.name]

    def without_fsync(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(statement)
        cursor.close()
        dbapi_connection.commit()  # a SET in a transaction rolled back later would not stay

    db.session.remove()
    engine.dispose()
    sa.event.listen(engine, "connect", without_fsync)
    yield
    sa.event.remove(engine, "connect", without_fsync)
    # Give the session's connection back first: one still out when the pool is replaced would
    # be left open in the old pool.
    db.session.remove()
    engine.dispose()


@pytest.mark.commits
def test_every_message_arrives_exactly_once_through_repeated_outages(
    app, smtp, database_faults, database_url, observer, commits_without_fsync, monkeypatch
):
    """Every message arrives exactly once (by Message-ID at the server), whatever broke.

    The outages come far more often than in real life (one every few dozen messages), so
    that a message may be refused many times: giving up after MAX_ATTEMPTS, a designed and
    visible outcome, is switched off here to count what is lost or doubled, nothing else.
    """
    monkeypatch.setattr(services, "MAX_ATTEMPTS", 10_000)
    smtp.start()
    ids = queue(OUTAGE_MESSAGES)
    db.session.remove()
    rng = random.Random(OUTAGE_SEED)
    clock = FakeClock(utcnow())
    kill, admin = (None, None)
    if database_url.startswith("postgresql"):
        kill, admin = postgres_connection_killer(database_url)
    chaos = Chaos(smtp, database_faults, clock, rng, kill)
    database_faults.chaos, database_faults.chaos_rate = rng, 0.002
    started = time.monotonic()
    try:
        run_delivery_loop(
            chaos,
            interval=60,
            sleep=chaos.sleep,
            clock=clock,
            should_stop=stop_when(observer.all_sent, at_most=50 * OUTAGE_MESSAGES),
        )
    finally:
        database_faults.chaos = None
        if admin is not None:
            admin.dispose()
    seconds = time.monotonic() - started

    received = smtp.inbox.message_ids()
    summary = ", ".join(f"{n} {what}" for what, n in sorted(chaos.counts.items()))
    print(
        f"\n{OUTAGE_MESSAGES} messages (seed {OUTAGE_SEED}) in {seconds:.1f} s, "
        f"{len(received)} received; {summary}"
    )
    assert smtp.inbox.duplicates() == {}
    assert sorted(received) == message_ids(ids)  # nothing lost
    assert {row.status for row in rows()} == {OutboxStatus.SENT}
    assert chaos.counts["outages"] > 0
    assert chaos.counts["database failures after acceptance"] > 0
    if OUTAGE_MESSAGES >= 1000:  # enough messages for every kind of outage to have happened
        smtp_outages = [kind for kind in chaos.counts if kind.startswith("mail server outages")]
        assert sum(chaos.counts[kind] for kind in smtp_outages) > 0
        assert chaos.counts["database failures at the hand-over"] > 0
