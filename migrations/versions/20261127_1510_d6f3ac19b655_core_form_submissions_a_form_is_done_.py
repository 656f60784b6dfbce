"""core: form submissions (a form is done once)

``form_submissions`` records each form submission for a day (the SHA-256 of who sent what to
which address, and where it led), so that the same submission arriving twice within a minute
(a double click, a resend) gets the first one's answer instead of creating a second item.

Downgrade drops the table: only this record of recent submissions is lost.

Revision ID: d6f3ac19b655
Revises: 6bdc142143a1
Create Date: 2026-11-27 15:10:51.822371

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d6f3ac19b655"
down_revision = "6bdc142143a1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_submissions",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redirect_to", sa.String(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_form_submissions")),
    )
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_submissions_created_at"), ["created_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_submissions_created_at"))

    op.drop_table("form_submissions")
