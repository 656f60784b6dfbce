"""Migrations: from empty to head equals the models; down to base and up again work."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from coordination.db import db
from tests.conftest import BACKENDS, ROOT, fresh_database, make_app

MIGRATIONS = str(ROOT / "migrations")


def schema_differences(app) -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_downgrade_upgrade_matches_models(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            assert schema_differences(app) == []
            assert table_names() == {table.name for table in db.metadata.sorted_tables}

            downgrade(directory=MIGRATIONS, revision="base")
            assert table_names() == set()

            upgrade(directory=MIGRATIONS)
            assert schema_differences(app) == []
            db.engine.dispose()


def test_every_revision_has_a_docstring_and_a_real_downgrade():
    from pathlib import Path

    for path in sorted(Path(MIGRATIONS, "versions").glob("*.py")):
        source = path.read_text()
        assert source.startswith('"""'), path.name
        downgrade_body = source.split("def downgrade():", 1)[1]
        assert "pass" not in downgrade_body.split("\n", 2)[1], path.name


def row_counts(table_names: set[str]) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {
            name: connection.execute(sa.text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
            for name in sorted(table_names)
        }


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_keep_the_data_of_a_full_demo_database(backend, tmp_path):
    """Step down revision by revision and back up, with the demo data loaded.

    Tables that exist at the lower revision must hold exactly the same rows before the
    downgrade, after it, and after the upgrade back to head (SQLite rebuilds tables in batch
    mode: this is where data loss would show).
    """
    from alembic.script import ScriptDirectory

    from coordination.demo import load_demo_data

    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            config = app.extensions["migrate"].migrate.get_config(MIGRATIONS)
            revisions = [
                rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()
            ]
            # walk_revisions goes from head to base; keep the targets below head
            for target in [*revisions[1:], "base"]:
                load_demo_data()
                db.session.commit()
                db.session.remove()
                at_head = row_counts(table_names())
                downgrade(directory=MIGRATIONS, revision=target)
                kept_tables = table_names()
                expected = {name: at_head[name] for name in kept_tables}
                assert row_counts(kept_tables) == expected, f"data lost going down to {target}"
                upgrade(directory=MIGRATIONS)
                assert row_counts(kept_tables) == expected, f"data lost coming back from {target}"
                assert schema_differences(app) == []
            db.engine.dispose()
