"""The action plan for evaluation, one table per kind of record: measures, status changes,
indicators (targets and results per year), progress reports (with their text), and from
published minutes the decisions, follow-up actions and attendance per meeting.

The same tables make the XLSX workbook (typed cells: dates as dates, numbers as numbers; a
frozen header row with filters) and the zip of CSV files (UTF-8 with BOM; ``;`` and a decimal
comma for Dutch and French readers, as Belgian Excel expects, ``,`` and a point otherwise).
Text that a spreadsheet would evaluate as a formula stays text in both. Those who may export
(ministers, the rapporteur, the secretariat) see every published minutes; drafts are left out.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coordination.core.templating import localised
from coordination.core.time import to_brussels
from coordination.dashboard.export import plan_records, spreadsheet_number
from coordination.dashboard.queries import DashboardFilters, measure_conditions
from coordination.db import db
from coordination.measures.export import BOM, neutralise_cell
from coordination.measures.labels import DIRECTION_LABELS, REPORT_STATUS_LABELS, VERDICT_LABELS
from coordination.measures.models import Measure, ProgressReport
from coordination.measures.workflow import status_label
from coordination.meetings.models import Meeting
from coordination.minutes.labels import FOLLOW_UP_STATUS_LABELS, PRESENCE_LABELS
from coordination.minutes.models import Attendance, Decision, FollowUpAction, Minutes

Cell = str | int | float | bool | date | datetime | None


@dataclass(frozen=True)
class Table:
    """One kind of record: its name (a sheet, a file), its header and its rows (produced when
    written, so that a large plan is never in memory twice)."""

    name: str
    header: list[str]
    rows: Callable[[], Iterator[list[Cell]]]


def evaluation_tables(filters: DashboardFilters, today: date) -> list[Table]:
    """Every table of the export, in the reader's language."""
    return [
        Table(_("Measures"), _measure_header(), lambda: _measure_rows(filters, today)),
        Table(_("Status changes"), _history_header(), lambda: _history_rows(filters, today)),
        Table(_("Indicators"), _indicator_header(), lambda: _indicator_rows(filters, today)),
        Table(_("Progress reports"), _report_header(), lambda: _report_rows(filters)),
        Table(_("Decisions"), _decision_header(), _decision_rows),
        Table(_("Follow-up actions"), _action_header(), _action_rows),
        Table(_("Attendance"), _attendance_header(), _attendance_rows),
    ]


# --- writing ---------------------------------------------------------------------------------


def xlsx(tables: Iterable[Table]) -> bytes:
    """The workbook: a sheet per table, the header bold and frozen, with filters."""
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.name))
        sheet.freeze_panes = "A2"
        header = []
        for text in table.header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        count = 1
        for row in table.rows():
            sheet.append([_xlsx_cell(sheet, value) for value in row])
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.header))}{count}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(name: str) -> str:
    """Excel's limits on a sheet's name: 31 characters, none of []:*?/\\."""
    return "".join(c for c in name if c not in "[]:*?/\\")[:31]


def _xlsx_cell(sheet, value: Cell) -> object:
    if isinstance(value, str):
        # Text stays text, even "=1+1": never a formula.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    if isinstance(value, datetime):
        return to_brussels(value).replace(tzinfo=None)  # Excel has no time zones
    return value


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal: str

    @classmethod
    def for_language(cls, language: str) -> CsvDialect:
        """What a spreadsheet in that language opens as columns: ``;`` and a decimal comma
        in Dutch and French (Belgian Excel), ``,`` and a point in English."""
        return cls(";", ",") if language in ("nl", "fr") else cls(",", ".")


