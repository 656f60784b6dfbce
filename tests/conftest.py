"""Test fixtures: an application per database backend, a clean database for every test.

Every test that uses ``app`` runs on SQLite, and also on PostgreSQL when
``COORDINATION_TEST_POSTGRES_URL`` is set. Each run creates its own PostgreSQL database (and
drops it afterwards) so that two runs never see each other's rows. Under ``CI=true`` a
PostgreSQL that cannot be reached fails the run instead of skipping.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from config import TestingConfig
from coordination import create_app
from coordination.auth.guards import AUTH_TIME_KEY
from coordination.db import db
from coordination.users.models import User

POSTGRES_URL = os.environ.get("COORDINATION_TEST_POSTGRES_URL", "").strip()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    if IN_CI and not POSTGRES_URL:
        raise pytest.UsageError("CI=true requires COORDINATION_TEST_POSTGRES_URL")


def _postgres_admin_engine() -> sa.Engine:
    return sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty PostgreSQL database for this run; drop it afterwards."""
    if not POSTGRES_URL:
        message = "this test needs PostgreSQL: set COORDINATION_TEST_POSTGRES_URL"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    name = f"coord_test_{uuid.uuid4().hex[:12]}"
    admin = _postgres_admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        admin.dispose()
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but cannot be reached: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    url = sa.engine.make_url(POSTGRES_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@contextmanager
def fresh_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the given backend, as a SQLAlchemy URL."""
    if backend == "postgresql":
        with fresh_postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / f'test-{uuid.uuid4().hex[:8]}.sqlite'}"


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own application context.

    Tests hold an application context open for their own database work; without this, requests
    would share its ``g`` (Flask-Login's cached user, Flask-Babel's cached locale) and its
    database session. Here each request is as isolated as in production: commit before you
    ask, refresh after.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def make_app(database_url: str, **overrides: object) -> Flask:
    """A testing application on ``database_url`` with optional config overrides."""
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config.update({"DATABASE_URL": database_url, "ENV_NAME": "testing"})
    config.update(overrides)
    application = create_app(config)
    application.test_client_class = IsolatedClient
    _apps_to_dispose.append(application)
    return application


_apps_to_dispose: list[Flask] = []


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    """Close the connection pools of every application a test made (no leaked connections)."""
    yield
    while _apps_to_dispose:
        application = _apps_to_dispose.pop()
        with application.app_context():
            for engine in db.engines.values():
                engine.dispose()


def upgrade_to_head(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """One migrated database per backend for the whole run."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        upgrade_to_head(make_app(url))
        yield url


def clean_all_tables() -> None:
    """Empty every table (faster than recreating the schema for each test)."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    application = make_app(database_url, UPLOAD_DIR=str(tmp_path / "uploads"))
    with application.app_context():
        try:
            yield application
        finally:
            db.session.rollback()
            db.session.remove()
            clean_all_tables()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def login_as(client: FlaskClient):
    """Log a user in on the test client without going through the form (fast)."""

    def login(user: User) -> FlaskClient:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session[AUTH_TIME_KEY] = int(time.time())
        return client

    return login


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask):
    """Count the SQL statements run inside a ``with count_queries() as counter:`` block."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def before_execute(conn, cursor, statement, parameters, context, executemany):
            counter.statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", before_execute)
        try:
            yield counter
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before_execute)

    return counting


#: Things the whole run must say out loud (e.g. an audit that could not be performed).
SESSION_NOTES: list[str] = []


def pytest_terminal_summary(terminalreporter) -> None:
    for note in SESSION_NOTES:
        terminalreporter.write_line(f"NOTE: {note}", yellow=True, bold=True)
