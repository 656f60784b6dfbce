"""Keeping the search index current: in the transaction of every write, after each flush.

Whatever writes an indexed object (a form, a service, the demo loader, a decision that adds to
the minutes) goes through the ORM, so one session event sees every change: after each flush,
the entries of every object the flush inserted or changed are written again, and those of the
objects it deleted go. A search in the same transaction, after the write, already finds the
new text; a rollback takes the entries back with the object.

What a row shows of its surroundings is written again with them: when a meeting's title, day
or forum changes, the rows of its agenda, documents, minutes, decisions and follow-up actions
are rewritten; when minutes change status (published, or back to a draft), those of their
decisions and follow-up actions (who may find them changes); when a measure's code or title
changes, those of its progress reports. A deleted meeting, minutes or measure takes the rows
that belong to it by the foreign keys of ``search_entries``.

The rows of one object: :func:`entries_of`. A document's words, once the worker has read them
(``search.extraction``), follow its name's in its row's ``body``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from sqlalchemy import Table, delete, event, insert, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, UOWTransaction, joinedload, object_session, undefer

from coordination.core.texts import CONTENT_LANGUAGES, OFFICIAL_LANGUAGES, Texts
from coordination.core.time import to_brussels
from coordination.db import db
from coordination.measures.models import Measure, ProgressReport
from coordination.meetings.models import AgendaItem, Document, Meeting, TextStatus
from coordination.minutes.models import Decision, FollowUpAction, Minutes, MinutesStatus
from coordination.search.models import Audience, SearchEntry, SearchKind

Row = dict[str, Any]

#: The index's table, written with Core statements (on the flush's connection).
ENTRIES = cast(Table, SearchEntry.__table__)

#: Characters the databases put around the matched words of a passage (see
#: ``search.queries``); taken out of every indexed text, so that content can never fake them.
MARK_START = "\ue000"
MARK_END = "\ue001"
_MARKERS = str.maketrans("", "", MARK_START + MARK_END)

#: The kind of each indexed model.
KINDS: dict[type, SearchKind] = {
    Meeting: SearchKind.MEETING,
    AgendaItem: SearchKind.AGENDA_ITEM,
    Minutes: SearchKind.MINUTES,
    Decision: SearchKind.DECISION,
    Document: SearchKind.DOCUMENT,
    Measure: SearchKind.MEASURE,
    ProgressReport: SearchKind.PROGRESS_REPORT,
    FollowUpAction: SearchKind.FOLLOW_UP,
}


def _texts(*names: str) -> tuple[str, ...]:
    return tuple(f"{name}_{language}" for name in names for language in CONTENT_LANGUAGES)


#: The columns each kind's rows are made of (:func:`entries_of`): a change elsewhere (a
#: meeting's sequence, a reminder's time, a version) leaves the rows as they are. A builder
#: that reads another column must list it here (a measure's ``created_at`` and a report's
#: ``submitted_at`` are set once, at creation).
INDEXED_COLUMNS: dict[type, tuple[str, ...]] = {
    Meeting: (*_texts("title"), "local_date", "forum_id", "status"),
    AgendaItem: (*_texts("title", "description"), "meeting_id", "presenting_agency_id"),
    Minutes: (*_texts("body"), "meeting_id", "status"),
    Decision: (*_texts("text"), "minutes_id"),
    Document: ("filename", "meeting_id", "extracted_text"),
    Measure: (*_texts("title", "description"), "code", "lead_agency_id", "deadline", "status"),
    ProgressReport: ("text", "reviewer_comment", "measure_id", "agency_id", "status"),
    FollowUpAction: (*_texts("description"), "minutes_id", "owner_agency_id", "status"),
}

#: Columns of a parent that its dependents' rows show or are filtered by: when one changes,
#: the dependents are written again (see the module's documentation).
_MEETING_COLUMNS = ("title_nl", "title_fr", "title_en", "local_date", "forum_id")
_MINUTES_COLUMNS = ("status",)
_MEASURE_COLUMNS = ("code", "title_nl", "title_fr", "title_en")

#: Rows inserted per statement by a rebuild.
BATCH = 500


# --- the rows of one object ---------------------------------------------------------------


def _clean(value: str | None) -> str:
    return (value or "").translate(_MARKERS).strip()


def _both_languages(texts: Texts) -> str:
    """A text for a row without a language: the official languages' texts, each once."""
    written: list[str] = []
    for language in CONTENT_LANGUAGES:
        value = _clean(texts.get(language))
        if value and value not in written and (language in OFFICIAL_LANGUAGES or not written):
            written.append(value)
    return " / ".join(written)


