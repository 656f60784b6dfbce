"""``flask db downgrade`` says which tables it drops, with their rows, and asks first."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coordination.core.migrations_cli import describe_downgrade
from coordination.core.schema_history import Downgrade
from coordination.db import db, is_engine_object
from coordination.demo import load_demo_data
from tests.conftest import BACKENDS, fresh_database, make_app, upgrade_to_head

#: The revision below the minutes: going down to it drops the minutes tables, which the demo
#: data fills (and every table added after them).
BELOW_THE_MINUTES = "3d02163aaa30"


def table_rows() -> dict[str, int]:
    """Rows of the application's tables (SQLite's full-text tables go with search_entries)."""
    names = [name for name in sa.inspect(db.engine).get_table_names() if not is_engine_object(name)]
    with db.engine.connect() as connection:
        return {
            name: connection.execute(
                sa.select(sa.func.count()).select_from(sa.table(name))
            ).scalar_one()
            for name in names
        }


def named_tables(output: str) -> dict[str, int]:
    """The tables and row counts of the "drops: a (3 rows), b (1 row)." line."""
    line = next(line for line in output.splitlines() if " drops: " in line)
    return {name: int(count) for name, count in re.findall(r"(\w+) \((\d+) rows?\)", line)}


def current_revision() -> str:
    with db.engine.connect() as connection:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_downgrade_names_what_it_drops_and_changes_nothing_unless_confirmed(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        upgrade_to_head(app)
        runner = app.test_cli_runner()
        with app.app_context():
            load_demo_data()
            db.session.commit()
            db.session.remove()
            head = current_revision()
            before = table_rows()

            for answer in (None, "n\n", "\n"):
                result = runner.invoke(args=["db", "downgrade", BELOW_THE_MINUTES], input=answer)
                assert result.exit_code == 1, result.output
                assert "Continue? [y/N]" in result.output
                assert current_revision() == head
                assert table_rows() == before
            announced = named_tables(result.output)
            assert f"Downgrading from {head} to {BELOW_THE_MINUTES} drops: " in result.output
            assert announced["minutes"] == before["minutes"] > 0

            result = runner.invoke(args=["db", "downgrade", BELOW_THE_MINUTES], input="y\n")
            assert result.exit_code == 0, result.output
            assert current_revision() == BELOW_THE_MINUTES
            after = table_rows()
            dropped = set(before) - set(after)
            assert announced == {name: before[name] for name in dropped}
            db.engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_downgrade_with_yes_does_not_ask(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        upgrade_to_head(app)
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["db", "downgrade", "--yes", "base"])
            assert result.exit_code == 0, result.output
            assert "Continue?" not in result.output
            assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
            db.engine.dispose()


@pytest.mark.commits
def test_downgrade_to_an_unknown_revision_is_one_line_and_exit_code_2(app):
    head = current_revision()
    result = app.test_cli_runner().invoke(args=["db", "downgrade", "feedfacecafe"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: cannot downgrade from ")
    assert "feedfacecafe" in lines[0]
    assert current_revision() == head


@pytest.mark.commits
def test_downgrade_as_sql_does_not_ask(app, backend):
    if backend != "postgresql":
        pytest.skip("Alembic cannot write SQLite's batch migrations as SQL")
    head = current_revision()
    result = app.test_cli_runner().invoke(args=["db", "downgrade", "--sql"])
    assert result.exit_code == 0, result.output
    assert "Continue?" not in result.output
    assert "UPDATE alembic_version" in result.output
    assert current_revision() == head


def test_the_message_counts_rows_and_speaks_of_columns_when_no_table_goes():
    dropping = Downgrade("b2", "a1", ("minutes", "minutes_revisions", "known_devices"))
    assert describe_downgrade(dropping, {"minutes": 12, "minutes_revisions": 1}) == (
        "Downgrading from b2 to a1 drops: minutes (12 rows), minutes_revisions (1 row), "
        "known_devices."
    )
    assert describe_downgrade(Downgrade("b2", None, ()), {}) == (
        "Downgrading from b2 to base drops no table "
        "(columns added since may still be dropped, with their data)."
    )
