"""The declarative base, shared column types and the ``db`` handle.

Every model derives from ``db.Model``. Constraint names are deterministic (the naming
convention) so that migrations can drop and alter them by name on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import time
import weakref
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Date, DateTime, MetaData, String, Text, TypeDecorator, event
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: What a migration makes for one database engine only, beside the tables of the models: the
#: full-text machinery of the search index (SQLite's FTS5 table and its shadow tables,
#: PostgreSQL's generated ``tsvector`` column, its GIN index and its index of codes; see
#: ``coordination.search.models``). Their names start with this prefix; schema comparisons and
#: the lists of the application's tables leave them out.
ENGINE_OBJECT_PREFIX = "fts_"


def is_engine_object(name: str | None) -> bool:
    """Whether ``name`` (a table, column or index) is one database engine's own (above)."""
    return bool(name) and str(name).startswith(ENGINE_OBJECT_PREFIX)


def include_in_schema_comparison(name: str | None, _type: str, _parent_names: Any) -> bool:
    """Alembic's ``include_name`` hook: compare the models' schema, not an engine's own objects
    (autogenerate and ``tests/test_migrations.py`` would otherwise want to drop them)."""
    return not is_engine_object(name)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored in UTC.

    PostgreSQL keeps the zone (``timestamp with time zone``); SQLite does not, so values are
    normalised to UTC on the way in and marked as UTC on the way out. Naive datetimes are
    refused: they are always a bug in a platform that lives in Europe/Brussels.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


#: Shared annotated column types (Warehouse style).
str40 = Annotated[str, 40]
str80 = Annotated[str, 80]
str200 = Annotated[str, 200]
str255 = Annotated[str, 255]
intpk = Annotated[int, mapped_column(primary_key=True)]


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            datetime: UTCDateTime(),
            date: Date(),
            str40: String(40),
            str80: String(80),
            str200: String(200),
            str255: String(255),
            str: Text(),
        },
    )


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    # Flask-SQLAlchemy builds db.Model at run time; type checkers see the declarative base.
    Model = Base
else:
    Model = db.Model


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def str_enum(enum_cls: type[StrEnum], name: str) -> SAEnum:
    """A StrEnum stored by value in a VARCHAR with a named CHECK constraint.

    Non-native so that adding a status is an ordinary migration on both databases.
    """
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=30,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


def enable_sqlite_foreign_keys(engine: Engine) -> None:
    """Make SQLite enforce foreign keys (and wait for locks) like PostgreSQL does."""
    if engine.dialect.name != "sqlite" or event.contains(engine, "connect", _sqlite_on_connect):
        return
    event.listen(engine, "connect", _sqlite_on_connect)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


#: Engines whose idle connections are checked before use (once per engine).
_PINGING: weakref.WeakSet[Engine] = weakref.WeakSet()


def ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    """Check a pooled connection before use only when it has been idle for ``idle_seconds``.

    ``pool_pre_ping`` costs a round trip on every request; a busy worker's connections are
    seldom the ones a database restart or a firewall has cut. A connection that sat idle is
    pinged; a dead one is replaced (the pool retries on ``DisconnectionError``), so the first
    request after a restart is answered instead of failing.
    """
    if engine.dialect.name == "sqlite" or engine in _PINGING:
        return
    _PINGING.add(engine)

    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is not None and time.monotonic() - checked_in_at < idle_seconds:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        except Exception as error:  # any failure: this connection is dead, take another
            raise DisconnectionError(f"pooled connection is gone: {error}") from error

    event.listen(engine, "checkout", ping_if_idle)
    event.listen(engine, "checkin", _note_checkin)


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["checked_in_at"] = time.monotonic()
