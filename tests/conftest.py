"""Test fixtures: one application per database backend, one transaction per test.

The way large Flask/SQLAlchemy projects run their suites (SQLAlchemy's "joining a Session into
an external transaction" recipe):

- one application per backend for the whole run (per xdist worker), on a database migrated
  once; every test that uses ``app`` runs on SQLite, and also on PostgreSQL when
  ``COORDINATION_TEST_POSTGRES_URL`` is set (each run creates and drops its own databases, so
  that two runs never see each other's rows; under ``CI=true`` an unreachable PostgreSQL fails
  the run instead of skipping);
- each test module holds one connection with an open transaction; each test runs inside a
  SAVEPOINT of it that is rolled back at teardown. Every session of the test, the test's own
  and the one of each request, joins that connection with ``create_savepoint``: a
  ``commit()`` in the code under test releases a savepoint and nothing reaches the database;
- expensive read-only data (the authorization world, the demo data) is built once per module
  in the module's transaction, below every test's savepoint: the module defines
  ``build_module_data()`` and its tests use the ``module_data`` fixture;
- tests that need real commits seen by other connections (threads, a second engine, backups)
  are marked ``@pytest.mark.commits``: their ``app`` runs on a database of its own, without
  the outer transaction, emptied after each test.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, before_render_template, template_rendered
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession

from config import TestingConfig
from coordination import create_app
from coordination.auth.guards import AUTH_TIME_KEY
from coordination.core.cache import clear_cache
from coordination.db import db
from coordination.extensions import limiter
from coordination.users.models import User

POSTGRES_URL = os.environ.get("COORDINATION_TEST_POSTGRES_URL", "").strip()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    if IN_CI and not POSTGRES_URL:
        raise pytest.UsageError("CI=true requires COORDINATION_TEST_POSTGRES_URL")


@pytest.hookimpl(trylast=True)  # after xdist has named each test's group
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests first: under xdist they are one group on one worker, the longest
    unit of the run; started first, they run beside the rest instead of after it.

    A run whose browser tests are not grouped stops: each worker would start its own server
    and browser (pytest 9.2 broke xdist's grouping once: pytest-xdist#1386).
    """
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)
    if getattr(config.option, "loadgroup", False):
        loose = [
            item.nodeid
            for item in items
            if item.get_closest_marker("e2e") and not item.nodeid.endswith("@browser")
        ]
        if loose:
            raise pytest.UsageError(
                f"--dist loadgroup does not group the browser tests (e.g. {loose[0]}): "
                "check the pytest and pytest-xdist versions"
            )


# --- databases ---------------------------------------------------------------------------


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


