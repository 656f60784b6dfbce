"""Backup and restore of the whole database.

SQLite: the online backup API (consistent while the application runs), the copy stamped with
:data:`SQLITE_APPLICATION_ID`. PostgreSQL: ``pg_dump --format=custom``; the client tools
(``pg_dump``, ``pg_restore``, ``psql``) must be installed.

A restore never destroys: the backup is checked completely before the database is touched,
and the database is checked again after the replacement, which is undone if that fails.

1. The file: a SQLite database or a pg_dump custom-format archive, matching the database.
2. Readable to the end: ``PRAGMA integrity_check`` on a copy of it (SQLite); ``pg_restore
   --list`` and then turning the whole archive into SQL, which reads every data block
   (PostgreSQL). An empty, truncated or text file stops here.
3. This application's: an ``alembic_version`` table holding one revision the migration scripts
   know (the newest, or an older one ``db upgrade`` starts from), and every table the scripts
   create up to that revision (:mod:`coordination.core.schema_history`). A SQLite backup
   stamped with another ``PRAGMA application_id`` is refused too.
4. The replacement. SQLite: the current database is first copied aside to
   ``<name>.before-restore``; the checked copy is then written into the database with
   SQLite's backup API, one write transaction that other connections see coherently (a file
   swapped under them with ``os.replace`` would not be: they would keep writing to the old
   file, and a leftover journal of the old file would be applied to the new one); the result
   is checked again, and on any failure the copy aside is written back. PostgreSQL: one
   ``psql --single-transaction`` run drops the application's current tables, runs the
   archive's SQL and checks the revision and the tables before COMMIT; any error rolls all
   of it back, and until COMMIT every other connection still sees the old database (MVCC).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import URL, make_url

from coordination.core.errors import DomainError
from coordination.core.schema_history import VERSION_TABLE, SchemaHistory, SchemaHistoryError

#: Stamped into every SQLite backup (``PRAGMA application_id``, the bytes "BeCo") so that a
#: restore recognises its own files; 0, SQLite's default, is accepted as "not stamped".
SQLITE_APPLICATION_ID = int.from_bytes(b"BeCo", "big")

#: The suffix of the copy of a SQLite database kept while a restore replaces it.
BEFORE_RESTORE_SUFFIX = ".before-restore"


class BackupError(DomainError):
    """The backup or restore could not be made; nothing was changed."""


class BackupFormat(StrEnum):
    """What a backup file is, told by its first bytes."""

    SQLITE = "a SQLite database"
    POSTGRESQL = "a pg_dump custom-format archive"


#: The first bytes of each format (SQLite's file header; pg_dump's archive magic).
FORMAT_HEADERS = {BackupFormat.SQLITE: b"SQLite format 3\x00", BackupFormat.POSTGRESQL: b"PGDMP"}
#: The backup format each database backend restores from.
BACKEND_FORMATS = {"sqlite": BackupFormat.SQLITE, "postgresql": BackupFormat.POSTGRESQL}


@dataclass(frozen=True)
class CheckedBackup:
    """A backup file that passed every check; :meth:`restore` puts it in place of the database."""

    source: Path
    #: The schema revision the backup is at.
    revision: str
    #: The newest revisions of this code's migration scripts.
    heads: tuple[str, ...]
    _replace_database: Callable[[], None] = field(repr=False)

    @property
    def needs_upgrade(self) -> bool:
        """Older than this code: run ``db upgrade`` after the restore."""
        return self.revision not in self.heads

    def restore(self) -> None:
        """Replace the database with the backup.

        :raise BackupError: the replacement failed; the database is as it was (or, should even
            putting it back fail on SQLite, the message says where the copy aside is).
        """
        self._replace_database()


# --- backup --------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _libpq_url(url: URL) -> str:
    """The SQLAlchemy URL as the libpq URL the PostgreSQL client tools understand."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client)")
    return path