def csv_zip(tables: Iterable[Table], dialect: CsvDialect) -> bytes:
    """A zip holding one CSV file per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            archive.writestr(f"{_file_name(table.name)}.csv", _csv_text(table, dialect))
    return buffer.getvalue()


def _file_name(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "table"


def _csv_text(table: Table, dialect: CsvDialect) -> bytes:
    text = io.StringIO()
    text.write(BOM)
    writer = csv.writer(text, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([neutralise_cell(cell) for cell in table.header])
    for row in table.rows():
        writer.writerow([_csv_cell(value, dialect) for value in row])
    return text.getvalue().encode("utf-8")


def _csv_cell(value: Cell, dialect: CsvDialect) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return to_brussels(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value).replace(".", dialect.decimal)
    return neutralise_cell(value)


# --- the tables -----------------------------------------------------------------------------


def _measure_header() -> list[str]:
    return [
        _("Code"), _("Title (Dutch)"), _("Title (French)"), _("Theme"), _("Status"),
        _("Late"), _("Deadline"), _("Lead agency"), _("Partner agencies"),
        _("Carried over from"),
    ]  # fmt: skip


def _measure_rows(filters: DashboardFilters, today: date) -> Iterator[list[Cell]]:
    for record in plan_records(filters, today):
        yield [
            record.code,
            record.title.nl or "",
            record.title.fr or "",
            f"{record.theme.position}. {localised(record.theme)}",
            status_label(record.status),
            record.late,
            record.deadline,
            record.lead_code,
            ", ".join(record.partners),
            " ".join(record.carried_over_from) if record.carried_over_from else None,
        ]


def _history_header() -> list[str]:
    return [
        _("Code"), _("Date"), _("From status"), _("To status"), _("Meeting date"),
        _("Forum"), _("Note"),
    ]  # fmt: skip


def _history_rows(filters: DashboardFilters, today: date) -> Iterator[list[Cell]]:
    for record in plan_records(filters, today):
        for entry in record.history:
            yield [
                record.code,
                entry.at,
                status_label(entry.from_status) if entry.from_status else None,
                status_label(entry.to_status),
                entry.meeting_date,
                entry.forum_code,
                entry.note or None,
            ]


def _indicator_header() -> list[str]:
    return [
        _("Code"), _("Indicator"), _("Unit"), _("Direction"), _("Baseline year"),
        _("Baseline"), _("Year"), _("Target"), _("Result"), _("Source"), _("Verdict"),
    ]  # fmt: skip


def _indicator_rows(filters: DashboardFilters, today: date) -> Iterator[list[Cell]]:
    for record in plan_records(filters, today):
        for indicator in record.indicators:
            described: list[Cell] = [
                record.code,
                str(indicator.name),
                indicator.unit,
                str(DIRECTION_LABELS[indicator.direction]),
                indicator.baseline_year,
                spreadsheet_number(indicator.baseline_value),
            ]
            if not indicator.years:
                yield [*described, None, None, None, None, None]
            for year in indicator.years:
                yield [
                    *described,
                    year.year,
                    spreadsheet_number(year.target),
                    spreadsheet_number(year.result),
                    year.source,
                    str(VERDICT_LABELS[year.verdict]),
                ]


def _report_header() -> list[str]:
    return [
        _("Code"), _("Year"), _("Agency"), _("Status"), _("Submitted"), _("Reviewed"),
        _("Text"),
    ]  # fmt: skip


def _report_rows(filters: DashboardFilters) -> Iterator[list[Cell]]:
    reports = db.session.scalars(
        select(ProgressReport)
        .join(Measure, Measure.id == ProgressReport.measure_id)
        .where(*measure_conditions(filters))
        .options(joinedload(ProgressReport.measure), joinedload(ProgressReport.agency))
        .order_by(Measure.code, ProgressReport.year, ProgressReport.id)
        .execution_options(yield_per=500)
    )
    for report in reports:
        yield [
            report.measure.code,
            report.year,
            report.agency.code,
            str(REPORT_STATUS_LABELS[report.status]),
            report.submitted_at,
            report.reviewed_at,
            report.text,
        ]


def _published_minutes():
    """The published minutes, their meeting and forum, oldest meeting first."""
    return (
        select(Minutes)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(Minutes.published_at.is_not(None))
        .options(joinedload(Minutes.meeting).joinedload(Meeting.forum))
        .order_by(Meeting.starts_at, Minutes.id)
    )


def _meeting_cells(minutes: Minutes) -> list[Cell]:
    return [minutes.meeting.local_date, minutes.meeting.forum.code, str(minutes.meeting.title)]


def _decision_header() -> list[str]:
    return [_("Meeting date"), _("Forum"), _("Meeting"), _("No."), _("Decision"), _("Agenda item")]


def _decision_rows() -> Iterator[list[Cell]]:
    query = _published_minutes().options(
        selectinload(Minutes.decisions).joinedload(Decision.agenda_item)
    )
    for minutes in db.session.scalars(query):
        for decision in minutes.decisions:
            item = decision.agenda_item
            yield [
                *_meeting_cells(minutes),
                decision.position,
                str(decision.text),
                str(item.title) if item is not None else None,
            ]


def _action_header() -> list[str]:
    return [
        _("Meeting date"), _("Forum"), _("Meeting"), _("Action"), _("Owner agency"),
        _("Due date"), _("Status"), _("Closed"),
    ]  # fmt: skip


def _action_rows() -> Iterator[list[Cell]]:
    query = _published_minutes().options(
        selectinload(Minutes.follow_ups).joinedload(FollowUpAction.owner_agency)
    )
    for minutes in db.session.scalars(query):
        for action in minutes.follow_ups:
            yield [
                *_meeting_cells(minutes),
                str(action.description),
                action.owner_agency.code,
                action.due_date,
                str(FOLLOW_UP_STATUS_LABELS[action.status]),
                action.closed_at,
            ]


def _attendance_header() -> list[str]:
    return [_("Meeting date"), _("Forum"), _("Meeting"), _("Agency"), _("Presence"), _("People")]


def _attendance_rows() -> Iterator[list[Cell]]:
    query = _published_minutes().options(
        selectinload(Minutes.attendance).joinedload(Attendance.agency),
        selectinload(Minutes.attendees),
    )
    for minutes in db.session.scalars(query):
        for entry in sorted(minutes.attendance, key=lambda e: e.agency.code):
            people = [a.name for a in minutes.attendees if a.agency_id == entry.agency_id]
            yield [
                *_meeting_cells(minutes),
                entry.agency.code,
                str(PRESENCE_LABELS[entry.presence]),
                ", ".join(people) or None,
            ]
