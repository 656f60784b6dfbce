"""minutes: minutes, revisions, attendance, decisions, follow-up actions

One set of minutes per meeting (draft, approved, published; a version counter for optimistic
locking), every saved text as a numbered revision (published revisions are what readers see),
the attendance of the forum's agencies, the decisions, and the follow-up actions that appear on
the owner agency's home page until done. Check constraints keep the workflow's records
consistent (an approval date once approved, a publication date once published, a closing date
exactly when an action is done).

Revision ID: 80412f0865b7
Revises: 3d02163aaa30
Create Date: 2026-11-25 09:12:21.323496

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "80412f0865b7"
down_revision = "3d02163aaa30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "approved",
                "published",
                name="minutes_status",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status <> 'published' OR published_at IS NOT NULL", name=op.f("ck_minutes_publication")
        ),
        sa.CheckConstraint(
            "status = 'draft' OR approved_at IS NOT NULL", name=op.f("ck_minutes_approval_recorded")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["users.id"],
            name=op.f("fk_minutes_approved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_minutes_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_minutes_meeting_id_meetings"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_minutes_published_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_minutes_meeting_id")),
    )
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_minutes_status_published_at", ["status", "published_at"], unique=False
        )

    op.create_table(
        "follow_up_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_agency_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "done",
                name="follow_up_status",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(status = 'done') = (closed_at IS NOT NULL)",
            name=op.f("ck_follow_up_actions_closed_when_done"),
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
            name=op.f("fk_follow_up_actions_minutes_id_minutes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_agency_id"],
            ["agencies.id"],
            name=op.f("fk_follow_up_actions_owner_agency_id_agencies"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_actions")),
    )
    with op.batch_alter_table("follow_up_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_actions_minutes_id"), ["minutes_id"], unique=False
        )
        batch_op.create_index(
            "ix_follow_up_actions_owner_status", ["owner_agency_id", "status"], unique=False
        )

    op.create_table(
        "minutes_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column(
            "presence",
            sa.Enum(
                "present",
                "excused",
                "absent",
                name="presence",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_minutes_attendance_agency_id_agencies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
            name=op.f("fk_minutes_attendance_minutes_id_minutes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_attendance")),
        sa.UniqueConstraint(
            "minutes_id", "agency_id", name=op.f("uq_minutes_attendance_minutes_id_agency_id")
        ),
    )
    with op.batch_alter_table("minutes_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_attendance_agency_id"), ["agency_id"], unique=False
        )

    op.create_table(
        "minutes_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_minutes_decisions_agenda_item_id_agenda_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
            name=op.f("fk_minutes_decisions_minutes_id_minutes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_decisions")),
    )
    with op.batch_alter_table("minutes_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_decisions_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(
            "ix_minutes_decisions_minutes_position", ["minutes_id", "position"], unique=False
        )

    op.create_table(
        "minutes_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change_note", sa.String(length=500), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("number >= 1", name=op.f("ck_minutes_revisions_number_positive")),
        sa.CheckConstraint(
            "published = (published_at IS NOT NULL)",
            name=op.f("ck_minutes_revisions_published_at_set"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_minutes_revisions_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
            name=op.f("fk_minutes_revisions_minutes_id_minutes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_revisions")),
        sa.UniqueConstraint(
            "minutes_id", "number", name=op.f("uq_minutes_revisions_minutes_id_number")
        ),
    )


def downgrade():
    op.drop_table("minutes_revisions")
    with op.batch_alter_table("minutes_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_minutes_decisions_minutes_position")
        batch_op.drop_index(batch_op.f("ix_minutes_decisions_agenda_item_id"))

    op.drop_table("minutes_decisions")
    with op.batch_alter_table("minutes_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_attendance_agency_id"))

    op.drop_table("minutes_attendance")
    with op.batch_alter_table("follow_up_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_actions_owner_status")
        batch_op.drop_index(batch_op.f("ix_follow_up_actions_minutes_id"))

    op.drop_table("follow_up_actions")
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.drop_index("ix_minutes_status_published_at")

    op.drop_table("minutes")
