"""agencies: which agencies fall under the authority of another (a minister's departments)

Data: none to move; no agency oversees another until the secretariat says so. Downgrade drops
the list.

Revision ID: 568f50f62ebd
Revises: 66196313b8be
Create Date: 2026-11-28 13:36:32.030955

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "568f50f62ebd"
down_revision = "66196313b8be"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "agency_oversight",
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_agency_oversight_agency_id_agencies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["agencies.id"],
            name=op.f("fk_agency_oversight_authority_id_agencies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("authority_id", "agency_id", name=op.f("pk_agency_oversight")),
    )


def downgrade():
    op.drop_table("agency_oversight")
