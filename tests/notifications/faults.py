"""Breaking the database on purpose, and a clock that sleeps without waiting.

:class:`DatabaseFaults` patches the engine's dialect at the DBAPI boundary. A failing call first
closes the driver's connection and then goes ahead: the error SQLAlchemy sees is the driver's
own ("the connection is closed", "Cannot operate on a closed database"), and SQLAlchemy
invalidates the connection as it does after a real disconnect. While the database is "down",
new connections are refused too. A commit can be *lost* (the connection dies before it) or
*unacknowledged* (it is committed, then the connection dies before the answer arrives: the
caller cannot tell the two apart, and that is what makes duplicates).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

LOST = "lost"
UNACKNOWLEDGED = "unacknowledged"


class DatabaseFaults:
    """Make the database fail at chosen moments, or at random ones (with ``chaos``)."""

    def __init__(self, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
        self.dialect = engine.dialect
        #: How many database operations (connect, statement, commit) still fail.
        self.down = 0
        #: What happens to the next commit: LOST, UNACKNOWLEDGED or None (it succeeds).
        self.next_commit: str | None = None
        #: How many operations fail after that commit failed (the database stays away).
        self.down_after_commit = 0
        #: With a random generator: the chance that an operation starts an outage.
        self.chaos: random.Random | None = None
        self.chaos_rate = 0.0
        self.chaos_lengths = (1, 10)
        self.counts: Counter[str] = Counter()
        self._execute = self.dialect.do_execute
        self._execute_no_params = self.dialect.do_execute_no_params
        self._commit = self.dialect.do_commit
        self._connect = self.dialect.connect
        monkeypatch.setattr(self.dialect, "do_execute", self.execute)
        monkeypatch.setattr(self.dialect, "do_execute_no_params", self.execute_no_params)
        monkeypatch.setattr(self.dialect, "do_commit", self.commit)
        monkeypatch.setattr(self.dialect, "connect", self.connect)

    def fail_for(self, operations: int) -> None:
        """The next ``operations`` database operations fail (a server restarting)."""
        self.down = operations
        self.counts["outages"] += 1

    def fail_at_next_commit(self, kind: str, *, then_down: int = 0) -> None:
        """The next commit is LOST or UNACKNOWLEDGED; ``then_down`` operations fail after it."""
        self.next_commit, self.down_after_commit = kind, then_down

    def _failing_now(self) -> bool:
        if self.down <= 0 and self.chaos is not None and self.chaos.random() < self.chaos_rate:
            self.fail_for(self.chaos.randint(*self.chaos_lengths))
        if self.down > 0:
            self.down -= 1
            self.counts["failed operations"] += 1
            return True
        return False

    # --- the patched DBAPI calls -----------------------------------------------------------

    def connect(self, *args: Any, **kwargs: Any) -> Any:
        if self._failing_now():
            raise self.dialect.loaded_dbapi.OperationalError("connection refused (simulated)")
        return self._connect(*args, **kwargs)

    def execute(self, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        if self._failing_now():
            cursor.connection.close()
        self._execute(cursor, statement, parameters, context)

    def execute_no_params(self, cursor: Any, statement: str, context: Any = None) -> None:
        if self._failing_now():
            cursor.connection.close()
        self._execute_no_params(cursor, statement, context)

    def commit(self, dbapi_connection: Any) -> None:
        # SQLAlchemy passes the pool's proxy; closing the proxy would only return it to the pool.
        driver_connection = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
        planned, self.next_commit = self.next_commit, None
        if planned is not None and self.down_after_commit:
            self.fail_for(self.down_after_commit)
            self.down_after_commit = 0
        if planned == UNACKNOWLEDGED:
            self.counts["unacknowledged commits"] += 1
            self._commit(dbapi_connection)  # it is committed ...
            driver_connection.close()  # ... and the answer is lost with the connection
        elif planned == LOST:
            self.counts["lost commits"] += 1
            driver_connection.close()
        elif self._failing_now():
            driver_connection.close()
        self._commit(dbapi_connection)


class FakeClock:
    """Time that moves only when the code under test sleeps (and sleeping takes no time)."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)
