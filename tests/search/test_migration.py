"""The migration of the search index: each engine's full text made and unmade, the index filled
from the data already there exactly as the writes and ``flask search reindex`` fill it."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from coordination.db import db, is_engine_object
from coordination.search.index import rebuild_index
from coordination.search.models import SearchEntry
from tests.conftest import BACKENDS, ROOT, fresh_database, make_app

MIGRATIONS = str(ROOT / "migrations")
SEARCH_REVISION = "f5ab6079b263"
BEFORE = "3c1d9a7e5f20"


def snapshot() -> list[tuple]:
    columns = [column for column in SearchEntry.__table__.columns if column.name != "id"]
    return sorted(db.session.execute(sa.select(*columns)).all(), key=repr)


def engine_objects() -> set[str]:
    inspector = sa.inspect(db.engine)
    names = {name for name in inspector.get_table_names() if is_engine_object(name)}
    if "search_entries" in inspector.get_table_names():
        names |= {c["name"] for c in inspector.get_columns("search_entries")}
        names |= {index["name"] for index in inspector.get_indexes("search_entries")}
    return {name for name in names if is_engine_object(name)}


def matches(word: str) -> int:
    if db.engine.dialect.name == "postgresql":
        statement = sa.text(
            "SELECT count(*) FROM search_entries "
            "WHERE fts_vector @@ websearch_to_tsquery('fts_dutch', :word)"
        )
    else:
        statement = sa.text(
            "SELECT count(*) FROM fts_search_entries WHERE fts_search_entries MATCH :word"
        )
    return db.session.execute(statement, {"word": word}).scalar_one()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_index_is_filled_from_the_data_as_the_writes_fill_it(backend, tmp_path):
    from coordination.demo import load_demo_data

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            expected_objects = (
                {"fts_vector", "fts_search_entries", "fts_search_entries_code_lower"}
                if backend == "postgresql"
                else {"fts_search_entries", "fts_search_entries_data", "fts_search_entries_idx",
                      "fts_search_entries_docsize", "fts_search_entries_config"}
            )  # fmt: skip
            assert engine_objects() == expected_objects
            load_demo_data()
            db.session.commit()
            kept_by_writes = snapshot()
            found = matches("mensenhandel")
            assert kept_by_writes
            assert found
            db.session.remove()

            downgrade(directory=MIGRATIONS, revision=BEFORE)
            assert engine_objects() == set()
            upgrade(directory=MIGRATIONS, revision=SEARCH_REVISION)
            assert snapshot() == kept_by_writes
            assert matches("mensenhandel") == found

            upgrade(directory=MIGRATIONS)  # the models are those of the last revision
            assert snapshot() == kept_by_writes
            rebuild_index()
            db.session.commit()
            assert snapshot() == kept_by_writes
            assert matches("mensenhandel") == found
            db.session.remove()
            db.engine.dispose()


DOCUMENT_TEXTS_REVISION = "b7d41e0c9a52"


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_documents_wait_to_be_read_and_their_words_go_with_the_downgrade(backend, tmp_path):
    from coordination.meetings.services import store_document
    from coordination.search.extraction import read_waiting_documents
    from tests import factories
    from tests.search.files import pdf_with

    def document_rows() -> list[tuple[int, str]]:
        return sorted(
            db.session.execute(
                sa.text("SELECT object_id, body FROM search_entries WHERE kind = 'document'")
            ).all()
        )

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url, UPLOAD_DIR=str(tmp_path / "uploads"))
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            world = factories.world()
            meeting = factories.meeting(world["bureau"])
            store_document(meeting, stream=io.BytesIO(pdf_with("Tolken gezocht")),
                           filename="oproep-tolken.pdf", actor=None,
                           upload_dir=app.config["UPLOAD_DIR"], max_bytes=10**6)  # fmt: skip
            db.session.commit()
            named_only = document_rows()
            assert named_only == [(named_only[0][0], "oproep tolken")]

            read_waiting_documents()
            assert document_rows() == [(named_only[0][0], "oproep tolken\n\nTolken gezocht")]
            db.session.remove()

            downgrade(directory=MIGRATIONS, revision=SEARCH_REVISION)
            assert document_rows() == named_only
            # Coming back, the document waits to be read again (its words were dropped).
            upgrade(directory=MIGRATIONS, revision=DOCUMENT_TEXTS_REVISION)
            status = db.session.execute(sa.text("SELECT text_status FROM documents")).scalar()
            assert status == "waiting"
            assert read_waiting_documents() == 1
            assert document_rows() == [(named_only[0][0], "oproep tolken\n\nTolken gezocht")]
            db.session.remove()
            db.engine.dispose()
