"""agencies: short names in Dutch and French (English optional)

Readers know an agency by its official short name in their language (DVZ / OE, RSZ / ONSS),
not by the English code the platform identifies it with (IMMIGRATION, NSSO): three nullable
columns ``short_name_nl``, ``short_name_fr``, ``short_name_en``. The code stays the stable
identifier of URLs, the command line and exports.

Data: the agencies of the coordination whose codes are known (those of the demo data, which
mirror the real actors) get their official short names from ``SHORT_NAMES`` below; every other
agency gets its code in the three languages, so that no page shows an agency without a name
until the secretariat writes the real ones. Both steps are plain ``UPDATE`` statements: the
same with ``--sql``. Downgrade drops the columns (the code was all there was before).

Revision ID: 3f8a2c6d9e11
Revises: 5b7e2c9d4f10
Create Date: 2026-11-27 18:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3f8a2c6d9e11"
down_revision = "5b7e2c9d4f10"
branch_labels = None
depends_on = None

LANGUAGES = ("nl", "fr", "en")
LENGTH = 40

#: code: (Dutch, French, English). Written here, not imported from the demo data: a migration
#: must give the same result whatever the application's code later becomes.
SHORT_NAMES = {
    "CU": ("Coördinatiecel", "Cellule de coordination", "Coordination unit"),
    "JUSTICE": ("Kabinet Justitie", "Cabinet Justice", "Justice cabinet"),
    "INTERIOR": ("Kabinet Binnenlandse Zaken", "Cabinet Intérieur", "Interior cabinet"),
    "EMPLOYMENT": ("Kabinet Werk", "Cabinet Emploi", "Employment cabinet"),
    # The federal police writes "FedPol" in both languages; FGP / PJF is only its judicial
    # directorate.
    "FEDPOL": ("FedPol", "FedPol", "FedPol"),
    "IMMIGRATION": ("DVZ", "OE", "Immigration Office"),
    "NSSO": ("RSZ", "ONSS", "NSSO"),
    "SOCINSP": ("TSW", "CLS", "Control of Social Laws"),
    "COLPG": (
        "College van procureurs-generaal",
        "Collège des procureurs généraux",
        "College of Prosecutors-General",
    ),
    # Proper names, the same in every language.
    "PAYOKE": ("Payoke", "Payoke", "Payoke"),
    "SURYA": ("Sürya", "Sürya", "Sürya"),
    "PAGASA": ("PAG-ASA", "PAG-ASA", "PAG-ASA"),
    "MYRIA": ("Myria", "Myria", "Myria"),
    "DEFENCE": ("Defensie", "Défense", "Defence"),
}

COLUMNS = tuple(f"short_name_{language}" for language in LANGUAGES)

agencies = sa.table(
    "agencies", sa.column("code", sa.String), *(sa.column(name, sa.String) for name in COLUMNS)
)


def upgrade():
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=LENGTH), nullable=True))
    for code, names in SHORT_NAMES.items():
        op.execute(
            agencies.update()
            .where(agencies.c.code == code)
            .values(dict(zip(COLUMNS, names, strict=True)))
        )
    op.execute(
        agencies.update()
        .where(*(agencies.c[name].is_(None) for name in COLUMNS))
        .values(dict.fromkeys(COLUMNS, agencies.c.code))
    )


def downgrade():
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