def backup_database(database_url: str, target: Path) -> None:
    """Write a consistent copy of the database to ``target``.

    :raise BackupError: unsupported database, missing tools, a target that is not a SQLite
        file, or the tool failed.
    """
    url = make_url(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        try:
            _copy_sqlite_database(_sqlite_path(url), target)
            _stamp_application_id(target)
        except sqlite3.Error as error:
            raise BackupError(f"the SQLite backup to {target} failed: {error}") from error
    elif url.get_backend_name() == "postgresql":
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target),
              "--dbname", _libpq_url(url)])  # fmt: skip
    else:
        raise BackupError(f"backups of {url.get_backend_name()} databases are not supported")


def _copy_sqlite_database(source: Path, destination: Path) -> None:
    """Copy with SQLite's backup API: one consistent snapshot, one write transaction.

    :raise sqlite3.Error: either file is not a SQLite database, or it is locked.
    """
    reader = sqlite3.connect(source)
    writer = sqlite3.connect(destination)
    try:
        with writer:
            reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _stamp_application_id(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(f"PRAGMA application_id = {SQLITE_APPLICATION_ID}")
    finally:
        connection.close()


# --- restore: the checks ---------------------------------------------------------------------


@contextmanager
def checked_backup(
    database_url: str, source: Path, history: SchemaHistory
) -> Iterator[CheckedBackup]:
    """Check ``source`` completely without touching the database, and yield it ready to restore.

    Temporary files of the check (a copy of a SQLite backup, the SQL of a PostgreSQL archive)
    are removed when the block ends.

    :raise BackupError: no such file; empty, text or any other file that is neither a SQLite
        database nor a pg_dump custom-format archive; the other backend's format; damaged or
        truncated; not this application's database; a schema revision this code does not
        know; missing tools.
    """
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    url = make_url(database_url)
    with ExitStack() as cleanup:
        try:
            backup = _check_backup(url, source, history, cleanup)
        except (BackupError, SchemaHistoryError) as error:
            raise BackupError(f"{error.message}; the database is unchanged") from error
        except OSError as error:  # unreadable backup; no room or no right for the copy
            raise BackupError(f"{error}; the database is unchanged") from error
        yield backup


def _check_backup(
    url: URL, source: Path, history: SchemaHistory, cleanup: ExitStack
) -> CheckedBackup:
    backend = url.get_backend_name()
    expected_format = BACKEND_FORMATS.get(backend)
    if expected_format is None:
        raise BackupError(f"restoring {backend} databases is not supported")
    found_format = _backup_format(source)
    if found_format is not expected_format:
        raise BackupError(
            f"{source} is {found_format}, but this application's database is {backend}: "
            f"it restores from {expected_format}"
        )
    if found_format is BackupFormat.SQLITE:
        return _check_sqlite_backup(_sqlite_path(url), source, history, cleanup)
    return _check_postgresql_backup(url, source, history, cleanup)


def _backup_format(source: Path) -> BackupFormat:
    """The format of ``source``, told by its first bytes.

    :raise BackupError: empty, or neither format (a text file, a plain SQL dump...).
    """
    with source.open("rb") as file:
        start = file.read(16)
    if not start:
        raise BackupError(f"{source} is empty: it is not a backup")
    for backup_format, header in FORMAT_HEADERS.items():
        if start.startswith(header):
            return backup_format
    raise BackupError(
        f"{source} is not a backup: neither a SQLite database nor a pg_dump custom-format archive"
    )


def _check_application_schema(
    source: Path, tables: set[str], revisions: list[str], history: SchemaHistory
) -> str:
    """The backup's schema revision, once its tables show it is this application's database.

    :raise BackupError: no ``alembic_version`` table, not exactly one revision in it, a
        revision the migration scripts do not know (a newer version of the application, or
        another application), or tables of that revision missing.
    """
    if VERSION_TABLE not in tables:
        raise BackupError(
            f"{source} is not a backup of this application: it has no {VERSION_TABLE} table"
        )
    if len(revisions) != 1:
        raise BackupError(
            f"{source} holds {len(revisions)} schema revisions in {VERSION_TABLE}, not one"
        )
    revision = revisions[0]
    if not history.knows(revision):
        raise BackupError(
            f"{source} is at schema revision {revision}, which this version of the application "
            f"does not know (its newest is {', '.join(history.heads)}): a backup of a newer "
            "version, or of another application"
        )
    missing = history.tables_at(revision) - tables
    if missing:
        raise BackupError(
            f"{source} is not a backup of this application: tables of schema revision "
            f"{revision} are missing: {', '.join(sorted(missing))}"
        )
    return revision


# --- restore: SQLite -------------------------------------------------------------------------


def _check_sqlite_backup(
    live: Path, source: Path, history: SchemaHistory, cleanup: ExitStack
) -> CheckedBackup:
    """Check a copy of ``source`` made next to the live database; the copy is what gets restored.

    A copy, so that the backup file itself is never opened for writing (SQLite could leave a
    journal beside it) and what was checked is exactly what is installed.
    """
    aside = _before_restore_path(live)
    if aside.exists():
        raise BackupError(
            f"{aside} is left from an earlier restore: keep it somewhere else, or delete it, "
            "then restore again"
        )
    candidate = cleanup.enter_context(_temporary_copy_next_to(live, source))
    revision = _check_sqlite_database(
        source, candidate, history, integrity_pragma="integrity_check"
    )
    return CheckedBackup(
        source,
        revision,
        history.heads,
        lambda: _replace_sqlite_database(live, candidate, aside, history, revision),
    )


def _before_restore_path(live: Path) -> Path:
    return live.with_name(live.name + BEFORE_RESTORE_SUFFIX)


@contextmanager
def _temporary_copy_next_to(live: Path, source: Path) -> Iterator[Path]:
    """A copy of ``source`` in the live database's folder; removed with its journal afterwards."""
    live.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=live.parent, prefix=f"{live.name}.", suffix=".restore")
    os.close(descriptor)
    copy = Path(name)
    try:
        shutil.copyfile(source, copy)
        yield copy
    finally:
        _remove_sqlite_files(copy)


