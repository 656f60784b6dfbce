"""Reading a search text: days as people type them, codes, short names; SQLite's query built
so that no typed text is FTS5 syntax."""

from __future__ import annotations

from datetime import date

import pytest

from coordination.search.parsing import Period, fts5_query, parse_period, read

MARCH_12 = Period(date(2025, 3, 12), date(2025, 3, 12))


@pytest.mark.parametrize(
    "text",
    ["12/03/2025", "12.03.2025", "12-03-2025", "12/3/2025", "12/03/25", "2025-03-12",
     "12 maart 2025", "12 mrt 2025", "12 mars 2025", "12 March 2025", "March 12, 2025",
     "12 Mar. 2025", "12 MAART 2025", "  12  maart   2025 "],
)  # fmt: skip
def test_a_day_as_people_type_it(text):
    assert parse_period(text) == MARCH_12


def test_a_month_and_the_first_of_a_month():
    assert parse_period("maart 2025") == Period(date(2025, 3, 1), date(2025, 3, 31))
    assert parse_period("février 2024") == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert parse_period("1er mars 2025") == Period(date(2025, 3, 1), date(2025, 3, 1))


@pytest.mark.parametrize(
    "text",
    ["6.8", "31/02/2025", "12/13/2025", "12 foo 2025", "2025", "12 maart", "12/03/3025",
     "99.99.9999", "mensenhandel", ""],
)  # fmt: skip
def test_what_is_not_a_day(text):
    assert parse_period(text) is None


def test_codes_and_short_names():
    reading = read("6.8")
    assert (reading.code, reading.code_prefix, reading.agency) == ("6.8", True, "6.8")
    assert read("3.4b").code_prefix
    reading = read("DVZ")
    assert (reading.code, reading.code_prefix, reading.agency) == ("DVZ", False, "dvz")
    assert read("two words").code is None


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("mensenhandel", '"mensenhandel"*'),
        ("arbeid uitbuiting", '"arbeid"* AND "uitbuiting"*'),
        ('"gedwongen arbeid"', '"gedwongen arbeid"'),
        ("arbeid or uitbuiting horeca", '("arbeid"* OR "uitbuiting"*) AND "horeca"*'),
        ("horeca -bouw", '("horeca"*) NOT "bouw"*'),
        ("e-learning", '"e learning"*'),
        ('NEAR(a b) title:x "y', '"NEAR a"* AND "b"* AND "title x"* AND "y"'),
        ("AND OR NOT", '("AND"* OR "NOT"*)'),
        ("*", None),
        ("-horeca", None),
        ("or", None),
        ("", None),
    ],
)
def test_the_fts5_query_quotes_every_word(text, query):
    assert fts5_query(text) == query


def test_the_fts5_query_is_bounded():
    query = fts5_query(" ".join(f"w{number}" for number in range(100)))
    assert query is not None
    assert query.count('"') == 2 * 12
