"""Property-based tests of the input parsers users reach: recurrence rules and file names."""

from __future__ import annotations

import unicodedata
from datetime import date, time

from hypothesis import given, settings
from hypothesis import strategies as st

from coordination.meetings.recurrence import RecurrenceError, occurrence_dates, parse_rule
from coordination.meetings.storage import MAX_DISPLAY_NAME, display_name, extension_of

RULE_PARTS = st.sampled_from(
    ["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTH", "BYMONTHDAY", "BYSETPOS",
     "BYHOUR", "WKST", "BYYEARDAY", "BYWEEKNO", "X-CUSTOM", "", "freq"]
)  # fmt: skip
RULE_VALUES = st.one_of(
    st.sampled_from(
        ["MONTHLY", "WEEKLY", "YEARLY", "DAILY", "HOURLY", "SECONDLY", "2TU", "-1FR", "MO,WE",
         "3,10", "0", "-5", "99999999999", "20261231", "20261231T000000Z", "1e9", "", "=", ";"]
    ),
    st.text(max_size=20),
)  # fmt: skip


@st.composite
def rule_like_text(draw) -> str:
    """Strings shaped like RRULEs (often valid, often subtly wrong), or arbitrary text."""
    parts = draw(st.lists(st.tuples(RULE_PARTS, RULE_VALUES), max_size=6))
    shaped = ";".join(f"{name}={value}" for name, value in parts)
    return draw(st.one_of(st.just(shaped), st.just("RRULE:" + shaped), st.text(max_size=80)))


@settings(max_examples=400, deadline=None)
@given(rule_like_text())
def test_any_rule_text_is_accepted_or_refused_with_a_message(text):
    """No input reaches dateutil in a form that makes it raise something else (a 500)."""
    refusal: RecurrenceError | None = None
    try:
        rule = parse_rule(text)
    except RecurrenceError as refused:
        refusal = refused
    if refusal is not None:
        assert str(refusal.message)  # a sentence for the user, not an empty error
        return
    dates = occurrence_dates(
        rule, starts_on=date(2026, 1, 1), start_time=time(10), first=date(2026, 1, 1),
        last=date(2027, 12, 31),
    )  # fmt: skip
    assert all(date(2026, 1, 1) <= day <= date(2027, 12, 31) for day in dates)


FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(max_size=400),
        st.builds(
            lambda a, b, c: f"{a}/{b}\\{c}",
            st.text(max_size=30), st.text(max_size=30), st.text(max_size=30),
        ),
        st.sampled_from(
            ["../../etc/passwd", "..\\..\\boot.ini", "\x00.pdf", "report.pdf\u202egpj.exe"]
        ),
    )
)  # fmt: skip
def test_stored_file_names_are_harmless(raw):
    name = display_name(raw)
    assert "/" not in name
    assert "\\" not in name
    assert '"' not in name
    assert not name.startswith(".")
    assert len(name) <= MAX_DISPLAY_NAME
    assert not any(unicodedata.category(ch) in FORBIDDEN_CATEGORIES for ch in name)
    extension = extension_of(name)
    assert extension == extension.lower()
    assert "/" not in extension
    assert "." not in extension
