"""search: the index of everything a user may find (search_entries), with each engine's full text

PostgreSQL: the ``unaccent`` extension (created if missing; a trusted extension since
PostgreSQL 13, so the database's owner may create it), the text search configurations
``fts_dutch``, ``fts_french`` and ``fts_english`` (the language's stemmer after unaccent), a
generated column ``fts_vector`` (each row stemmed in its language, a row without one in all
three; titles weigh more than bodies) and its GIN index ``fts_search_entries``. SQLite: the
FTS5 table ``fts_search_entries`` on the rows (external content, ``unicode61 remove_diacritics
2``, ranked by ``bm25`` with titles weighing four times the bodies) and the triggers that
keep it in step with them. A later migration that rebuilds
``search_entries`` on SQLite (batch mode) must create the triggers again.

Data: the index is filled from the existing meetings, agenda items, documents, minutes,
decisions, follow-up actions, measures and progress reports, as the application writes it
(``coordination.search.index``; written out here, so that this revision keeps its meaning when
the application changes; ``flask search reindex`` writes it again with the code of the day).
Downgrade drops the index and the configurations; the ``unaccent`` extension stays (other
things may use it).

Revision ID: f5ab6079b263
Revises: 3c1d9a7e5f20
Create Date: 2026-11-29 02:05:30.990304

"""

import re
from datetime import UTC
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f5ab6079b263"
down_revision = "3c1d9a7e5f20"
branch_labels = None
depends_on = None

LANGUAGES = ("nl", "fr", "en")
FALLBACKS = {"nl": ("fr", "en"), "fr": ("nl", "en"), "en": ("nl", "fr")}
CONFIGURATIONS = {
    "nl": ("fts_dutch", "dutch"),
    "fr": ("fts_french", "french"),
    "en": ("fts_english", "english"),
}
BRUSSELS = ZoneInfo("Europe/Brussels")
MARKERS = str.maketrans("", "", "\ue000\ue001")
BATCH = 500


