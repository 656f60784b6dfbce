"""CSV export: every cell a spreadsheet would evaluate is neutralised, nothing else changes."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from coordination.measures.export import BOM, FORMULA_TRIGGERS, neutralise_cell, to_csv

dangerous = st.builds(
    lambda first, rest: first + rest, st.sampled_from(FORMULA_TRIGGERS), st.text()
)


@given(dangerous)
def test_cells_starting_with_a_formula_trigger_are_prefixed(text):
    assert neutralise_cell(text) == "'" + text


@given(st.text().filter(lambda text: not text.startswith(FORMULA_TRIGGERS)))
def test_other_cells_are_unchanged(text):
    assert neutralise_cell(text) == text


@given(st.lists(st.lists(st.text(), min_size=3, max_size=3), max_size=5))
def test_no_cell_of_the_document_starts_with_a_trigger(rows):
    document = to_csv(["a", "b", "c"], rows)
    assert document.startswith(BOM)
    parsed = list(csv.reader(io.StringIO(document[len(BOM) :], newline="")))
    assert parsed[0] == ["a", "b", "c"]
    assert len(parsed) == len(rows) + 1
    for parsed_row, row in zip(parsed[1:], rows, strict=True):
        for cell, original in zip(parsed_row, row, strict=True):
            assert not cell.startswith(FORMULA_TRIGGERS)
            assert cell in (original, "'" + original)


def test_known_payloads():
    assert neutralise_cell('=HYPERLINK("http://evil","x")') == '\'=HYPERLINK("http://evil","x")'
    assert neutralise_cell("+32 2 542 65 11") == "'+32 2 542 65 11"
    assert neutralise_cell("-1") == "'-1"
    assert neutralise_cell("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_cell("\tcmd") == "'\tcmd"
    assert neutralise_cell("\rcmd") == "'\rcmd"
    assert neutralise_cell(None) == ""
    assert neutralise_cell(3.4) == "3.4"
