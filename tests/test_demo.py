"""Demo data: the real agencies, both forums, one account per role."""

from __future__ import annotations

import sqlalchemy as sa

from coordination.agencies.models import Agency, ForumMembership
from coordination.db import db
from coordination.demo import load_demo_data
from coordination.users.models import Role, User


def build_module_data() -> dict:
    """The demo data, loaded once for the module (each test rolls back its own changes)."""
    return {"summary": load_demo_data()}


def snapshot() -> dict[str, int]:
    """Row counts of every table: equal before and after a second load."""
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_demo_has_the_real_agencies_and_seats(module_data):
    codes = set(db.session.scalars(sa.select(Agency.code)))
    assert {"CU", "FEDPOL", "NSSO", "PAGASA", "MYRIA", "DEFENCE", "COLPG"} <= codes
    seats = {
        (m.agency.code, m.forum.code, m.role.value)
        for m in db.session.scalars(sa.select(ForumMembership))
    }
    assert ("NSSO", "bureau", "member") in seats
    assert not any(code == "NSSO" and forum == "platform" for code, forum, _ in seats)
    assert ("DEFENCE", "platform", "member") in seats
    assert ("MYRIA", "bureau", "observer") in seats


def test_demo_has_one_account_per_role_and_the_visibility_cases(module_data):
    users = list(db.session.scalars(sa.select(User)))
    assert {user.role for user in users} == set(Role)
    rep_agencies = {user.agency.code for user in users if user.role is Role.AGENCY_REP}
    assert {"FEDPOL", "NSSO", "PAGASA", "DEFENCE"} <= rep_agencies
