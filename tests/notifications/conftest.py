"""Fixtures of the outbox tests: a real SMTP server, a breakable database, queued messages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from coordination.db import db
from tests.notifications.faults import DatabaseFaults
from tests.notifications.helpers import Observer
from tests.notifications.servers import SMTPServer


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    """A real SMTP server on localhost, not started yet; stopped after the test."""
    server = SMTPServer()
    yield server
    server.stop()


@pytest.fixture
def database_faults(app: Flask, monkeypatch: pytest.MonkeyPatch) -> DatabaseFaults:
    """The application's database, breakable on demand (for tests marked ``commits``)."""
    return DatabaseFaults(db.engine, monkeypatch)


@pytest.fixture
def observer(database_url: str) -> Iterator[Observer]:
    """The outbox seen through a connection of its own (never broken by ``database_faults``)."""
    watching = Observer(database_url)
    yield watching
    watching.close()
