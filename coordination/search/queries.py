"""Searching the index: what matches, what the user may see of it, in groups, with passages.

Two statements whatever the text and the number of results:

1. the results of the page and each group's total, in one query: the rows that match (the
   engine's full text, a measure's code, an agency's short name, a day), only those the user
   may see (``visible_to``: the policy's rules, in SQL, so that no count includes what the user
   may not see), one per object (the reader's language first), ranked by relevance, then by
   recency, numbered within their group;
2. the highlighted title and passage of those results, computed by the engine for them only.

PostgreSQL matches each row in its language (``websearch_to_tsquery`` of the text with the
row's configuration: stemmed, unaccented; every configuration for a row without a language;
each word also finds the words it starts, as in SQLite) and ranks with ``ts_rank``; SQLite
matches the FTS5 table with a query in which every word is quoted
(:func:`coordination.search.parsing.fts5_query`) and ranks with its ``rank`` (``bm25``).
Neither engine can be given a query it refuses: any text typed is a search, never an error.

A passage is the engine's text with the matched words between two private-use characters
(``index.MARK_START`` and ``MARK_END``, never in indexed text); it is escaped as a whole and
only then are those characters turned into ``<mark>`` elements.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import url_for
from markupsafe import Markup, escape
from sqlalchemy import (
    ColumnElement,
    Float,
    Text,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql import Select

from coordination.agencies.models import Agency, Forum
from coordination.auth.policy import Action, can, forum_visibility_condition
from coordination.db import db
from coordination.search.index import MARK_END, MARK_START
from coordination.search.models import (
    GROUP_KINDS,
    GROUP_OF_KIND,
    Audience,
    SearchEntry,
    SearchGroup,
    SearchKind,
)
from coordination.search.parsing import Reading, code_range, fts5_query, read

#: Results of each group on the overview (no kind chosen), and per page of one kind.
PER_GROUP = 5
PER_PAGE = 20
#: Pages of one kind beyond this are empty: a search that needs them must be narrowed.
MAX_PAGE = 50

#: Scores of what is not a match of words: above any engine's rank, in this order.
CODE_SCORE = 1000.0
DAY_SCORE = 900.0
CODE_PREFIX_SCORE = 800.0
AGENCY_SCORE = 700.0

#: The kinds a typed day finds (what happened on that day).
DATED_KINDS = (SearchKind.MEETING, SearchKind.MINUTES)

#: Each row's language's configuration (see the migration that made them).
CONFIGURATIONS = {"nl": "fts_dutch", "fr": "fts_french", "en": "fts_english"}
#: Characters of a passage around its first match, at most, where the engine gives none.
OPENING_LENGTH = 300


@dataclass(frozen=True)
class SearchFilters:
    text: str
    group: SearchGroup | None = None
    forum_id: int | None = None
    year: int | None = None
    status: str | None = None
    page: int = 1


@dataclass
class Result:
    kind: SearchKind
    object_id: int
    language: str | None
    url: str
    title: Markup
    passage: Markup
    context: str | None
    code: str | None
    day: date | None
    status: str | None
    forum: str | None


@dataclass
class Group:
    group: SearchGroup
    total: int
    results: list[Result] = field(default_factory=list)


@dataclass
class SearchResults:
    filters: SearchFilters
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


# --- who may find what --------------------------------------------------------------------


def visible_to(user: Any) -> ColumnElement[bool]:
    """SQL condition: index rows the user may see (THE policy's rules, read in SQL).

    Measures and reports: ``measures.view``. What belongs to a meeting (the meeting, its
    agenda, documents, published minutes and their decisions and actions): the forum on the
    meeting's day, as ``meeting.view`` (:func:`forum_visibility_condition`). Unpublished
    minutes and their parts: those who write minutes (``minutes.write``), nobody else, not even
    the members a draft is circulated to (they read it on its page, never in lists).
    """
    entry = SearchEntry
    parts: list[ColumnElement[bool]] = [
        and_(
            entry.audience == Audience.FORUM,
            forum_visibility_condition(user, entry.forum_id, entry.day),
        )
    ]
    if can(user, Action.MEASURES_VIEW):
        parts.append(entry.audience == Audience.PLAN)
    if can(user, Action.MINUTES_WRITE):
        parts.append(entry.audience == Audience.EDITORS)
    return or_(*parts)


# --- what matches -------------------------------------------------------------------------


def _configuration(language: str) -> Any:
    return literal_column(f"'{CONFIGURATIONS[language]}'::regconfig")


#: A lexeme's closing quote in a ``tsquery``'s text (a quote inside a lexeme is doubled,
#: and is never followed by a space, a parenthesis or the end).
_LEXEME_END = r"'(\s|\)|$)"


def _by_beginning(query: Any) -> Any:
    """``query`` with every word also finding the words it starts ('control':* finds
    "controleurs"), as people type and as SQLite's FTS5 query does: the prefix mark added
    to each lexeme of the query's text, which websearch_to_tsquery cannot write itself."""
    return cast(func.regexp_replace(cast(query, Text), _LEXEME_END, r"':*\1", "g"), TSQUERY)


def _tsqueries(search_text: Any) -> dict[str | None, Any]:
    """The text's query in each language's configuration; ``None``: all of them at once."""
    queries: dict[str | None, Any] = {
        language: _by_beginning(func.websearch_to_tsquery(_configuration(language), search_text))
        for language in CONFIGURATIONS
    }
    queries[None] = queries["nl"].op("||")(queries["fr"]).op("||")(queries["en"])
    return queries


def _vector() -> Any:
    return literal_column("search_entries.fts_vector")


def _per_language(queries: dict[str | None, Any], value: Callable[[str | None, Any], Any]) -> Any:
    """``value(language, query)`` for each row, with its language and that language's query
    (a CASE on the row's language)."""
    entry = SearchEntry
    return case(
        *(
            (entry.language == language, value(language, queries[language]))
            for language in CONFIGURATIONS
        ),
        else_=value(None, queries[None]),
    )


def _postgresql_matches(search_text: Any) -> Select:
    entry = SearchEntry
    queries = _tsqueries(search_text)
    vector = _vector()
    matched = or_(
        *(
            and_(entry.language == language, vector.op("@@")(queries[language]))
            for language in CONFIGURATIONS
        ),
        and_(entry.language.is_(None), vector.op("@@")(queries[None])),
    )
    # Every row that matches in its own language matches the query of every language: one
    # condition the GIN index answers (the planner scans the whole table for the OR alone).
    matched = and_(vector.op("@@")(queries[None]), matched)
    # Normalisation 1: a long text (minutes) does not win by its length alone.
    rank = _per_language(queries, lambda _language, query: func.ts_rank(vector, query, 1))
    return select(entry.id.label("id"), cast(rank, Float).label("score")).where(matched)


def _sqlite_matches(match: str) -> Select:
    # The table's rank is bm25 with the title weighing four times the body (its migration);
    # negative, better the lower. (bm25() itself may not be called once SQLite flattens this
    # query into the grouping one; the rank column may.)
    return (
        select(
            literal_column("fts_search_entries.rowid").label("id"),
            (-literal_column("fts_search_entries.rank")).label("score"),
        )
        .select_from(text("fts_search_entries"))
        .where(literal_column("fts_search_entries").op("MATCH")(bindparam("fts_match", match)))
    )


def _candidates(reading: Reading, dialect: str) -> list[Select]:
    """One query per way the text may match: rows and their scores."""
    entry = SearchEntry
    found: list[Select] = []
    if dialect == "postgresql":
        found.append(_postgresql_matches(bindparam("search_text", reading.text)))
    else:
        match = fts5_query(reading.text)
        if match is not None:
            found.append(_sqlite_matches(match))
    if reading.code:
        variants = sorted({reading.code, reading.code.upper(), reading.code.lower()})
        found.append(
            select(entry.id, literal(CODE_SCORE, Float).label("score")).where(
                entry.code.in_(variants)
            )
        )
    if reading.code_prefix and reading.code:
        first, last = code_range(reading.code.lower())
        found.append(
            select(entry.id, literal(CODE_PREFIX_SCORE, Float).label("score")).where(
                func.lower(entry.code) >= first, func.lower(entry.code) < last
            )
        )
    if reading.agency:
        name = reading.agency
        agencies = select(Agency.id).where(
            or_(
                func.lower(Agency.code) == name,
                func.lower(Agency.short_name_nl) == name,
                func.lower(Agency.short_name_fr) == name,
                func.lower(Agency.short_name_en) == name,
            )
        )
        found.append(
            select(entry.id, literal(AGENCY_SCORE, Float).label("score")).where(
                entry.agency_id.in_(agencies)
            )
        )
    if reading.period:
        found.append(
            select(entry.id, literal(DAY_SCORE, Float).label("score")).where(
                entry.kind.in_(DATED_KINDS),
                entry.day >= reading.period.first,
                entry.day <= reading.period.last,
            )
        )
    return found


# --- the results ----------------------------------------------------------------------------


def _group_number() -> Any:
    """The group of a row, as its position among the groups (their order on the page)."""
    return case(
        *(
            (SearchEntry.kind.in_(kinds), position)
            for position, kinds in enumerate(GROUP_KINDS.values())
        ),
        else_=len(GROUP_KINDS),
    )


def _filters(filters: SearchFilters) -> list[ColumnElement[bool]]:
    entry = SearchEntry
    conditions: list[ColumnElement[bool]] = []
    if filters.group is not None:
        conditions.append(entry.kind.in_(GROUP_KINDS[filters.group]))
    if filters.forum_id is not None:
        conditions.append(entry.forum_id == filters.forum_id)
    if filters.year is not None:
        conditions.append(
            and_(entry.day >= date(filters.year, 1, 1), entry.day <= date(filters.year, 12, 31))
        )
    if filters.status:
        conditions.append(entry.status == filters.status)
    return conditions


def _results_query(
    user: Any, filters: SearchFilters, language: str, candidates: list[Select]
) -> Select:
    entry = SearchEntry
    matched = union_all(*candidates).subquery("matched")
    best = (
        select(matched.c.id, func.max(matched.c.score).label("score"))
        .group_by(matched.c.id)
        .subquery("best")
    )
    per_object = (
        select(
            entry.id,
            entry.kind,
            entry.object_id,
            entry.language,
            entry.forum_id,
            entry.meeting_id,
            entry.minutes_id,
            entry.measure_id,
            entry.code,
            entry.day,
            entry.status,
            entry.title,
            func.substr(entry.body, 1, OPENING_LENGTH).label("opening"),
            entry.context,
            _group_number().label("grp"),
            func.max(best.c.score).over(partition_by=(entry.kind, entry.object_id)).label("score"),
            func.row_number()
            .over(
                partition_by=(entry.kind, entry.object_id),
                # The reader's language if its row has a title (a missing translation of
                # the title shows another language's), then the best match.
                order_by=(
                    case(
                        (and_(entry.language == language, entry.title != ""), 0),
                        (entry.title != "", 1),
                        (entry.language == language, 2),
                        else_=3,
                    ),
                    best.c.score.desc(),
                    entry.id,
                ),
            )
            .label("choice"),
        )
        .join(best, best.c.id == entry.id)
        .where(visible_to(user), *_filters(filters))
        .subquery("per_object")
    )
    shown = per_object.c
    ranked = (
        select(
            *shown,
            func.row_number()
            .over(
                partition_by=shown.grp,
                order_by=(shown.score.desc(), shown.day.desc().nulls_last(), shown.id),
            )
            .label("position"),
            func.count().over(partition_by=shown.grp).label("total"),
        )
        .where(shown.choice == 1)
        .subquery("ranked")
    )
    row = ranked.c
    if filters.group is None:
        first, count = 0, PER_GROUP
    else:
        first, count = (min(filters.page, MAX_PAGE) - 1) * PER_PAGE, PER_PAGE
    return (
        select(*row, Forum.name_nl, Forum.name_fr, Forum.name_en)
        .outerjoin(Forum, Forum.id == row.forum_id)
        .where(row.position > first, row.position <= first + count)
        .order_by(row.grp, row.position)
    )


def _passages(reading: Reading, ids: list[int], dialect: str) -> dict[int, tuple[str, str]]:
    """The highlighted title and passage of each of the rows ``ids`` (those the engine finds
    the words in)."""
    if not ids:
        return {}
    if dialect == "postgresql":
        queries = _tsqueries(bindparam("search_text", reading.text))
        title_options = f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true"
        body_options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15, "
            'ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
        )

        def headline(column: Any, options: str) -> Any:
            # A row without a language is cut into words as Dutch: its query holds every
            # language's stems, the marks fall on the words Dutch stemming finds.
            return _per_language(
                queries,
                lambda language, query: func.ts_headline(
                    _configuration(language or "nl"), column, query, options
                ),
            )

        statement = select(
            SearchEntry.id,
            headline(SearchEntry.title, title_options),
            case(
                (SearchEntry.body == "", ""),
                else_=headline(SearchEntry.body, body_options),
            ),
        ).where(SearchEntry.id.in_(ids))
        return {row[0]: (row[1], row[2]) for row in db.session.execute(statement)}
    match = fts5_query(reading.text)
    if match is None:
        return {}
    snippets = text(
        "SELECT rowid, highlight(fts_search_entries, 0, :start, :end), "
        "snippet(fts_search_entries, 1, :start, :end, ' … ', 24) "
        "FROM fts_search_entries WHERE fts_search_entries MATCH :match AND rowid IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    parameters = {"start": MARK_START, "end": MARK_END, "match": match, "ids": ids}
    return {row[0]: (row[1], row[2]) for row in db.session.execute(snippets, parameters)}


#: Markdown's marks, which a passage shows as plain text: headings, quotes and list bullets
#: at the start of a line, emphasis around words, code quotes.
_MARKDOWN_MARKS = re.compile(
    r"(?m)^\s{0,3}(?:#{1,6}|>|[-*+]|\d+\.)\s+|\*\*|__|`+|(?<!\w)\*(?=\w)|(?<=\w)\*(?!\w)"
)


def marked(value: str | None) -> Markup:
    """A passage as HTML: its text escaped, the engine's marks of matched words as ``<mark>``.

    The marks are private-use characters that indexed text never holds; should an engine ever
    leave one unpaired, the marks are dropped rather than leave an element open.
    """
    plain = " ".join(_MARKDOWN_MARKS.sub(" ", value or "").split())
    if plain.count(MARK_START) != plain.count(MARK_END):
        plain = plain.replace(MARK_START, "").replace(MARK_END, "")
    escaped = str(escape(plain))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S704 (escaped above)


def _opening(value: str | None) -> str:
    plain = " ".join(_MARKDOWN_MARKS.sub(" ", value or "").split())
    if len(plain) < OPENING_LENGTH - 10:
        return plain
    return plain[: OPENING_LENGTH - 10].rsplit(" ", 1)[0] + " …"


def result_url(kind: SearchKind, row: Any) -> str:
    """Where a result is shown to its reader."""
    if kind is SearchKind.MEETING:
        return url_for("meetings.show", meeting_id=row.meeting_id)
    if kind is SearchKind.AGENDA_ITEM:
        return url_for("meetings.show", meeting_id=row.meeting_id, _anchor=f"item-{row.object_id}")
    if kind is SearchKind.DOCUMENT:
        return url_for("meetings.show", meeting_id=row.meeting_id, _anchor="documents")
    if kind is SearchKind.MINUTES:
        return url_for("minutes.show", minutes_id=row.minutes_id)
    if kind is SearchKind.DECISION:
        return url_for("minutes.show", minutes_id=row.minutes_id, _anchor="decisions-title")
    if kind is SearchKind.FOLLOW_UP:
        return url_for("minutes.show", minutes_id=row.minutes_id, _anchor="follow-ups-title")
    if kind is SearchKind.PROGRESS_REPORT:
        return url_for("measures.detail", measure_id=row.measure_id, _anchor="reports")
    return url_for("measures.detail", measure_id=row.measure_id)


def _forum_name(row: Any, language: str) -> str | None:
    if row.forum_id is None:
        return None
    return getattr(row, f"name_{language}", None) or row.name_en


def search(user: Any, filters: SearchFilters, language: str) -> SearchResults:
    """What ``user`` may find with ``filters``, grouped, each group's total exact (two
    statements; none for a text that can match nothing)."""
    reading = read(filters.text)
    dialect = db.session.get_bind().dialect.name
    candidates = _candidates(reading, dialect)
    if not candidates:
        return SearchResults(filters, [])
    rows = db.session.execute(_results_query(user, filters, language, candidates)).all()
    passages = _passages(reading, [row.id for row in rows], dialect)
    groups: dict[SearchGroup, Group] = {}
    for row in rows:
        kind = SearchKind(row.kind)
        group = GROUP_OF_KIND[kind]
        if group not in groups:
            groups[group] = Group(group, row.total)
        title, passage = passages.get(row.id, (row.title, _opening(row.opening)))
        groups[group].results.append(
            Result(
                kind=kind,
                object_id=row.object_id,
                language=row.language,
                url=result_url(kind, row),
                title=marked(title),
                passage=marked(passage),
                context=row.context,
                code=row.code,
                day=row.day,
                status=row.status,
                forum=_forum_name(row, language),
            )
        )
    ordered = [groups[group] for group in GROUP_KINDS if group in groups]
    return SearchResults(filters, ordered)
