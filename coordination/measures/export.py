"""CSV export of the measures list, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel and LibreOffice (CSV injection, OWASP). Such cells get a leading apostrophe,
which the spreadsheet shows as text and does not evaluate.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

from flask_babel import gettext as _

from coordination.core.templating import localised
from coordination.measures.models import Measure
from coordination.measures.workflow import status_label

#: First characters that make a spreadsheet evaluate a cell.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: Excel needs the byte-order mark to read UTF-8 (accents in Dutch and French names).
BOM = "\ufeff"


def neutralise_cell(value: object) -> str:
    """A cell's text, prefixed with an apostrophe when a spreadsheet would evaluate it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def to_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The whole CSV document (BOM, header, rows; CRLF line ends as RFC 4180 says)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return buffer.getvalue()


def measures_csv(measures: Iterable[Measure], today: date) -> str:
    """The measures list as a CSV document, in the reader's language."""
    header = [
        _("Plan"), _("Code"), _("Title"), _("Theme"), _("Status"), _("Late"),
        _("Lead agency"), _("Partner agencies"), _("Deadline"),
    ]  # fmt: skip
    rows = (
        [
            measure.plan.code,
            measure.code,
            str(measure.title),
            localised(measure.theme),
            status_label(measure.status),
            _("Late") if measure.late_on(today) else "",
            measure.lead_agency.code,
            ", ".join(agency.code for agency in measure.partners),
            measure.deadline.isoformat() if measure.deadline else "",
        ]
        for measure in measures
    )
    return to_csv(header, rows)
