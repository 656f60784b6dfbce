"""The migration of the search index: each engine's full text made and unmade, the index filled
from the data already there exactly as the writes and ``flask search reindex`` fill it."""

from __future__ import annotations

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
                {"fts_vector", "fts_search_entries"}
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

            rebuild_index()
            db.session.commit()
            assert snapshot() == kept_by_writes
            assert matches("mensenhandel") == found
            db.session.remove()
            db.engine.dispose()
