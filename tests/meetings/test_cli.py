"""``flask --app coordination meetings extend``: good input works, bad input is one line."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from coordination.db import db
from coordination.meetings.models import Meeting, MeetingSeries


def count() -> int:
    return db.session.scalar(select(func.count(Meeting.id)))


def test_extend_moves_the_horizon_idempotently(runner, make_series):
    series = make_series()  # 17 meetings up to 1 June 2027
    before = count()
    first = runner.invoke(args=["meetings", "extend", "--today", "2026-12-01"])
    assert first.exit_code == 0, first.output
    assert "1 series, 6 meetings created (horizon 2027-12-01)" in first.output
    assert count() == before + 6
    second = runner.invoke(args=["meetings", "extend", "--today", "2026-12-01"])
    assert second.exit_code == 0
    assert "0 meetings created" in second.output
    assert count() == before + 6
    db.session.expire_all()
    assert db.session.get(MeetingSeries, series.id).materialised_until == date(2027, 12, 1)


def test_extend_with_a_longer_horizon(runner, make_series):
    make_series()
    result = runner.invoke(args=["meetings", "extend", "--today", "2026-06-01", "--months", "24"])
    assert result.exit_code == 0, result.output
    assert "12 meetings created (horizon 2028-06-01)" in result.output


def test_extend_without_arguments_uses_today(runner, app):
    result = runner.invoke(args=["meetings", "extend"])
    assert result.exit_code == 0, result.output
    assert "0 series, 0 meetings created" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--months", "0"], "0 is not in the range 1<=x<=60"),
        (["--months", "abc"], "'abc' is not a valid integer"),
        (["--months", "61"], "61 is not in the range"),
        (["--today", "25/11/2026"], "does not match the format"),
        (["--today", "2026-02-30"], "does not match the format"),
        (["--frobnicate"], "No such option"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(runner, app, args, message):
    result = runner.invoke(args=["meetings", "extend", *args])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_unknown_meetings_command(runner, app):
    result = runner.invoke(args=["meetings", "shrink"])
    assert result.exit_code == 2
    assert "No such command" in result.output