def _check_sqlite_database(
    source: Path, path: Path, history: SchemaHistory, *, integrity_pragma: str
) -> str:
    """The schema revision of the SQLite database at ``path`` (a copy of ``source``).

    ``integrity_pragma`` is ``integrity_check`` (every index against its table) or the faster
    ``quick_check``.

    :raise BackupError: damaged or truncated, stamped by another application, or not this
        application's schema (:func:`_check_application_schema`).
    """
    connection = sqlite3.connect(path)
    try:
        problems = [row[0] for row in connection.execute(f"PRAGMA {integrity_pragma}")]
        if problems != ["ok"]:
            raise BackupError(f"{source} is damaged: {problems[0]}")
        (application_id,) = connection.execute("PRAGMA application_id").fetchone()
        if application_id not in (0, SQLITE_APPLICATION_ID):
            raise BackupError(
                f"{source} is the database of another application "
                f"(SQLite application_id {application_id})"
            )
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        revisions = (
            [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
            if VERSION_TABLE in tables
            else []
        )
    except sqlite3.DatabaseError as error:
        # "database disk image is malformed" (truncated), "file is not a database"...
        raise BackupError(f"{source} is not a readable SQLite database: {error}") from error
    finally:
        connection.close()
    return _check_application_schema(source, tables, revisions, history)


def _replace_sqlite_database(
    live: Path, candidate: Path, aside: Path, history: SchemaHistory, revision: str
) -> None:
    """Write the checked ``candidate`` into ``live``, keeping a copy aside until it is verified.

    :raise BackupError: the copy aside, the write or the verification failed; the database was
        put back (or, if even that failed, the message says where the copy aside is).
    """
    existed = live.exists()
    try:
        if existed:
            _copy_sqlite_database(live, aside)
    except sqlite3.Error as error:
        _remove_sqlite_files(aside)
        raise BackupError(
            f"the current database could not be copied aside ({error}); it is unchanged "
            f"(if it is damaged beyond reading, move {live} away and restore again)"
        ) from error
    try:
        _copy_sqlite_database(candidate, live)
        _check_restored_sqlite_database(live, history, revision)
    except (sqlite3.Error, BackupError) as error:
        reason = error.message if isinstance(error, BackupError) else error
        _put_back_sqlite_database(live, aside, existed, reason)
        raise BackupError(
            f"the restore failed ({reason}); the database was put back as it was"
        ) from error
    _remove_sqlite_files(aside)


def _check_restored_sqlite_database(live: Path, history: SchemaHistory, revision: str) -> None:
    """Verify the database after the restore wrote it: readable, and at the backup's revision.

    :raise BackupError: it is not (the caller puts the previous database back).
    """
    found = _check_sqlite_database(live, live, history, integrity_pragma="quick_check")
    if found != revision:
        raise BackupError(f"the restored database is at revision {found}, not {revision}")


def _put_back_sqlite_database(live: Path, aside: Path, existed: bool, reason: object) -> None:
    """Undo a failed restore: write the copy aside back, or remove a database that was new.

    :raise BackupError: putting back failed too; the copy aside is kept and the message says so.
    """
    try:
        if existed:
            _copy_sqlite_database(aside, live)
        else:
            _remove_sqlite_files(live)
    except (sqlite3.Error, OSError) as error:
        raise BackupError(
            f"the restore failed ({reason}) and so did putting the database back ({error}): "
            f"the previous database is kept at {aside}"
        ) from error
    _remove_sqlite_files(aside)


def _remove_sqlite_files(path: Path) -> None:
    """Remove a SQLite database file and whatever journal SQLite may have left beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- restore: PostgreSQL ---------------------------------------------------------------------

#: A table of the archive in ``pg_restore --list``: "216; 1259 81327 TABLE public agencies
#: owner" (but not "TABLE DATA public agencies owner").
_LISTED_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(?P<schema>\S+) (?P<name>\S+) ")


@dataclass(frozen=True)
class _Archive:
    """What the checks learnt of a pg_dump archive."""

    source: Path
    #: The schema that holds the archive's ``alembic_version`` table, and its tables there.
    schema: str
    tables: frozenset[str]
    revision: str
    #: The SQL that restores the archive (``pg_restore --clean --if-exists --file``).
    script: Path


def _check_postgresql_backup(
    url: URL, source: Path, history: SchemaHistory, cleanup: ExitStack
) -> CheckedBackup:
    """Check the archive's table of contents, its revision, and that all of it can be read.

    Reading all of it means writing its SQL to a temporary file (as large as the data): the
    only way to see that no data block is damaged before the database is touched, and the
    script the restore then runs.
    """
    _tool("psql")  # the restore needs it: better to know before the operator confirms
    listed = _archive_tables(source)
    schema = next((s for s, name in sorted(listed) if name == VERSION_TABLE), "public")
    tables = {name for s, name in listed if s == schema}
    revisions = _archive_revisions(source) if VERSION_TABLE in tables else []
    revision = _check_application_schema(source, tables, revisions, history)
    folder = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="coordination-")))
    script = folder / "restore.sql"
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
          "--file", str(script), str(source)],
         failure=f"{source} cannot be read to the end")  # fmt: skip
    archive = _Archive(source, schema, frozenset(tables), revision, script)
    return CheckedBackup(
        source, revision, history.heads, lambda: _replace_postgresql_database(url, archive, history)
    )


def _archive_tables(source: Path) -> set[tuple[str, str]]:
    """The (schema, table) pairs of the archive's table of contents.

    :raise BackupError: ``pg_restore --list`` cannot read it (truncated, damaged).
    """
    listing = _run(
        [_tool("pg_restore"), "--list", str(source)],
        failure=f"{source} is not a readable pg_dump archive",
    )
    return {
        (match["schema"], match["name"])
        for match in map(_LISTED_TABLE.match, listing.splitlines())
        if match
    }


def _archive_revisions(source: Path) -> list[str]:
    """The rows of the archive's ``alembic_version``, read from its COPY block.

    :raise BackupError: ``pg_restore`` cannot read that part of the archive.
    """
    sql = _run([_tool("pg_restore"), "--data-only", f"--table={VERSION_TABLE}",
                "--file=-", str(source)],
               failure=f"{source} is not a readable pg_dump archive")  # fmt: skip
    lines = iter(sql.splitlines())
    for line in lines:
        if line.startswith("COPY ") and f"{VERSION_TABLE} " in line:
            break
    rows = []
    for line in lines:
        if line == "\\.":
            break
        rows.append(line)
    return rows


def _replace_postgresql_database(url: URL, archive: _Archive, history: SchemaHistory) -> None:
    """Run the archive's SQL in one transaction that checks itself before COMMIT.

    First the transaction drops the application's current tables (CASCADE): a backup of an
    older revision lacks some of them, and their foreign keys would block the archive's own
    DROP TABLEs. Then the archive's SQL; then a check of the revision and the tables.

    :raise BackupError: the current tables cannot be listed, or psql failed (its transaction
        was rolled back); either way the database is unchanged.
    """
    try:
        current = _current_application_tables(url, archive, history)
    except BackupError as error:
        raise BackupError(f"{error.message}; the database is unchanged") from error
    dropped = ", ".join(_qualified(archive.schema, name) for name in sorted(current))
    # A running application holding locks should make the restore fail, not hang forever.
    prelude = "SET LOCAL lock_timeout = '30s';" + (
        f" DROP TABLE IF EXISTS {dropped} CASCADE;" if dropped else ""
    )
    try:
        _run([_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction",
              "--set", "ON_ERROR_STOP=1", "--command", prelude, "--file", str(archive.script),
              "--command", _restored_schema_check(archive, history),
              "--dbname", _libpq_url(url)])  # fmt: skip
    except BackupError as error:
        raise BackupError(f"{error.message}; the restore was rolled back") from error


def _current_application_tables(url: URL, archive: _Archive, history: SchemaHistory) -> set[str]:
    """The tables the restore replaces: the archive's, and the live database's own at its
    revision, among those that exist now. Tables of anything else are left alone."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            existing = set(sa.inspect(connection).get_table_names(schema=archive.schema))
            ours = set(archive.tables) | {VERSION_TABLE}
            if VERSION_TABLE in existing:
                version_table = sa.table(
                    VERSION_TABLE, sa.column("version_num"), schema=archive.schema
                )
                revisions: list[str] = list(
                    connection.scalars(sa.select(version_table.c.version_num))
                )
                for revision in revisions:
                    if history.knows(revision):
                        ours |= history.tables_at(revision)
    except sa.exc.SQLAlchemyError as error:
        raise BackupError(f"the database cannot be read: {error}") from error
    except SchemaHistoryError as error:
        raise BackupError(error.message) from error
    finally:
        engine.dispose()
    return existing & ours


def _restored_schema_check(archive: _Archive, history: SchemaHistory) -> str:
    """SQL that fails the transaction unless it restored exactly the checked revision and tables.

    The archive's SQL empties search_path: every name here is qualified.
    """
    expected = sorted(history.tables_at(archive.revision) | {VERSION_TABLE})
    schema = _sql_literal(archive.schema)
    version_table = _qualified(archive.schema, VERSION_TABLE)
    names = ", ".join(_sql_literal(name) for name in expected)
    # Every name and value below went through _qualified or _sql_literal.
    return f"""DO $check$ BEGIN
IF (SELECT count(*) FROM {version_table}) <> 1
   OR NOT EXISTS (SELECT FROM {version_table} WHERE version_num = {_sql_literal(archive.revision)})
   OR (SELECT count(*) FROM pg_catalog.pg_tables
       WHERE schemaname = {schema} AND tablename IN ({names})) <> {len(expected)}
THEN RAISE EXCEPTION 'the restored database is not the checked backup';
END IF;
END $check$;"""  # noqa: S608


def _qualified(schema: str, name: str) -> str:
    quote = postgresql.dialect().identifier_preparer.quote
    return f"{quote(schema)}.{quote(name)}"


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _run(command: list[str], *, failure: str | None = None) -> str:
    """Run a client tool and return its standard output.

    :raise BackupError: it failed: ``failure`` (by default "<tool> failed"), then the tool's
        first error line (psql's and pg_restore's last lines are often context, not the error).
    """
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - fixed tool, our arguments
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or ["unknown error"]
        error = next((line for line in lines if "error" in line.lower()), lines[-1])
        raise BackupError(f"{failure or Path(command[0]).name + ' failed'}: {error.strip()}")
    return result.stdout
