"""The search index: one row per text a user may find, in each language it is written in.

Every object that search finds (a meeting, an agenda item, minutes, a decision, a document, a
measure, a progress report, a follow-up action) has a :class:`SearchEntry` per language of its
text: the Dutch title and description of an agenda item are one row, the French ones another,
so that each is matched with its own language's stemming and the passage shown is in one
language. Text without a language (a file name, a progress report) is one row whose
``language`` is NULL, matched in every language.

A row carries what the visibility rule needs (``audience``, ``forum_id``, ``day``), so that
results and counts are filtered in SQL: what a user may not see is never counted.

The full-text machinery is each database engine's own, made by the migration and not part of
these models (names starting with ``fts_``, see ``coordination.db.ENGINE_OBJECT_PREFIX``):

- PostgreSQL: ``fts_vector``, a generated ``tsvector`` column (stemmed by the row's language,
  unaccented; every language for a row without one), with a GIN index; and
  ``fts_search_entries_code_lower``, an index of the lower-case codes (the codes that start
  with what is typed, without reading the whole table; an expression index, which SQLite's
  schema reflection cannot read, and the embedded database's index is small enough to scan);
- SQLite: the FTS5 table ``fts_search_entries`` (external content: these rows), kept in sync
  by triggers, tokenized ``unicode61 remove_diacritics 2``.

The rows are written by :mod:`coordination.search.index` in the transaction that writes the
object; ``flask search reindex`` rebuilds them all.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coordination.core.labels import Labels
from coordination.db import Model, intpk, str_enum


class SearchKind(StrEnum):
    MEETING = "meeting"
    AGENDA_ITEM = "agenda_item"
    MINUTES = "minutes"
    DECISION = "decision"
    DOCUMENT = "document"
    MEASURE = "measure"
    PROGRESS_REPORT = "progress_report"
    FOLLOW_UP = "follow_up"


class Audience(StrEnum):
    """Who may find a row (the policy decides, in SQL: ``search.queries``)."""

    #: Whoever reads the action plan (measures and their progress reports).
    PLAN = "plan"
    #: Whoever may see the forum's meetings on the row's day (meetings, agendas, documents,
    #: published minutes and their decisions and follow-up actions).
    FORUM = "forum"
    #: Unpublished minutes and their parts: those who write minutes, nobody else.
    EDITORS = "editors"


class SearchGroup(StrEnum):
    """The groups of results on the page, and the choices of the "kind" filter."""

    MEETINGS = "meetings"
    MINUTES = "minutes"
    DOCUMENTS = "documents"
    MEASURES = "measures"
    ACTIONS = "actions"


#: The kinds of each group, in the order the page shows the groups.
GROUP_KINDS: dict[SearchGroup, tuple[SearchKind, ...]] = {
    SearchGroup.MEETINGS: (SearchKind.MEETING, SearchKind.AGENDA_ITEM),
    SearchGroup.MINUTES: (SearchKind.MINUTES, SearchKind.DECISION),
    SearchGroup.DOCUMENTS: (SearchKind.DOCUMENT,),
    SearchGroup.MEASURES: (SearchKind.MEASURE, SearchKind.PROGRESS_REPORT),
    SearchGroup.ACTIONS: (SearchKind.FOLLOW_UP,),
}

GROUP_OF_KIND = {kind: group for group, kinds in GROUP_KINDS.items() for kind in kinds}

GROUP_LABELS = Labels(
    SearchGroup,
    {
        SearchGroup.MEETINGS: _l("Meetings and agenda items"),
        SearchGroup.MINUTES: _l("Minutes and decisions"),
        SearchGroup.DOCUMENTS: _l("Documents"),
        SearchGroup.MEASURES: _l("Measures and progress reports"),
        SearchGroup.ACTIONS: _l("Follow-up actions"),
    },
)

KIND_LABELS = Labels(
    SearchKind,
    {
        SearchKind.MEETING: _l("Meeting"),
        SearchKind.AGENDA_ITEM: _l("Agenda item"),
        SearchKind.MINUTES: _l("Minutes"),
        SearchKind.DECISION: _l("Decision"),
        SearchKind.DOCUMENT: _l("Document"),
        SearchKind.MEASURE: _l("Measure"),
        SearchKind.PROGRESS_REPORT: _l("Progress report"),
        SearchKind.FOLLOW_UP: _l("Follow-up action"),
    },
)


class SearchEntry(Model):
    """The text of one object in one language (or in none), and who may find it."""

    __tablename__ = "search_entries"
    __table_args__ = (
        Index("ix_search_entries_kind_object", "kind", "object_id"),
        CheckConstraint(
            "language IS NULL OR language IN ('nl', 'fr', 'en')", name="language_known"
        ),
    )

    id: Mapped[intpk]
    kind: Mapped[SearchKind] = mapped_column(str_enum(SearchKind, "search_kind"))
    #: The id of the object in its own table (``kind`` says which).
    object_id: Mapped[int]
    #: The language of ``title`` and ``body``; NULL when not known (file names, reports).
    language: Mapped[str | None] = mapped_column(String(2))
    audience: Mapped[Audience] = mapped_column(str_enum(Audience, "audience"))
    #: The forum and the meeting the row belongs to (for the visibility rule and the filters;
    #: the row goes with the meeting, at once, by the foreign key).
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    minutes_id: Mapped[int | None] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    #: The agency the object is about (a measure's lead, an action's owner, a report's agency,
    #: an item's presenter): typing its short name finds it.
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="SET NULL"), index=True
    )
    #: A measure's code ("6.8"), on the measure and its reports: typed, it finds them.
    code: Mapped[str | None] = mapped_column(String(40), index=True)
    #: The day the row is about: the meeting's (Brussels) date for what belongs to a meeting,
    #: a measure's deadline (else the day it was proposed), a report's day of submission. The
    #: visibility rule compares it with forum memberships; results are sorted and filtered on it.
    day: Mapped[date | None] = mapped_column(index=True)
    #: The object's status (a meeting's, minutes', a measure's ...), for the status filter.
    status: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    #: Shown under the result, never searched: the meeting a part belongs to, the measure a
    #: report is about.
    context: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<SearchEntry {self.kind} {self.object_id} {self.language}>"
