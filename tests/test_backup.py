"""Backup and restore: a restore into an empty database gives back every row of every table;
a file that is not a sound backup of this application is refused, and the database is left
exactly as it was."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade

from coordination.core import backup as backup_module
from coordination.core.backup import SQLITE_APPLICATION_ID, BackupError
from coordination.db import db, is_engine_object
from coordination.demo import load_demo_data
from tests import factories
from tests.conftest import BACKENDS, ROOT, fresh_database, make_app, upgrade_to_head

MIGRATIONS = str(ROOT / "migrations")
#: A revision no migration script has.
UNKNOWN_REVISION = "ffffffffffff"


def dump_tables(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of every table (alembic_version included), ordered, as plain tuples."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    content = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(sa.select(table).order_by(*order)).all()
            content[table.name] = [tuple(row) for row in rows]
    return content


def schema_revision() -> str:
    with db.engine.connect() as connection:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()


def run_cli(app: Flask, *args: str, stdin: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=stdin)


def back_up(app: Flask, target: Path) -> Path:
    result = run_cli(app, "backup", str(target))
    assert result.exit_code == 0, result.output
    return target


def add_marker(code: str = "MARKER") -> None:
    """A row that a wrongly accepted restore would make disappear."""
    factories.agency(code)
    db.session.commit()


def add_marker_in_an_older_schema(code: str) -> None:
    """As :func:`add_marker`, on a database one revision behind the code: straight through a
    connection, since the application's session also writes the data versions, a table that
    revision does not have yet."""
    from coordination.agencies.models import Agency, AgencyKind

    with db.engine.begin() as connection:
        connection.execute(
            sa.insert(Agency.__table__).values(
                code=code, kind=AgencyKind.OTHER, name_nl=code, name_fr=code, name_en=code,
                active=True, version=1,
            )
        )  # fmt: skip


def assert_one_line_refusal(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output


def files_beside(app: Flask) -> set[str]:
    """The files in the folder of a SQLite database (temporary copies must not stay there)."""
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return set()
    return {path.name for path in Path(url.database).parent.iterdir()}


# --- the good round trips ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_backup_then_restore_into_an_empty_database(backend, tmp_path):
    with fresh_database(backend, tmp_path) as source_url:
        source = make_app(source_url)
        upgrade_to_head(source)
        with source.app_context():
            load_demo_data()
            db.session.commit()
            expected = dump_tables(db.engine)
            back_up(source, tmp_path / "b.dump")
            db.engine.dispose()

        with fresh_database(backend, tmp_path) as target_url:
            target = make_app(target_url)
            with target.app_context():
                result = run_cli(target, "restore", "--yes", str(tmp_path / "b.dump"))
                assert result.exit_code == 0, result.output
                assert "db upgrade" not in result.output
                restored = dump_tables(db.engine)
                db.engine.dispose()

    assert set(restored) == set(expected)
    assert sum(len(rows) for rows in expected.values()) > 0
    for table, rows in expected.items():
        assert restored[table] == rows, table


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_backup_of_an_older_revision_replaces_a_newer_database_and_asks_for_db_upgrade(
    backend, tmp_path
):
    """The tables of the newer revision do not stay behind (on PostgreSQL their foreign keys
    would block the restore; left there, they would make the advised `db upgrade` fail)."""
    with fresh_database(backend, tmp_path) as old_url:
        old = make_app(old_url)
        with old.app_context():
            config = old.extensions["migrate"].migrate.get_config(MIGRATIONS)
            script = ScriptDirectory.from_config(config)
            older = script.get_revision(script.get_current_head()).down_revision
            upgrade(directory=MIGRATIONS, revision=older)
            add_marker_in_an_older_schema("OLD")
            expected = dump_tables(db.engine)
            back_up(old, tmp_path / "old.dump")
            db.engine.dispose()

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        upgrade_to_head(app)
        with app.app_context():
            load_demo_data()
            db.session.commit()
            db.session.remove()
            result = run_cli(app, "restore", "--yes", str(tmp_path / "old.dump"))
            assert result.exit_code == 0, result.output
            assert f"schema revision {older}" in result.output
            assert "flask --app coordination db upgrade" in result.output
            assert dump_tables(db.engine) == expected

            upgrade(directory=MIGRATIONS)
            assert {
                name
                for name in sa.inspect(db.engine).get_table_names()
                if not is_engine_object(name)  # SQLite's full-text tables of the search index
            } == {table.name for table in db.metadata.sorted_tables} | {"alembic_version"}
            db.engine.dispose()


@pytest.mark.commits
def test_a_sqlite_backup_is_stamped_with_the_application_id(app, backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("PRAGMA application_id is SQLite's")
    path = back_up(app, tmp_path / "b.sqlite")
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA application_id").fetchone() == (SQLITE_APPLICATION_ID,)
    finally:
        connection.close()


# --- refusals: nothing changes -------------------------------------------------------------


def empty_file(app: Flask, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "empty.dump"
    path.touch()
    return path, "is empty"


def text_file(app: Flask, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "notes.txt"
    path.write_text("Minutes of the meeting of 3 March\n" * 50)
    return path, "neither a SQLite database nor a pg_dump custom-format archive"


def other_backend_message(app: Flask, default: str) -> str:
    """On PostgreSQL any SQLite file is refused for its format first."""
    if db.engine.dialect.name == "postgresql":
        return "is a SQLite database, but this application's database is postgresql"
    return default


def foreign_sqlite_database(app: Flask, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "recipes.sqlite"
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO recipes (name) VALUES ('stoofvlees')")
    connection.close()
    return path, other_backend_message(app, "has no alembic_version table")


def sqlite_database_of_another_alembic_application(app: Flask, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "other-app.sqlite"
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES ('1975ab12cd34')")
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    connection.close()
    return path, other_backend_message(app, "which this version of the application does not know")


def sqlite_database_stamped_by_another_application(app: Flask, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "stamped.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA application_id = 42")
    connection.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    connection.close()
    return path, other_backend_message(app, "the database of another application")


def truncated_backup(app: Flask, tmp_path: Path) -> tuple[Path, str]:
    path = back_up(app, tmp_path / "whole.dump")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    if db.engine.dialect.name == "postgresql":
        return path, "is not a readable pg_dump archive"
    return path, "is not a readable SQLite database"


def backup_of_an_unknown_revision(app: Flask, tmp_path: Path) -> tuple[Path, str]:
    """A backup of this application made by a newer version (a revision this code lacks)."""
    path = tmp_path / "newer.dump"
    if db.engine.dialect.name == "sqlite":
        back_up(app, path)
        connection = sqlite3.connect(path)
        with connection:
            connection.execute("UPDATE alembic_version SET version_num = ?", (UNKNOWN_REVISION,))
        connection.close()
    else:  # pg_dump reads the database itself: stamp it for the time of the backup
        revision = schema_revision()
        set_revision = sa.text("UPDATE alembic_version SET version_num = :revision")
        with db.engine.begin() as connection:
            connection.execute(set_revision, {"revision": UNKNOWN_REVISION})
        try:
            back_up(app, path)
        finally:
            with db.engine.begin() as connection:
                connection.execute(set_revision, {"revision": revision})
    return path, f"is at schema revision {UNKNOWN_REVISION}, which this version"


BAD_BACKUPS: list[Callable[[Flask, Path], tuple[Path, str]]] = [
    empty_file,
    text_file,
    foreign_sqlite_database,
    sqlite_database_of_another_alembic_application,
    sqlite_database_stamped_by_another_application,
    truncated_backup,
    backup_of_an_unknown_revision,
]


@pytest.mark.commits
@pytest.mark.parametrize("bad_backup", BAD_BACKUPS, ids=lambda make: make.__name__)
def test_a_bad_backup_is_refused_in_one_line_and_changes_nothing(app, tmp_path, bad_backup):
    add_marker()
    path, message = bad_backup(app, tmp_path)
    before = dump_tables(db.engine)
    beside = files_beside(app)

    result = run_cli(app, "restore", "--yes", str(path))

    assert_one_line_refusal(result, message)
    assert "the database is unchanged" in result.output
    assert dump_tables(db.engine) == before
    assert before["agencies"], "the marker row is there"
    assert files_beside(app) == beside


@pytest.mark.commits
def test_a_pg_dump_of_another_database_is_refused(app, backend, tmp_path):
    if backend != "postgresql":
        pytest.skip("a pg_dump archive is refused on SQLite for its format")
    add_marker()
    path = tmp_path / "other.dump"
    with fresh_database("postgresql", tmp_path) as other_url:
        engine = sa.create_engine(other_url)
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE recipes (id serial PRIMARY KEY, name text)"))
        engine.dispose()
        libpq_url = sa.engine.make_url(other_url).set(drivername="postgresql")
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", str(path),
             "--dbname", libpq_url.render_as_string(hide_password=False)],
            check=True,
        )  # fmt: skip
    before = dump_tables(db.engine)

    result = run_cli(app, "restore", "--yes", str(path))

    assert_one_line_refusal(result, "has no alembic_version table")
    assert dump_tables(db.engine) == before


@pytest.mark.commits
def test_a_restore_that_fails_its_last_check_leaves_the_database_as_it_was(
    app, backend, tmp_path, monkeypatch
):
    """The replacement itself fails after the backup passed every check (the write fails, the
    disk fills...): the database is put back (SQLite) or the transaction rolled back."""
    add_marker("BEFORE")
    path = back_up(app, tmp_path / "b.dump")
    add_marker("AFTER")  # only in the live database: gone if the restore went through
    before = dump_tables(db.engine)
    beside = files_beside(app)

    def failing_check(*_args):
        raise BackupError("simulated failure after the write")

    if backend == "sqlite":
        monkeypatch.setattr(backup_module, "_check_restored_sqlite_database", failing_check)
    else:
        monkeypatch.setattr(
            backup_module,
            "_restored_schema_check",
            lambda *_args: "DO $$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$;",
        )

    result = run_cli(app, "restore", "--yes", str(path))

    assert_one_line_refusal(result, "simulated failure")
    assert dump_tables(db.engine) == before
    assert files_beside(app) == beside


@pytest.mark.commits
def test_a_copy_left_by_an_earlier_failed_restore_is_never_overwritten(app, backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("only a SQLite restore keeps a copy aside")
    add_marker()
    path = back_up(app, tmp_path / "b.sqlite")
    live = Path(sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
    aside = live.with_name(live.name + ".before-restore")
    aside.write_bytes(b"the only copy of something")
    try:
        result = run_cli(app, "restore", "--yes", str(path))
        assert_one_line_refusal(result, "is left from an earlier restore")
        assert aside.read_bytes() == b"the only copy of something"
    finally:
        aside.unlink()


@pytest.mark.commits
def test_without_yes_the_restore_asks_after_the_checks_and_a_no_changes_nothing(app, tmp_path):
    add_marker("BEFORE")
    path = back_up(app, tmp_path / "b.dump")
    add_marker("AFTER")
    before = dump_tables(db.engine)

    result = run_cli(app, "restore", str(path), stdin="n\n")

    assert result.exit_code == 1
    assert f"schema revision {schema_revision()}" in result.output
    assert dump_tables(db.engine) == before

    text, _message = text_file(app, tmp_path)
    refused = run_cli(app, "restore", str(text), stdin="y\n")
    assert refused.exit_code == 2
    assert "Continue?" not in refused.output


@pytest.mark.commits  # restore lets go of every pooled connection, the tests' own included
def test_restore_of_a_missing_file_is_one_line_and_exit_code_2(app, tmp_path):
    result = run_cli(app, "restore", "--yes", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.output.strip().startswith("Error: no backup file")
    assert len(result.output.strip().splitlines()) == 1


def test_backup_without_a_path_is_one_line_and_exit_code_2(app):
    result = run_cli(app, "backup")
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
