"""data versions: one random token per scope of the data, replaced by every write to it

Data: a token for each scope (calendar, plan, access), random so that no two databases share
one. Downgrade drops the table (the caches then answer nothing from memory).

Revision ID: 3c1d9a7e5f20
Revises: 568f50f62ebd
Create Date: 2026-11-28 20:00:00

"""

import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3c1d9a7e5f20"
down_revision = "568f50f62ebd"
branch_labels = None
depends_on = None

SCOPES = ("calendar", "plan", "access")


def upgrade():
    table = op.create_table(
        "data_versions",
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_data_versions")),
    )
    op.bulk_insert(table, [{"scope": scope, "token": secrets.token_hex(16)} for scope in SCOPES])


def downgrade():
    op.drop_table("data_versions")