def upgrade_to_head(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.engine.dispose()


def clean_all_tables() -> None:
    """Empty every table (after a test that really committed)."""
    # The data versions stay: the next test's writes replace them (core.versions).
    tables = [
        table for table in reversed(db.metadata.sorted_tables) if table.name != "data_versions"
    ]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


# --- applications ------------------------------------------------------------------------


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
    """A testing application on ``database_url`` with optional config overrides.

    Inside a transactional test its sessions join the test's transaction too (they share the
    session factory), so it sees the test's data; its engine is disposed after the test.
    """
    application = _new_app(database_url, **overrides)
    _apps_to_dispose.append(application)
    return application


def _new_app(database_url: str, **overrides: object) -> Flask:
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config.update({"DATABASE_URL": database_url, "ENV_NAME": "testing"})
    config.update(overrides)
    application = create_app(config)
    application.test_client_class = IsolatedClient
    return application


_apps_to_dispose: list[Flask] = []


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    """Close the connection pools of every extra application a test made, and switch the rate
    limiter off again: Flask-Limiter keeps one state per process, not per application, so an
    extra application with limits on would leave them on for the shared one."""
    yield
    if _apps_to_dispose:
        limiter.enabled = TestingConfig.RATELIMIT_ENABLED
    while _apps_to_dispose:
        application = _apps_to_dispose.pop()
        with application.app_context():
            for engine in db.engines.values():
                engine.dispose()


class JoinedSession(FlaskSession):
    """Flask-SQLAlchemy's session, except that an explicit ``bind`` wins.

    Flask-SQLAlchemy picks the engine of the current application and ignores ``bind``; the
    transactional fixtures bind every session to the test's connection instead.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


@contextmanager
def sessions_joined_to(connection: sa.Connection) -> Iterator[None]:
    """Every session opened in this block works in a SAVEPOINT of ``connection``."""
    factory = db.session.session_factory
    factory.class_ = JoinedSession
    previous = dict(factory.kw)
    factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        factory.kw.clear()
        factory.kw.update(previous)


def _use_real_savepoints_on_sqlite(engine: sa.Engine) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT: let SQLAlchemy emit BEGIN.

    (SQLAlchemy's documented recipe for SAVEPOINT on SQLite.) The test database is throwaway,
    so it also skips the fsyncs.
    """

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of the tests that use a database (parametrised over BACKENDS)."""
    return request.param


@pytest.fixture(scope="session")
def _shared_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application of the transactional tests, on a database migrated once."""
    with fresh_database(backend, tmp_path_factory.mktemp("db")) as url:
        upgrade_to_head(_new_app(url))
        application = _new_app(url)
        with application.app_context():
            if backend == "sqlite":
                _use_real_savepoints_on_sqlite(db.engine)
        yield application
        with application.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def _committing_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application of the tests that really commit, on a database of their own."""
    with fresh_database(backend, tmp_path_factory.mktemp("db-commits")) as url:
        upgrade_to_head(_new_app(url))
        application = _new_app(url)
        yield application
        with application.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def _module_connection(_shared_app: Flask) -> Iterator[sa.Connection]:
    """One connection per test module, in a transaction that is never committed."""
    with _shared_app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    try:
        yield connection
    finally:
        if transaction.is_active:
            transaction.rollback()
        connection.close()


def _commits(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("commits") is not None


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of the database the test's ``app`` runs on."""
    application = request.getfixturevalue("_committing_app" if _commits(request) else "_shared_app")
    return application.config["SQLALCHEMY_DATABASE_URI"]


@contextmanager
def _restored_configuration(application: Flask) -> Iterator[None]:
    """Give the next test the application's configuration as it was."""
    config = dict(application.config)
    try:
        yield
    finally:
        application.config.clear()
        application.config.update(config)


@pytest.fixture(scope="module")
def _module_upload_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture
def app(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[Flask]:
    """The application, in an application context, with a database of its own for the test.

    By default the test runs in a SAVEPOINT rolled back at teardown; under
    ``@pytest.mark.commits`` it commits for real and the tables are emptied afterwards.
    Uploaded files go to a folder of the test (of the module, where the module builds data
    once: :func:`module_data`).
    """
    upload_dir = tmp_path / "uploads"
    if _commits(request):
        application = request.getfixturevalue("_committing_app")
        with _restored_configuration(application), application.app_context():
            application.config["UPLOAD_DIR"] = str(upload_dir)
            clear_cache()
            try:
                yield application
            finally:
                db.session.rollback()
                db.session.remove()
                clean_all_tables()
                db.session.remove()
        return
    application = request.getfixturevalue("_shared_app")
    connection: sa.Connection = request.getfixturevalue("_module_connection")
    if hasattr(request.module, "build_module_data"):
        upload_dir = request.getfixturevalue("_module_upload_dir")
    savepoint = connection.begin_nested()
    with _restored_configuration(application), sessions_joined_to(connection):
        application.config["UPLOAD_DIR"] = str(upload_dir)
        with application.app_context():
            # Each test starts from its own data: nothing computed by another test may answer.
            clear_cache()
            try:
                yield application
            finally:
                db.session.remove()
    if savepoint.is_active:
        savepoint.rollback()


@pytest.fixture(scope="module")
def _module_data_references(
    request: pytest.FixtureRequest,
    _shared_app: Flask,
    _module_connection: sa.Connection,
    _module_upload_dir: Path,
) -> dict[str, Any]:
    """Run the test module's ``build_module_data()`` once, in the module's transaction.

    Module-scoped, so pytest sets it up before any test's ``app`` (and its savepoint): the
    data lies below every test's savepoint and each test starts from it unchanged.
    """
    build = getattr(request.module, "build_module_data", None)
    if build is None:
        raise pytest.UsageError(f"{request.module.__name__} needs build_module_data()")
    with _restored_configuration(_shared_app), sessions_joined_to(_module_connection):
        _shared_app.config["UPLOAD_DIR"] = str(_module_upload_dir)
        with _shared_app.app_context():
            objects = build()
            db.session.flush()
            references = _reference(objects)
            db.session.commit()
    return references


@pytest.fixture
def module_data(app: Flask, _module_data_references: dict[str, Any]) -> dict[str, Any]:
    """What the module's ``build_module_data()`` returned, loaded in the test's own session.

    Expensive read-only data (an authorization world, the demo data) is built once per test
    module; each test gets its own instances of it, and whatever it changes is rolled back.
    """
    return _load(_module_data_references)


class _Row:
    """Where to find a model instance again: its class and primary key."""

    def __init__(self, obj: Any) -> None:
        self.cls = type(obj)
        self.identity = sa.inspect(obj).identity

    def load(self) -> Any:
        return db.session.get(self.cls, self.identity)


def _reference(value: Any) -> Any:
    if isinstance(value, db.Model):
        return _Row(value)
    if isinstance(value, dict):
        return {key: _reference(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_reference(item) for item in value)
    return value


def _load(reference: Any) -> Any:
    if isinstance(reference, _Row):
        return reference.load()
    if isinstance(reference, dict):
        return {key: _load(item) for key, item in reference.items()}
    if isinstance(reference, list | tuple):
        return type(reference)(_load(item) for item in reference)
    return reference


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


def sign_in(client: FlaskClient, user: User) -> FlaskClient:
    """Give the client a signed-in session of ``user`` without the login form (fast): a
    server-side session and the cookie that names it, password just confirmed."""
    from coordination.auth.sessions import start_session

    secret = start_session(user, ip_address="127.0.0.1", user_agent="pytest")
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = secret
        session["_fresh"] = True
        session[AUTH_TIME_KEY] = int(time.time())
    return client


def forget_recent_forms() -> None:
    """As if the forms sent so far were sent long ago: the next identical one is a new
    submission, not the same one sent twice (``core.once``)."""
    from coordination.core.models import FormSubmission

    db.session.execute(sa.delete(FormSubmission))
    db.session.commit()


@pytest.fixture
def login_as(client: FlaskClient):
    """Log a user in on the test client without going through the form (fast)."""

    def login(user: User) -> FlaskClient:
        return sign_in(client, user)

    return login


# --- counting statements -----------------------------------------------------------------

#: Statements of the test harness itself (savepoints of the transactional fixtures).
_HARNESS_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask):
    """Count the SQL statements run inside a ``with count_queries() as counter:`` block.

    The savepoints that the transactional fixtures add around each session are not the
    application's statements and are not counted.
    """

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def before_execute(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(_HARNESS_STATEMENTS):
                counter.statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", before_execute)
        try:
            yield counter
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before_execute)

    return counting


@dataclass
class RenderWatch:
    #: How many times the template was rendered, and the statements run meanwhile.
    renders: int = 0
    statements: list[str] = field(default_factory=list)


@pytest.fixture
def queries_while_rendering(app: Flask, count_queries):
    """What ran while Flask rendered ``template`` inside a
    ``with queries_while_rendering(template) as watch:`` block: a template only shows what
    its view gave it, so ``watch.statements`` should stay empty (lazy loads included)."""

    @contextmanager
    def watching(name: str) -> Iterator[RenderWatch]:
        watch = RenderWatch()
        started_at: list[int] = []
        with count_queries() as counter:

            def started(sender, template, context, **extra):
                if template.name == name:
                    started_at.append(counter.count)

            def finished(sender, template, context, **extra):
                if template.name == name:
                    watch.renders += 1
                    watch.statements.extend(counter.statements[started_at.pop() :])

            before_render_template.connect(started, app)
            template_rendered.connect(finished, app)
            try:
                yield watch
            finally:
                before_render_template.disconnect(started, app)
                template_rendered.disconnect(finished, app)

    return watching


#: Things the whole run must say out loud (e.g. an audit that could not be performed).
SESSION_NOTES: list[str] = []


def pytest_terminal_summary(terminalreporter) -> None:
    for note in SESSION_NOTES:
        terminalreporter.write_line(f"NOTE: {note}", yellow=True, bold=True)