def upgrade():
    table = op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "meeting",
                "agenda_item",
                "minutes",
                "decision",
                "document",
                "measure",
                "progress_report",
                "follow_up",
                name="search_kind",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column(
            "audience",
            sa.Enum(
                "plan",
                "forum",
                "editors",
                name="audience",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("forum_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("minutes_id", sa.Integer(), nullable=True),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("context", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "language IS NULL OR language IN ('nl', 'fr', 'en')",
            name=op.f("ck_search_entries_language_known"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_search_entries_agency_id_agencies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forums.id"],
            name=op.f("fk_search_entries_forum_id_forums"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_search_entries_measure_id_measures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_search_entries_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
            name=op.f("fk_search_entries_minutes_id_minutes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
    )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_entries_agency_id"), ["agency_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_search_entries_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entries_day"), ["day"], unique=False)
        batch_op.create_index("ix_search_entries_kind_object", ["kind", "object_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_search_entries_measure_id"), ["measure_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_search_entries_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_search_entries_minutes_id"), ["minutes_id"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        _create_postgresql_full_text()
    else:
        _create_sqlite_full_text()
    _fill(table)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS fts_search_entries")
        op.execute("ALTER TABLE search_entries DROP COLUMN IF EXISTS fts_vector")
        for name, _language in CONFIGURATIONS.values():
            op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
    else:
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS fts_search_entries_{suffix}")
        op.execute("DROP TABLE IF EXISTS fts_search_entries")
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_entries_minutes_id"))
        batch_op.drop_index(batch_op.f("ix_search_entries_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_search_entries_measure_id"))
        batch_op.drop_index("ix_search_entries_kind_object")
        batch_op.drop_index(batch_op.f("ix_search_entries_day"))
        batch_op.drop_index(batch_op.f("ix_search_entries_code"))
        batch_op.drop_index(batch_op.f("ix_search_entries_agency_id"))
    op.drop_table("search_entries")


# --- each engine's full text ----------------------------------------------------------------


def _vector(configurations, column, weight):
    vectors = " || ".join(f"to_tsvector('{name}', {column})" for name in configurations)
    return f"setweight({vectors}, '{weight}')"


def _create_postgresql_full_text():
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name, language in CONFIGURATIONS.values():
        # A restore of an older backup leaves the configurations of the newer schema behind.
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{language})")
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {language}_stem"
        )
    every = [name for name, _language in CONFIGURATIONS.values()]
    cases = " ".join(
        f"WHEN '{language}' THEN {_vector([name], 'title', 'A')} || {_vector([name], 'body', 'B')}"
        for language, (name, _stemmer) in CONFIGURATIONS.items()
    )
    otherwise = f"{_vector(every, 'title', 'A')} || {_vector(every, 'body', 'B')}"
    op.execute(
        "ALTER TABLE search_entries ADD COLUMN fts_vector tsvector "
        f"GENERATED ALWAYS AS (CASE language {cases} ELSE {otherwise} END) STORED"
    )
    op.execute("CREATE INDEX fts_search_entries ON search_entries USING gin (fts_vector)")


def _create_sqlite_full_text():
    op.execute(
        "CREATE VIRTUAL TABLE fts_search_entries USING fts5(title, body, "
        "content='search_entries', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    # Its rank: bm25 with a title weighing four times the body (kept in the table's config).
    op.execute(
        "INSERT INTO fts_search_entries(fts_search_entries, rank) VALUES ('rank', 'bm25(4.0, 1.0)')"
    )
    op.execute(
        "CREATE TRIGGER fts_search_entries_insert AFTER INSERT ON search_entries BEGIN "
        "INSERT INTO fts_search_entries(rowid, title, body) VALUES (new.id, new.title, new.body); "
        "END"
    )
    op.execute(
        "CREATE TRIGGER fts_search_entries_delete AFTER DELETE ON search_entries BEGIN "
        "INSERT INTO fts_search_entries(fts_search_entries, rowid, title, body) "
        "VALUES ('delete', old.id, old.title, old.body); "
        "END"
    )
    op.execute(
        "CREATE TRIGGER fts_search_entries_update AFTER UPDATE ON search_entries BEGIN "
        "INSERT INTO fts_search_entries(fts_search_entries, rowid, title, body) "
        "VALUES ('delete', old.id, old.title, old.body); "
        "INSERT INTO fts_search_entries(rowid, title, body) VALUES (new.id, new.title, new.body); "
        "END"
    )


# --- the rows of the existing data (as coordination.search.index writes them) ---------------


def _table(name, *columns):
    return sa.table(name, *(sa.column(column, kind) for column, kind in columns))


def _texts(name):
    return [(f"{name}_{language}", sa.Text) for language in LANGUAGES]


MEETINGS = _table(
    "meetings",
    ("id", sa.Integer),
    ("forum_id", sa.Integer),
    ("local_date", sa.Date),
    ("status", sa.String),
    *_texts("title"),
)
AGENDA_ITEMS = _table(
    "agenda_items",
    ("id", sa.Integer),
    ("meeting_id", sa.Integer),
    ("presenting_agency_id", sa.Integer),
    *_texts("title"),
    *_texts("description"),
)
DOCUMENTS = _table(
    "documents", ("id", sa.Integer), ("meeting_id", sa.Integer), ("filename", sa.Text)
)
MINUTES = _table(
    "minutes",
    ("id", sa.Integer),
    ("meeting_id", sa.Integer),
    ("status", sa.String),
    *_texts("body"),
)
DECISIONS = _table(
    "minutes_decisions", ("id", sa.Integer), ("minutes_id", sa.Integer), *_texts("text")
)
FOLLOW_UPS = _table(
    "follow_up_actions",
    ("id", sa.Integer),
    ("minutes_id", sa.Integer),
    ("owner_agency_id", sa.Integer),
    ("status", sa.String),
    *_texts("description"),
)
MEASURES = _table(
    "measures",
    ("id", sa.Integer),
    ("code", sa.String),
    ("lead_agency_id", sa.Integer),
    ("deadline", sa.Date),
    ("created_at", sa.DateTime(timezone=True)),
    ("status", sa.String),
    *_texts("title"),
    *_texts("description"),
)
REPORTS = _table(
    "progress_reports",
    ("id", sa.Integer),
    ("measure_id", sa.Integer),
    ("agency_id", sa.Integer),
    ("text", sa.Text),
    ("reviewer_comment", sa.Text),
    ("submitted_at", sa.DateTime(timezone=True)),
    ("status", sa.String),
)


def _clean(value):
    return (value or "").translate(MARKERS).strip()


def _language_texts(row, name):
    return {language: row[f"{name}_{language}"] for language in LANGUAGES}


def _shown(texts, language):
    for candidate in (language, *FALLBACKS[language]):
        if texts.get(candidate):
            return texts[candidate]
    return ""


def _both_languages(texts):
    written = []
    for language in LANGUAGES:
        value = _clean(texts.get(language))
        if value and value not in written and (language != "en" or not written):
            written.append(value)
    return " / ".join(written)


def _filename_words(filename):
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return " ".join(re.split(r"[\W_]+", stem)).strip()


def _brussels_day(moment):
    if moment.tzinfo is None:  # SQLite keeps UTC without its zone
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BRUSSELS).date()


def _common(kind, object_id, audience, **values):
    row = dict.fromkeys(
        ("forum_id", "meeting_id", "minutes_id", "measure_id", "agency_id", "code", "day", "status")
    )
    row.update(kind=kind, object_id=object_id, audience=audience, **values)
    return row


def _by_language(common, title, body, context):
    rows = []
    for language in LANGUAGES:
        title_text, body_text = _clean(title.get(language)), _clean(body.get(language))
        if title_text or body_text:
            shown = _clean(_shown(context, language))
            rows.append(
                {
                    **common,
                    "language": language,
                    "title": title_text,
                    "body": body_text,
                    "context": shown or None,
                }
            )
    return rows


def _without_language(common, title, body, context):
    title, body = _clean(title), _clean(body)
    if not (title or body):
        return []
    return [{**common, "language": None, "title": title, "body": body, "context": context or None}]


def _rows(connection):
    meetings = {row.id: row._mapping for row in connection.execute(sa.select(MEETINGS))}

    def of_meeting(meeting_id, audience="forum", **values):
        meeting = meetings[meeting_id]
        return dict(
            audience=audience,
            forum_id=meeting["forum_id"],
            meeting_id=meeting_id,
            day=meeting["local_date"],
            **values,
        )

    for meeting in meetings.values():
        common = _common(
            "meeting", meeting["id"], **of_meeting(meeting["id"], status=meeting["status"])
        )
        yield from _by_language(common, _language_texts(meeting, "title"), {}, {})
    for item in connection.execute(sa.select(AGENDA_ITEMS).order_by(AGENDA_ITEMS.c.id)).mappings():
        common = _common(
            "agenda_item",
            item["id"],
            **of_meeting(item["meeting_id"], agency_id=item["presenting_agency_id"]),
        )
        context = _language_texts(meetings[item["meeting_id"]], "title")
        yield from _by_language(
            common, _language_texts(item, "title"), _language_texts(item, "description"), context
        )
    for document in connection.execute(sa.select(DOCUMENTS).order_by(DOCUMENTS.c.id)).mappings():
        common = _common("document", document["id"], **of_meeting(document["meeting_id"]))
        context = _both_languages(_language_texts(meetings[document["meeting_id"]], "title"))
        yield from _without_language(
            common, document["filename"], _filename_words(document["filename"]), context
        )

    minutes = {row.id: row._mapping for row in connection.execute(sa.select(MINUTES))}

    def of_minutes(minutes_id, **values):
        record = minutes[minutes_id]
        audience = "forum" if record["status"] == "published" else "editors"
        values.setdefault("status", record["status"])
        return of_meeting(record["meeting_id"], audience, minutes_id=minutes_id, **values)

    def meeting_title(minutes_id):
        return _language_texts(meetings[minutes[minutes_id]["meeting_id"]], "title")

    for record in minutes.values():
        common = _common("minutes", record["id"], **of_minutes(record["id"]))
        yield from _by_language(
            common, {}, _language_texts(record, "body"), meeting_title(record["id"])
        )
    for decision in connection.execute(sa.select(DECISIONS).order_by(DECISIONS.c.id)).mappings():
        common = _common("decision", decision["id"], **of_minutes(decision["minutes_id"]))
        yield from _by_language(
            common, {}, _language_texts(decision, "text"), meeting_title(decision["minutes_id"])
        )
    for action in connection.execute(sa.select(FOLLOW_UPS).order_by(FOLLOW_UPS.c.id)).mappings():
        values = of_minutes(
            action["minutes_id"], agency_id=action["owner_agency_id"], status=action["status"]
        )
        common = _common("follow_up", action["id"], **values)
        yield from _by_language(
            common, _language_texts(action, "description"), {}, meeting_title(action["minutes_id"])
        )

    measures = {row.id: row._mapping for row in connection.execute(sa.select(MEASURES))}
    for measure in measures.values():
        day = measure["deadline"] or _brussels_day(measure["created_at"])
        common = _common(
            "measure",
            measure["id"],
            "plan",
            measure_id=measure["id"],
            agency_id=measure["lead_agency_id"],
            code=measure["code"],
            day=day,
            status=measure["status"],
        )
        yield from _by_language(
            common, _language_texts(measure, "title"), _language_texts(measure, "description"), {}
        )
    for report in connection.execute(sa.select(REPORTS).order_by(REPORTS.c.id)).mappings():
        measure = measures[report["measure_id"]]
        common = _common(
            "progress_report",
            report["id"],
            "plan",
            measure_id=measure["id"],
            agency_id=report["agency_id"],
            code=measure["code"],
            day=_brussels_day(report["submitted_at"]),
            status=report["status"],
        )
        body = "\n\n".join(part for part in (report["text"], report["reviewer_comment"]) if part)
        context = f"{measure['code']} {_both_languages(_language_texts(measure, 'title'))}"
        yield from _without_language(common, "", body, context)


def _fill(table):
    if op.get_context().as_sql:
        return  # written as SQL, the rows cannot be read: `flask search reindex` fills it
    batch = []
    for row in _rows(op.get_bind()):
        batch.append(row)
        if len(batch) >= BATCH:
            op.bulk_insert(table, batch)
            batch = []
    if batch:
        op.bulk_insert(table, batch)