def _by_language(
    common: Row, title: Texts | None, body: Texts | None = None, context: Texts | None = None
) -> list[Row]:
    """One row per language in which the object has a title or a body."""
    title, body, context = title or Texts(), body or Texts(), context or Texts()
    rows = []
    for language in CONTENT_LANGUAGES:
        title_text, body_text = _clean(title.get(language)), _clean(body.get(language))
        if not (title_text or body_text):
            continue
        shown = context.shown_in(language).text if context else ""
        rows.append(
            {
                **common,
                "language": language,
                "title": title_text,
                "body": body_text,
                "context": _clean(shown) or None,
            }
        )
    return rows


def _without_language(common: Row, title: str, body: str = "", context: str = "") -> list[Row]:
    title, body = _clean(title), _clean(body)
    if not (title or body):
        return []
    return [{**common, "language": None, "title": title, "body": body, "context": context or None}]


def _common(kind: SearchKind, object_id: int, audience: Audience, **values: Any) -> Row:
    row: Row = {
        "kind": kind,
        "object_id": object_id,
        "audience": audience,
        "forum_id": None,
        "meeting_id": None,
        "minutes_id": None,
        "measure_id": None,
        "agency_id": None,
        "code": None,
        "day": None,
        "status": None,
    }
    row.update(values)
    return row


def _of_meeting(meeting: Meeting, audience: Audience = Audience.FORUM, **values: Any) -> Row:
    """What a row of something that belongs to ``meeting`` takes from it."""
    return {
        "audience": audience,
        "forum_id": meeting.forum_id,
        "meeting_id": meeting.id,
        "day": meeting.local_date,
        **values,
    }


def _minutes_audience(minutes: Minutes) -> Audience:
    published = MinutesStatus(minutes.status) is MinutesStatus.PUBLISHED
    return Audience.FORUM if published else Audience.EDITORS


def _meeting_entries(meeting: Meeting) -> list[Row]:
    common = _common(
        SearchKind.MEETING, meeting.id, **_of_meeting(meeting, status=str(meeting.status))
    )
    # The place is left out: a confidential one (a shelter) must never be found.
    return _by_language(common, meeting.title)


def _agenda_item_entries(item: AgendaItem) -> list[Row]:
    meeting = item.meeting
    common = _common(
        SearchKind.AGENDA_ITEM,
        item.id,
        **_of_meeting(meeting, agency_id=item.presenting_agency_id),
    )
    return _by_language(common, item.title, item.description, meeting.title)


def _of_minutes(minutes: Minutes, **values: Any) -> Row:
    """What a row of minutes, or of one of their decisions or follow-up actions, takes from
    them: their meeting's, who may find it while they are unpublished, their status."""
    return _of_meeting(
        minutes.meeting,
        _minutes_audience(minutes),
        minutes_id=minutes.id,
        **{"status": str(minutes.status), **values},
    )


def _minutes_entries(minutes: Minutes) -> list[Row]:
    common = _common(SearchKind.MINUTES, minutes.id, **_of_minutes(minutes))
    return _by_language(common, None, minutes.body, minutes.meeting.title)


def _decision_entries(decision: Decision) -> list[Row]:
    minutes = decision.minutes
    common = _common(SearchKind.DECISION, decision.id, **_of_minutes(minutes))
    return _by_language(common, None, decision.text, minutes.meeting.title)


def _follow_up_entries(action: FollowUpAction) -> list[Row]:
    minutes = action.minutes
    common = _common(
        SearchKind.FOLLOW_UP,
        action.id,
        **_of_minutes(minutes, agency_id=action.owner_agency_id, status=str(action.status)),
    )
    return _by_language(common, action.description, None, minutes.meeting.title)


