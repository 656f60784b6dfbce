"""Data versions: what lets a cache know, in one cheap read, that nothing it kept has changed.

The data is divided into a few scopes (the calendar, the action plan, who may see what). Each
has a version, a random token in the ``data_versions`` table that every write to one of the
scope's tables replaces in the same transaction, just before it commits. A cache keys what it
keeps on the versions it read before reading the data, so that:

- after any committed write, the next request reads a new token and misses the cache;
- a token never comes back (random, not a counter): not after a rollback, not in another
  database, not after a backup is restored (the restored tokens are those of the restored
  data, so what was cached under them is still true);
- a request whose own transaction holds writes not yet committed bypasses every cache.

Scopes are coarse on purpose: the secretariat writes a few times an hour, the agencies' calendars
and the ministers read all day. A write only ever makes a cache miss, never serve a stale or
another reader's result (each cache puts what the reader may see in its key as well).

Tokens are replaced as the last statement before COMMIT (``before_commit``), never at the
flush: a transaction then holds the version row's lock only while it commits, and two writers
cannot deadlock on it.

PostgreSQL ``LISTEN/NOTIFY`` was considered to spare the read: a notification arrives after
the commit, so a worker could answer from its cache in between (a stale response right after
a write). The read of a three-row table by primary key costs less than a millisecond.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping

from flask import g, has_app_context
from sqlalchemy import String, event, inspect, select, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from coordination.db import Model, db

CALENDAR = "calendar"
PLAN = "plan"
ACCESS = "access"
SCOPES = (CALENDAR, PLAN, ACCESS)

_WHO_SITS_WHERE = ("agencies", "forums", "forum_memberships", "agency_oversight")
_CALENDAR_TABLES = (
    "meeting_series", "meetings", "forum_standing_items", "agenda_items", "documents",
    "meeting_replies",
)  # fmt: skip
_PLAN_TABLES = (
    "action_plans", "themes", "measures", "measure_partners", "measure_transitions",
    "indicators", "indicator_targets", "indicator_values", "progress_reports",
    "item_decisions", "decision_corrections",
)  # fmt: skip
_MINUTES_TABLES = (
    "minutes", "minutes_revisions", "minutes_attendance", "minutes_attendees",
    "minutes_decisions", "follow_up_actions", "minutes_comments",
)  # fmt: skip
_BOOKKEEPING_TABLES = (
    "user_sessions", "known_devices", "login_throttles", "second_factors", "recovery_codes",
    "audit_events", "feed_states", "outbox_messages", "form_submissions", "data_versions",
)  # fmt: skip

#: Which scopes a write to each table changes. A table missing here changes every scope (the
#: safe default); a test keeps every table listed, so that a new one is decided upon.
TABLE_SCOPES: dict[str, frozenset[str]] = {
    # Who sits where: the calendar's walls, the plan's names, the policy's answers.
    **dict.fromkeys(_WHO_SITS_WHERE, frozenset(SCOPES)),
    **dict.fromkeys(("users", "feed_tokens"), frozenset({ACCESS})),
    **dict.fromkeys(_CALENDAR_TABLES, frozenset({CALENDAR})),
    **dict.fromkeys(_PLAN_TABLES, frozenset({PLAN})),
    # Minutes feed the briefing pack (follow-ups, decisions) and the meeting pages.
    **dict.fromkeys(_MINUTES_TABLES, frozenset({PLAN, CALENDAR})),
    # Bookkeeping of requests and deliveries: written all day, shown by no cache.
    **dict.fromkeys(_BOOKKEEPING_TABLES, frozenset()),
    # The search index is written with the rows it indexes, which change their own scopes;
    # no cache keeps search results.
    "search_entries": frozenset(),
}

#: Columns that requests keep up to date without changing anything a cache shows.
BOOKKEEPING_COLUMNS: dict[str, frozenset[str]] = {
    "feed_tokens": frozenset({"last_used_at", "states"}),
    "users": frozenset({"last_login_at"}),
}

_PENDING = "data_version_scopes"


class DataVersion(Model):
    """The current version of one scope of the data (see the module's documentation)."""

    __tablename__ = "data_versions"

    scope: Mapped[str] = mapped_column(String(20), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


def new_token() -> str:
    return secrets.token_hex(16)


def scopes_of_table(name: str) -> frozenset[str]:
    return TABLE_SCOPES.get(name, frozenset(SCOPES))


def _changed_columns(instance: object) -> set[str]:
    state = inspect(instance)
    return {attribute.key for attribute in state.attrs if attribute.history.has_changes()}


def _scopes_of_flush(session: Session) -> set[str]:
    scopes: set[str] = set()
    for instance in (*session.new, *session.deleted):
        scopes |= scopes_of_table(inspect(instance).mapper.local_table.name)
    for instance in session.dirty:
        table = inspect(instance).mapper.local_table.name
        if not session.is_modified(instance):
            continue
        if _changed_columns(instance) <= BOOKKEEPING_COLUMNS.get(table, frozenset()):
            continue
        scopes |= scopes_of_table(table)
    return scopes


def _note(session: Session, scopes: Iterable[str]) -> None:
    session.info.setdefault(_PENDING, set()).update(scopes)


def pending_scopes(session: Session) -> frozenset[str]:
    """The scopes this session has written to and not committed yet."""
    return frozenset(session.info.get(_PENDING, ()))


@event.listens_for(Session, "before_flush")
def _collect_flushed_scopes(session: Session, _context: object, _instances: object) -> None:
    _note(session, _scopes_of_flush(session))


@event.listens_for(Session, "do_orm_execute")
def _collect_statement_scopes(state: ORMExecuteState) -> None:
    """Bulk UPDATE, DELETE and INSERT statements bypass the flush: note their table too."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if state.execution_options.get("bookkeeping"):
        return  # marked by its author as a bookkeeping column only (BOOKKEEPING_COLUMNS)
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    _note(state.session, scopes_of_table(name) if isinstance(name, str) else SCOPES)


@event.listens_for(Session, "before_commit")
def _replace_tokens(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this hook: collect its writes now
    scopes = session.info.pop(_PENDING, None)
    if scopes:
        session.execute(
            update(DataVersion)
            .where(DataVersion.scope.in_(sorted(scopes)))
            .values(token=new_token())
        )
        session.info.pop(_PENDING, None)  # the UPDATE above noted its own table


@event.listens_for(Session, "after_rollback")
def _forget_scopes(session: Session) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_commit")
def _forget_read_versions(_session: Session) -> None:
    """A request that committed reads the versions again before it uses a cache."""
    if has_app_context():
        g.pop("data_versions", None)


def current_versions() -> Mapping[str, str] | None:
    """Every scope's token, read once per request (before the data a cache would keep); None
    when the session has uncommitted writes or a scope has no token (no cache may answer)."""
    if pending_scopes(db.session()):
        return None
    cached = g.get("data_versions")
    if cached is None:
        cached = dict(db.session.execute(select(DataVersion.scope, DataVersion.token)).all())
        g.data_versions = cached
    if any(scope not in cached for scope in SCOPES):
        return None
    return cached
