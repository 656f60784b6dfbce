"""Demo accounts: one per role, and agency representatives for every visibility rule.

Who they are is in ``data/people.toml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from coordination.agencies.models import Agency
from coordination.agencies.services import get_agency_by_code
from coordination.auth import second_factor
from coordination.auth.models import SecondFactor
from coordination.auth.services import find_user_by_email
from coordination.core.time import utcnow
from coordination.db import db
from coordination.demo.content import read_content
from coordination.users.models import Role
from coordination.users.services import create_user

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

#: Shared by every demo account; printed by ``demo load`` in development only.
DEMO_PASSWORD = "demo-coordination-2026"  # noqa: S105 - public demo password by design
#: The demo secretariat's authenticator key (two-step sign-in is required for the
#: secretariat): public by design, like the password; printed by ``demo load``.
DEMO_SECOND_FACTOR_KEY = "DEMOCOORDINATIONTHBTWOTWOSIXAAAA"


class UserFields(TypedDict):
    """Who a demo account is, as ``create_user`` takes it."""

    email: str
    full_name: str
    role: Role
    agency: Agency | None
    locale: str


def _user_fields(account: dict[str, str]) -> UserFields:
    # The secretariat works for the coordination unit; its agency is informative only.
    agency = get_agency_by_code(account["agency"])
    return UserFields(
        email=account["email"], full_name=account["full_name"], role=Role(account["role"]),
        agency=agency, locale=account["locale"],
    )  # fmt: skip


def load_accounts(summary: DemoSummary) -> None:
    # Rows of data/people.toml: who each account is, and what `demo load` prints about it.
    accounts: list[dict[str, str]] = read_content("people")["accounts"]
    for account in accounts:
        summary.accounts.append((account["email"], account["description"]))
        if find_user_by_email(account["email"]) is not None:
            continue
        user = create_user(**_user_fields(account), password=DEMO_PASSWORD, actor=None)
        if second_factor.is_required(user):
            db.session.flush()
            db.session.add(
                SecondFactor(user_id=user.id, secret=DEMO_SECOND_FACTOR_KEY, confirmed_at=utcnow())
            )
        summary.count("accounts")
