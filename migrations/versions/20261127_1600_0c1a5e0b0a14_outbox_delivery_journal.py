"""outbox: delivery journal (sending state, last attempt, why a message failed)

A message becomes "sending", committed, just before it is handed to the mail server (the DATA
command): from then on it may have arrived, and an interrupted attempt is not resent.
``last_attempt_at`` says when the latest attempt started (it identifies that attempt, and how
long a message has been "sending"), and ``failure`` says why a failed message failed: refused
for good by the server (``rejected``), out of attempts (``gave_up``) or interrupted after the
hand-over (``uncertain``).

Data: failed messages were all out of attempts (``gave_up``), their last attempt taken as
their last due time; sent messages had their last attempt when they were sent. Downgrade puts
messages being sent back to "pending" (the old worker sends them again: at least once, as it
always did) and drops the new columns, keeping every row.

Revision ID: 0c1a5e0b0a14
Revises: d6f3ac19b655
Create Date: 2026-11-27 16:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0c1a5e0b0a14"
down_revision = "d6f3ac19b655"
branch_labels = None
depends_on = None

OLD_STATUSES = ("pending", "sent", "failed")
NEW_STATUSES = ("pending", "sending", "sent", "failed")


def status_check(statuses):
    return "status IN ({})".format(", ".join(f"'{status}'" for status in statuses))


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                "failure",
                sa.Enum(
                    "rejected",
                    "gave_up",
                    "uncertain",
                    name="outbox_failure",
                    native_enum=False,
                    create_constraint=True,
                    length=30,
                ),
                nullable=True,
            )
        )
        batch_op.drop_constraint(op.f("ck_outbox_messages_outbox_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_outbox_messages_outbox_status"), status_check(NEW_STATUSES)
        )

    op.execute(
        "UPDATE outbox_messages SET failure = 'gave_up', last_attempt_at = next_attempt_at "
        "WHERE status = 'failed'"
    )
    op.execute("UPDATE outbox_messages SET last_attempt_at = sent_at WHERE status = 'sent'")

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_outbox_messages_failure_when_failed"),
            "(status = 'failed') = (failure IS NOT NULL)",
        )
        batch_op.create_check_constraint(
            op.f("ck_outbox_messages_sending_has_started"),
            "status <> 'sending' OR last_attempt_at IS NOT NULL",
        )


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_messages_sending_has_started"), type_="check")
        batch_op.drop_constraint(op.f("ck_outbox_messages_failure_when_failed"), type_="check")

    op.execute("UPDATE outbox_messages SET status = 'pending' WHERE status = 'sending'")

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_messages_outbox_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_outbox_messages_outbox_status"), status_check(OLD_STATUSES)
        )
        batch_op.drop_constraint(op.f("ck_outbox_messages_outbox_failure"), type_="check")
        batch_op.drop_column("failure")
        batch_op.drop_column("last_attempt_at")
