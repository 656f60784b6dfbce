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


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_meeting_texts_are_joined_going_down_and_split_by_language_coming_back(backend, tmp_path):
    """Before content had languages, a title was written "Dutch / French" and a description
    in one language: the downgrade gives those single texts, the upgrade finds the languages
    in them again."""
    from coordination.core.texts import Texts
    from coordination.meetings.models import AgendaItem, Meeting
    from tests import factories

    single_texts = "0c1a5e0b0a14"  # the revision before content languages
    title = Texts(nl="Bureau — maandelijkse vergadering", fr="Bureau — réunion mensuelle")
    description = Texts(
        fr="Les inspections sociales présentent les résultats de l'année écoulée et les "
        "contrôles prévus dans les secteurs à risque."
    )
    with fresh_database(backend, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            meeting = factories.meeting(factories.forum(), title=title)
            factories.agenda_item(meeting, "ECOSOC", description=description)
            db.session.commit()
            db.session.remove()

            downgrade(directory=MIGRATIONS, revision=single_texts)
            with db.engine.connect() as connection:
                assert connection.execute(sa.text("SELECT title FROM meetings")).scalar_one() == (
                    "Bureau — maandelijkse vergadering / Bureau — réunion mensuelle"
                )
                assert (
                    connection.execute(sa.text("SELECT description FROM agenda_items")).scalar_one()
                    == description.fr
                )

            upgrade(directory=MIGRATIONS)
            assert db.session.scalars(sa.select(Meeting)).one().title == title
            assert db.session.scalars(sa.select(AgendaItem)).one().description == description
            db.session.remove()
            db.engine.dispose()
