"""The command line: good input works, bad input is one line on stderr and exit code 2."""

from __future__ import annotations

import pytest

from coordination.db import db
from coordination.users.models import Role, User
from tests import factories


@pytest.fixture
def agency(app):
    obj = factories.agency("FEDPOL")
    db.session.commit()
    return obj


def invoke(runner, args, stdin=None):
    return runner.invoke(args=args, input=stdin)


def test_users_create_reads_the_password_from_stdin(runner, agency):
    result = invoke(
        runner,
        ["users", "create", "--email", "New@Example.org", "--name", "New Person",
         "--role", "agency_rep", "--agency", "fedpol", "--password-stdin"],
        stdin="a long enough passphrase\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(email="new@example.org"))
    assert user.role is Role.AGENCY_REP
    assert user.agency.code == "FEDPOL"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "create", "--email", "a@b.org", "--name", "A", "--role", "king",
          "--password-stdin"], "a long enough passphrase\n", "'king' is not one of"),
        (["users", "create", "--email", "a@b.org", "--name", "A", "--role", "agency_rep",
          "--agency", "NOPE", "--password-stdin"], "a long enough passphrase\n",
         "no agency with short code"),
        (["users", "create", "--email", "a@b.org", "--name", "A", "--role", "agency_rep",
          "--password-stdin"], "a long enough passphrase\n", "belongs to an agency"),
        (["users", "create", "--email", "a@b.org", "--name", "A", "--role", "secretariat",
          "--password-stdin"], "short\n", "at least 12 characters"),
        (["users", "create", "--name", "A", "--role", "secretariat", "--password-stdin"],
         "", "Missing option '--email'"),
        (["users", "deactivate", "ghost@example.org"], None, "no account with e-mail"),
        (["users", "frobnicate"], None, "No such command"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_code_2(runner, agency, args, stdin, message):
    result = runner.invoke(args=args, input=stdin)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_duplicate_email_is_refused(runner, agency):
    factories.user(email="taken@example.org", agency_=agency)
    db.session.commit()
    result = invoke(
        runner,
        ["users", "create", "--email", "TAKEN@example.org", "--name", "X",
         "--role", "agency_rep", "--agency", "FEDPOL", "--password-stdin"],
        stdin="a long enough passphrase\n",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "already exists" in result.output


def test_users_deactivate(runner, agency):
    user = factories.user(email="leaving@example.org", agency_=agency)
    db.session.commit()
    result = invoke(runner, ["users", "deactivate", "Leaving@example.org"])
    assert result.exit_code == 0
    db.session.refresh(user)
    assert user.active is False


def test_demo_load_is_idempotent(runner, app):
    from tests.test_demo import snapshot

    first = invoke(runner, ["demo", "load"])
    assert first.exit_code == 0, first.output
    before = snapshot()
    second = invoke(runner, ["demo", "load"])
    assert second.exit_code == 0, second.output
    assert "nothing to do" in second.output
    assert snapshot() == before


def test_demo_load_refused_in_production(database_url, app):
    from tests.conftest import make_app

    production = make_app(database_url, DEMO_ALLOWED=False, ENV_NAME="production")
    with production.app_context():
        result = production.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 2
    assert "not allowed" in result.output
