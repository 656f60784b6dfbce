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
