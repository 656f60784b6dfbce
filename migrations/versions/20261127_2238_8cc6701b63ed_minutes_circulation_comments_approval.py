"""minutes: circulated to the members for comments, approved at a meeting or in writing

A new status, ``circulated`` (draft -> circulated -> approved -> published), with the date the
members comment until; the members' comments per section, resolved by the secretariat; the
meeting that approved the minutes (none for a written procedure) and the standing agenda item
of the next meeting that approves them.

Data: existing minutes keep their status and approval (recorded before circulation existed:
no meeting, no comments). Downgrade drops the comments and sends circulated minutes back to
draft (their approval fields are empty), so that the old status check holds.

Revision ID: 8cc6701b63ed
Revises: 2b83146dee30
Create Date: 2026-11-27 22:38:34.312046

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "8cc6701b63ed"
down_revision = "2b83146dee30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "minutes_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            "resolved_at IS NOT NULL OR resolution IS NULL",
            name=op.f("ck_minutes_comments_resolution"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_minutes_comments_agency_id_agencies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_minutes_comments_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
            name=op.f("fk_minutes_comments_minutes_id_minutes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["users.id"],
            name=op.f("fk_minutes_comments_resolved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_comments")),
    )
    with op.batch_alter_table("minutes_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_comments_minutes_id"), ["minutes_id"], unique=False
        )

    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("circulated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("comments_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("approval_item_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approved_at_meeting_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_minutes_approved_at_meeting_id_meetings"),
            "meetings",
            ["approved_at_meeting_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_minutes_approval_item_id_agenda_items"),
            "agenda_items",
            ["approval_item_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint(op.f("ck_minutes_minutes_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_minutes_minutes_status"),
            "status IN ('draft', 'circulated', 'approved', 'published')",
        )
        batch_op.drop_constraint(op.f("ck_minutes_approval_recorded"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_minutes_approval_recorded"),
            "status IN ('draft', 'circulated') OR approved_at IS NOT NULL",
        )
        batch_op.create_check_constraint(
            op.f("ck_minutes_comments_deadline"),
            "status <> 'circulated' OR comments_until IS NOT NULL",
        )


def downgrade():
    op.execute("UPDATE minutes SET status = 'draft' WHERE status = 'circulated'")
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_minutes_comments_deadline"), type_="check")
        batch_op.drop_constraint(op.f("ck_minutes_approval_recorded"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_minutes_approval_recorded"), "status = 'draft' OR approved_at IS NOT NULL"
        )
        batch_op.drop_constraint(op.f("ck_minutes_minutes_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_minutes_minutes_status"), "status IN ('draft', 'approved', 'published')"
        )
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_minutes_approval_item_id_agenda_items"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_minutes_approved_at_meeting_id_meetings"), type_="foreignkey"
        )
        batch_op.drop_column("approved_at_meeting_id")
        batch_op.drop_column("approval_item_id")
        batch_op.drop_column("comments_until")
        batch_op.drop_column("circulated_at")

    with op.batch_alter_table("minutes_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_comments_minutes_id"))

    op.drop_table("minutes_comments")
