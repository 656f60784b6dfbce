"""What the migration scripts say about the schema: the revisions, and the tables of each.

A restore must know which tables a backup at some revision has to hold; ``db downgrade`` must
say which tables it is about to drop. Both are answered the same way: by running the migration
scripts themselves, upgrade or downgrade, on a scratch in-memory SQLite database and listing
its tables. Nothing parses the scripts, so the answer is what Alembic really does (relative
targets such as ``-2``, partial revision ids and ``base`` included), and the application's own
database is never touched. The scratch runs are configured as env.py configures the real ones:
the application's metadata (its naming convention names the constraints that later scripts
drop) and Flask-Migrate's options.

Caveat: the scripts create the same tables on SQLite and PostgreSQL today, except for one
engine's own objects (``coordination.db.ENGINE_OBJECT_PREFIX``: SQLite's full-text tables of
the search index), which are not counted. Any other table created on one dialect only would
make the answers of this module wrong for the other.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import RevisionStep
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from coordination.core.errors import DomainError
from coordination.db import is_engine_object

#: Alembic's own table: it holds the revision of a database.
VERSION_TABLE = "alembic_version"


class SchemaHistoryError(DomainError):
    """The migration scripts cannot answer: the question or the scripts are wrong."""


class UnknownRevision(SchemaHistoryError):
    """A revision, or a migration target, that the migration scripts do not know."""


@dataclass(frozen=True)
class Downgrade:
    """What going down from ``current`` to ``target`` does to the tables."""

    current: str
    #: The revision the downgrade ends at; ``None`` for base (no table left at all).
    target: str | None
    #: The tables that exist at ``current`` and no longer at ``target``, sorted.
    dropped_tables: tuple[str, ...]


class SchemaHistory:
    """The migration scripts of one directory, and the tables each revision has."""

    def __init__(
        self,
        config: Config,
        target_metadata: sa.MetaData | None = None,
        configure_args: dict[str, Any] | None = None,
    ) -> None:
        self._config = config
        self._configure_args = {
            "render_as_batch": True,
            **(configure_args or {}),
            "target_metadata": target_metadata,
        }
        self._script = ScriptDirectory.from_config(config)
        self._tables: dict[str, frozenset[str]] = {}

    @property
    def heads(self) -> tuple[str, ...]:
        """The newest revisions (one, as long as the history does not branch)."""
        return tuple(self._script.get_heads())

    def knows(self, revision: str) -> bool:
        """Whether ``revision`` is the full id of one of the scripts (no partial ids here)."""
        return revision in {script.revision for script in self._script.walk_revisions()}

    def tables_at(self, revision: str) -> frozenset[str]:
        """The tables (``alembic_version`` aside) of a database upgraded to ``revision``.

        :raise UnknownRevision: the scripts do not know ``revision``.
        :raise SchemaHistoryError: a script failed on the scratch database.
        """
        if not self.knows(revision):
            raise UnknownRevision(f"no migration script has the revision {revision}")
        if revision not in self._tables:
            with _scratch_database() as connection:
                self._migrate(connection, revision, upgrade=True)
                self._tables[revision] = _table_names(connection)
        return self._tables[revision]

    def downgrade(self, current: str, target: str) -> Downgrade:
        """What ``db downgrade target`` does to a database at ``current``.

        :raise UnknownRevision: the scripts do not know ``current``, or ``target`` does not
            lead down from it (an unknown id, or ``-5`` below base).
        :raise SchemaHistoryError: a script failed on the scratch database.
        """
        with _scratch_database() as connection:
            self._migrate(connection, current, upgrade=True)
            before = _table_names(connection)
            self._migrate(connection, target, upgrade=False)
            after = _table_names(connection)
            reached = MigrationContext.configure(connection).get_current_revision()
        return Downgrade(current, reached, tuple(sorted(before - after)))

    def _migrate(self, connection: sa.Connection, destination: str, *, upgrade: bool) -> None:
        """Run the scripts on the scratch ``connection`` up or down to ``destination``.

        The same steps ``alembic upgrade``/``downgrade`` would take, but without the
        application's env.py, which always connects to the application's database.

        :raise UnknownRevision: Alembic cannot resolve ``destination`` from where it is.
        :raise SchemaHistoryError: a script raised anything else (a bug in the script: the
            command line reports it in one line instead of a traceback).
        """
        script = self._script

        # Alembic's own upgrade/downgrade commands hand the same step functions to the
        # environment; ``heads`` is what the scratch database is at (Alembic types it loosely).
        def steps(heads: Any, _context: MigrationContext) -> list[RevisionStep]:
            if upgrade:
                return script._upgrade_revs(destination, heads)
            return script._downgrade_revs(destination, heads)

        try:
            with (
                _quiet_alembic(),
                EnvironmentContext(
                    self._config, script, fn=steps, destination_rev=destination
                ) as environment,
            ):
                environment.configure(connection=connection, **self._configure_args)
                with environment.begin_transaction():
                    environment.run_migrations()
        except CommandError as error:
            raise UnknownRevision(str(error)) from error
        except Exception as error:
            raise SchemaHistoryError(
                f"the migration scripts fail on a scratch SQLite database: "
                f"{type(error).__name__}: {error}"
            ) from error


def application_schema_history(directory: str | None = None) -> SchemaHistory:
    """The schema history of the current application's migrations folder (or ``directory``).

    Needs an application context (Flask-Migrate keeps the folder in the app's extensions).
    """
    from flask import current_app

    migrate = current_app.extensions["migrate"]
    return SchemaHistory(
        migrate.migrate.get_config(directory), migrate.db.metadata, migrate.configure_args
    )


@contextmanager
def _scratch_database() -> Iterator[sa.Connection]:
    """A connection to an empty in-memory SQLite database, thrown away afterwards."""
    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _table_names(connection: sa.Connection) -> frozenset[str]:
    """The application's tables: not Alembic's, nor the full-text tables SQLite keeps for the
    search index (PostgreSQL has none: a backup of either holds the same tables)."""
    return frozenset(
        name
        for name in sa.inspect(connection).get_table_names()
        if name != VERSION_TABLE and not is_engine_object(name)
    )


@contextmanager
def _quiet_alembic() -> Iterator[None]:
    """Keep the scratch runs out of the log: operators would read them as real migrations."""
    logger = logging.getLogger("alembic")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
