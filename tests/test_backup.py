"""Backup and restore: a restore into an empty database gives back every row of every table."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coordination.db import db
from coordination.demo import load_demo_data
from tests.conftest import BACKENDS, fresh_database, make_app


def dump_tables(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of every table, ordered, as plain tuples."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    content = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(sa.select(table).order_by(*order)).all()
            content[table.name] = [tuple(row) for row in rows]
    return content


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_backup_then_restore_into_an_empty_database(backend, tmp_path):
    from tests.conftest import upgrade_to_head

    with fresh_database(backend, tmp_path) as source_url:
        source = make_app(source_url)
        upgrade_to_head(source)
        with source.app_context():
            load_demo_data()
            db.session.commit()
            expected = dump_tables(db.engine)
            result = source.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.dump")])
            assert result.exit_code == 0, result.output
            db.engine.dispose()

        with fresh_database(backend, tmp_path) as target_url:
            target = make_app(target_url)
            with target.app_context():
                result = target.test_cli_runner().invoke(
                    args=["restore", "--yes", str(tmp_path / "b.dump")]
                )
                assert result.exit_code == 0, result.output
                restored = dump_tables(db.engine)
                db.engine.dispose()

    assert set(restored) == set(expected)
    assert sum(len(rows) for rows in expected.values()) > 0
    for table, rows in expected.items():
        assert restored[table] == rows, table


@pytest.mark.commits  # restore lets go of every pooled connection, the tests' own included
def test_restore_of_a_missing_file_is_one_line_and_exit_code_2(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output.strip().startswith("Error: no backup file")
    assert len(result.output.strip().splitlines()) == 1


def test_backup_without_a_path_is_one_line_and_exit_code_2(app):
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
