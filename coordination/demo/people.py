"""Demo accounts: one per role, and agency representatives for every visibility rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coordination.agencies.services import get_agency_by_code
from coordination.auth import second_factor
from coordination.auth.models import SecondFactor
from coordination.auth.services import find_user_by_email
from coordination.core.time import utcnow
from coordination.db import db
from coordination.users.models import Role
from coordination.users.services import create_user

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

#: Shared by every demo account; printed by ``demo load`` in development only.
DEMO_PASSWORD = "demo-coordination-2026"  # noqa: S105 - public demo password by design
#: The demo secretariat's authenticator key (two-step sign-in is required for the
#: secretariat): public by design, like the password; printed by ``demo load``.
DEMO_SECOND_FACTOR_KEY = "DEMOCOORDINATIONTHBTWOTWOSIXAAAA"

# e-mail, name, role, agency code, language, description
ACCOUNTS = [
    ("secretariat@demo.coordination.be", "Sofie Claes", Role.SECRETARIAT, "CU", "nl",
     "secretariat (coordination unit)"),
    ("minister@demo.coordination.be", "Laurent Dubois", Role.MINISTER, "JUSTICE", "fr",
     "minister's cabinet (Justice)"),
    ("rapporteur@demo.coordination.be", "Ines Peeters", Role.RAPPORTEUR, "MYRIA", "nl",
     "independent rapporteur (Myria)"),
    ("fedpol@demo.coordination.be", "Marc Janssens", Role.AGENCY_REP, "FEDPOL", "nl",
     "agency rep, Federal Police (both forums)"),
    ("nsso@demo.coordination.be", "Nathalie Lambert", Role.AGENCY_REP, "NSSO", "fr",
     "agency rep, NSSO ECOSOC teams (bureau only)"),
    ("pagasa@demo.coordination.be", "Elena Moreau", Role.AGENCY_REP, "PAGASA", "fr",
     "agency rep, Pag-asa (NGO, both forums)"),
    ("defence@demo.coordination.be", "Pieter Wouters", Role.AGENCY_REP, "DEFENCE", "en",
     "agency rep, Defence (platform only)"),
    ("immigration@demo.coordination.be", "Karim El Amrani", Role.AGENCY_REP, "IMMIGRATION", "fr",
     "agency rep, Immigration Office (both forums)"),
    ("prosecutors@demo.coordination.be", "An Verhoeven", Role.AGENCY_REP, "COLPG", "nl",
     "agency rep, College of Prosecutors-General"),
]  # fmt: skip


def load_accounts(summary: DemoSummary) -> None:
    for email, name, role, agency_code, locale, description in ACCOUNTS:
        summary.accounts.append((email, description))
        if find_user_by_email(email) is not None:
            continue
        # The secretariat works for the coordination unit; its agency is informative only.
        agency = get_agency_by_code(agency_code)
        user = create_user(
            email=email,
            full_name=name,
            role=role,
            agency=agency,
            locale=locale,
            password=DEMO_PASSWORD,
            actor=None,
        )
        if second_factor.is_required(user):
            db.session.flush()
            db.session.add(
                SecondFactor(user_id=user.id, secret=DEMO_SECOND_FACTOR_KEY, confirmed_at=utcnow())
            )
        summary.count("accounts")
