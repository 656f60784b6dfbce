"""minutes: the attendance per person (name, agency, present / substitute / excused)

Data: nothing to move; the attendance per agency stays as recorded (an agency without people
recorded keeps the presence set by hand). Downgrade drops the names; the agencies' presences,
which followed them, stay.

Revision ID: 7e6f93998a31
Revises: 5b0e3c7d2a91
Create Date: 2026-11-28 12:16:53.375236

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7e6f93998a31"
down_revision = "5b0e3c7d2a91"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "minutes_attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "present",
                "substitute",
                "excused",
                name="attendee_role",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_minutes_attendees_agency_id_agencies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
            name=op.f("fk_minutes_attendees_minutes_id_minutes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_minutes_attendees_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_attendees")),
        sa.UniqueConstraint(
            "minutes_id",
            "agency_id",
            "name",
            name=op.f("uq_minutes_attendees_minutes_id_agency_id_name"),
        ),
    )
    with op.batch_alter_table("minutes_attendees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_attendees_agency_id"), ["agency_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_minutes_attendees_minutes_id"), ["minutes_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("minutes_attendees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_attendees_minutes_id"))
        batch_op.drop_index(batch_op.f("ix_minutes_attendees_agency_id"))

    op.drop_table("minutes_attendees")
