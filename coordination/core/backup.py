"""Backup and restore of the whole database.

SQLite: the online backup API (consistent while the application runs). PostgreSQL:
``pg_dump --format=custom`` and ``pg_restore`` when the client tools are installed.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from coordination.core.errors import DomainError


class BackupError(DomainError):
    """The backup or restore could not be made; nothing was changed."""


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

    :raise BackupError: unsupported database, missing tools, or the tool failed.
    """
    url = make_url(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target),
              "--dbname", _libpq_url(url)])  # fmt: skip
    else:
        raise BackupError(f"backups of {url.get_backend_name()} databases are not supported")


def restore_database(database_url: str, source: Path) -> None:
    """Replace the database's content with the backup in ``source``.

    :raise BackupError: missing file, unsupported database, missing tools, or the tool failed.
    """
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        backup = sqlite3.connect(source)
        destination = sqlite3.connect(_sqlite_path(url))
        try:
            with destination:
                backup.backup(destination)
        finally:
            destination.close()
            backup.close()
    elif url.get_backend_name() == "postgresql":
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--dbname", _libpq_url(url), str(source)])  # fmt: skip
    else:
        raise BackupError(f"restoring {url.get_backend_name()} databases is not supported")


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - fixed tool, our arguments
    if result.returncode != 0:
        last_line = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise BackupError(f"{Path(command[0]).name} failed: {last_line}")
