"""search: on PostgreSQL, an index of the rows' lower-case codes (a measure's code as typed,
"6.8", finds 6.8a and 6.80 without reading the whole index)

Data: none changes; the index is built from the rows there. SQLite gets none (see
``coordination.search.models``).

Revision ID: c3e8a1f2d476
Revises: b7d41e0c9a52
Create Date: 2026-11-29 06:00:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "c3e8a1f2d476"
down_revision = "b7d41e0c9a52"
branch_labels = None
depends_on = None

INDEX = "fts_search_entries_code_lower"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {INDEX} ON search_entries (lower(code))")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX {INDEX}")
