"""documents: the words of their files, read in the background for search

Data: the documents already there wait to be read (the worker reads them, a few per run, or
``flask search read-documents`` at once); until then they are found by their names, as
before. Downgrade drops the words read, from the documents and from their search rows (which
keep the words of the names, as before).

Revision ID: b7d41e0c9a52
Revises: f5ab6079b263
Create Date: 2026-11-29 05:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b7d41e0c9a52"
down_revision = "f5ab6079b263"
branch_labels = None
depends_on = None

STATUSES = ("waiting", "extracted", "no_text", "failed")


def upgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "text_status",
                sa.Enum(
                    *STATUSES,
                    name="document_text_status",
                    native_enum=False,
                    create_constraint=True,
                    length=30,
                ),
                nullable=False,
                server_default="waiting",
            )
        )
        batch_op.add_column(sa.Column("extracted_text", sa.Text(), nullable=True))
        batch_op.create_index("ix_documents_text_status", ["text_status"], unique=False)


def downgrade():
    # A document's search row holds its name's words, then a blank line and the file's words.
    if op.get_bind().dialect.name == "postgresql":
        update = "UPDATE search_entries SET body = split_part(body, :blank, 1) "
    else:
        update = "UPDATE search_entries SET body = substr(body, 1, instr(body, :blank) - 1) "
    op.execute(
        sa.text(update + "WHERE kind = 'document' AND body LIKE :with_blank").bindparams(
            blank="\n\n", with_blank="%\n\n%"
        )
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_text_status")
        batch_op.drop_column("extracted_text")
        batch_op.drop_constraint("document_text_status", type_="check")
        batch_op.drop_column("text_status")