def filename_words(filename: str) -> str:
    """The words of a file's name, for the engines to find: PostgreSQL reads
    "annual-report.pdf" as one host name, never as the words "annual" and "report"."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return " ".join(re.split(r"[\W_]+", stem)).strip()


def _document_entries(document: Document) -> list[Row]:
    meeting = document.meeting
    common = _common(SearchKind.DOCUMENT, document.id, **_of_meeting(meeting))
    # The words of the file follow those of its name once the worker has read them
    # (``search.extraction``); the text is not loaded for a document not read yet.
    body = filename_words(document.filename)
    if document.text_status == TextStatus.EXTRACTED and document.extracted_text:
        body = f"{body}\n\n{document.extracted_text}"
    return _without_language(common, document.filename, body, _both_languages(meeting.title))


def _measure_entries(measure: Measure) -> list[Row]:
    common = _common(
        SearchKind.MEASURE,
        measure.id,
        Audience.PLAN,
        measure_id=measure.id,
        agency_id=measure.lead_agency_id,
        code=measure.code,
        day=measure.deadline or (to_brussels(measure.created_at).date()),
        status=str(measure.status),
    )
    return _by_language(common, measure.title, measure.description)


def _report_entries(report: ProgressReport) -> list[Row]:
    measure = report.measure
    common = _common(
        SearchKind.PROGRESS_REPORT,
        report.id,
        Audience.PLAN,
        measure_id=measure.id,
        agency_id=report.agency_id,
        code=measure.code,
        day=to_brussels(report.submitted_at).date(),
        status=str(report.status),
    )
    body = "\n\n".join(part for part in (report.text, report.reviewer_comment) if part)
    context = f"{measure.code} {_both_languages(measure.title)}"
    return _without_language(common, "", body, context)


_BUILDERS: dict[SearchKind, Callable[[Any], list[Row]]] = {
    SearchKind.MEETING: _meeting_entries,
    SearchKind.AGENDA_ITEM: _agenda_item_entries,
    SearchKind.MINUTES: _minutes_entries,
    SearchKind.DECISION: _decision_entries,
    SearchKind.DOCUMENT: _document_entries,
    SearchKind.MEASURE: _measure_entries,
    SearchKind.PROGRESS_REPORT: _report_entries,
    SearchKind.FOLLOW_UP: _follow_up_entries,
}


def entries_of(obj: Any) -> list[Row]:
    """The index rows of an indexed object (none for a text left empty)."""
    return _BUILDERS[KINDS[type(obj)]](obj)


# --- after each flush ---------------------------------------------------------------------


def _kind_of(obj: Any) -> SearchKind | None:
    return KINDS.get(type(obj))


def _changed(obj: Any, columns: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in columns)


def _shown_by_dependents(obj: Any) -> bool:
    """Whether what changed in ``obj`` shows in the rows of others (its dependents)."""
    if isinstance(obj, Meeting):
        return _changed(obj, _MEETING_COLUMNS)
    if isinstance(obj, Minutes):
        return _changed(obj, _MINUTES_COLUMNS)
    if isinstance(obj, Measure):
        return _changed(obj, _MEASURE_COLUMNS)
    return False


def _dependents(obj: Any) -> Iterator[Any]:
    """The objects whose rows show something of ``obj`` (see the module's documentation)."""
    if isinstance(obj, Meeting):
        yield from obj.agenda_items
        yield from obj.documents
        session = object_session(obj)
        minutes = session and session.scalar(select(Minutes).where(Minutes.meeting_id == obj.id))
        if minutes is not None:
            yield minutes
            yield from _dependents(minutes)
    elif isinstance(obj, Minutes):
        yield from obj.decisions
        yield from obj.follow_ups
    elif isinstance(obj, Measure):
        yield from obj.reports


def _is_gone(obj: Any) -> bool:
    state = inspect(obj)
    return state.deleted or state.was_deleted or state.detached


_PENDING = "search_index_pending"


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: UOWTransaction) -> None:
    """Note what this flush inserted, changed or deleted (the objects' states still show the
    flush's changes here; nothing may be loaded yet: the new rows are not in the identity map)."""
    noted: dict[tuple[SearchKind, int], tuple[Any, bool, bool]] = {}
    gone: set[tuple[SearchKind, int]] = set()
    for obj in session.deleted:
        kind = _kind_of(obj)
        if kind is not None:
            gone.add((kind, obj.id))
    for obj in (*session.new, *session.dirty):
        kind = _kind_of(obj)
        if kind is None:
            continue
        new = obj in session.new
        if new or _changed(obj, INDEXED_COLUMNS[type(obj)]):
            # A new object's dependents are new too: only an existing one's are written again.
            cascade = not new and _shown_by_dependents(obj)
            earlier = noted.get((kind, obj.id))
            noted[(kind, obj.id)] = (obj, new, cascade or bool(earlier and earlier[2]))
    if noted or gone:
        pending = session.info.setdefault(_PENDING, ({}, set()))
        pending[0].update(noted)
        pending[1].update(gone)


@event.listens_for(Session, "after_flush_postexec")
def _index_flushed(session: Session, _context: UOWTransaction) -> None:
    """Write again the rows of what the flush inserted or changed, and of their dependents;
    remove those of what it deleted. Written on the flush's connection, outside the unit of
    work: the session has nothing more to flush.

    An object inserted by this flush has no rows yet (its id was never another's that still
    has some: deletions go through the ORM, or through the foreign keys of the index), so
    only the rows of changed and deleted objects are deleted first.
    """
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    noted, gone = pending
    stale: dict[tuple[SearchKind, int], Any] = {}
    existing: set[tuple[SearchKind, int]] = set(gone)
    with session.no_autoflush:
        for key, (obj, new, cascade) in noted.items():
            stale[key] = obj
            if not new:
                existing.add(key)
            if cascade:
                for dependent in _dependents(obj):
                    dependent_key = (KINDS[type(dependent)], dependent.id)
                    stale.setdefault(dependent_key, dependent)
                    existing.add(dependent_key)
        rows = [
            row
            for key, obj in stale.items()
            if key not in gone and not _is_gone(obj)
            for row in entries_of(obj)
        ]
    connection = session.connection()
    _delete_entries(connection, existing)
    if rows:
        connection.execute(insert(ENTRIES), rows)


@event.listens_for(Session, "after_rollback")
def _forget_flushed(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _delete_entries(connection: Connection, keys: Iterable[tuple[SearchKind, int]]) -> None:
    """Delete the rows of ``keys``: one statement per kind, on the (kind, object) index."""
    by_kind: dict[SearchKind, list[int]] = {}
    for kind, object_id in keys:
        by_kind.setdefault(kind, []).append(object_id)
    for kind, ids in sorted(by_kind.items()):
        connection.execute(
            delete(ENTRIES).where(ENTRIES.c.kind == kind, ENTRIES.c.object_id.in_(sorted(ids)))
        )


# --- rebuilding ---------------------------------------------------------------------------


def _everything() -> Iterator[Any]:
    """Every indexed object, with what its rows need loaded alongside (a bounded number of
    statements per batch)."""
    meeting_of = joinedload(Minutes.meeting)
    queries = (
        select(Meeting),
        select(AgendaItem).options(joinedload(AgendaItem.meeting)),
        select(Document).options(joinedload(Document.meeting), undefer(Document.extracted_text)),
        select(Minutes).options(meeting_of),
        select(Decision).options(joinedload(Decision.minutes).options(meeting_of)),
        select(FollowUpAction).options(joinedload(FollowUpAction.minutes).options(meeting_of)),
        select(Measure),
        select(ProgressReport).options(joinedload(ProgressReport.measure)),
    )
    for query in queries:
        entity = query.column_descriptions[0]["entity"]
        yield from db.session.scalars(query.order_by(entity.id).execution_options(yield_per=BATCH))


def rebuild_index() -> int:
    """Write every row of the index again, from the objects (``flask search reindex``); the
    caller commits. Returns the number of rows written."""
    session = db.session()
    connection = session.connection()
    connection.execute(delete(ENTRIES))
    written = 0
    batch: list[Row] = []
    with session.no_autoflush:
        for obj in _everything():
            batch.extend(entries_of(obj))
            if len(batch) >= BATCH:
                connection.execute(insert(ENTRIES), batch)
                written += len(batch)
                batch = []
    if batch:
        connection.execute(insert(ENTRIES), batch)
        written += len(batch)
    if connection.dialect.name == "sqlite":
        # The full-text table follows the rows through its triggers; rebuilding it from them
        # also repairs it, should it ever have been damaged.
        connection.execute(
            text("INSERT INTO fts_search_entries(fts_search_entries) VALUES ('rebuild')")
        )
    return written
