"""The evaluation exports: an XLSX workbook with a sheet per kind of record and typed cells,
and a zip of CSV files that Belgian Excel opens (";" and a decimal comma in Dutch and French)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from coordination.db import db
from coordination.minutes.models import MinutesStatus, Presence
from tests import factories
from tests.dashboard import builders
from tests.minutes import factories as mf

SHEETS = [
    "Measures", "Status changes", "Indicators", "Progress reports", "Decisions",
    "Follow-up actions", "Attendance",
]  # fmt: skip


@pytest.fixture
def env(app):
    env = builders.build()
    # Published minutes with a decision, an action, attendance; a draft that stays out.
    published = mf.minutes(env["meetings"]["bureau"], status=MinutesStatus.PUBLISHED)
    mf.decision(published, '=HYPERLINK("http://evil.example") adopts the report')
    mf.follow_up(published, env["both"], due_date=date(2021, 5, 1))
    mf.attendance(published, env["both"], Presence.PRESENT)
    mf.attendee(published, env["both"], "Jan Peeters")
    draft = mf.minutes(factories.meeting(env["bureau"]), status=MinutesStatus.DRAFT)
    mf.decision(draft, "A draft decision nobody outside the secretariat has seen")
    db.session.commit()
    return env


def test_the_workbook_has_a_sheet_per_kind_of_record_with_typed_cells(env, login_as):
    response = login_as(env["minister"]).get("/dashboard/export.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(
        f'action-plan-NAP-2021-2025-{env["today"].isoformat()}.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == SHEETS
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
    measures = list(workbook["Measures"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in measures][:3] == ["1.1", "1.2", "1.3"]
    first = measures[0]
    assert first[1] == "Train first-line police officers"
    assert first[5] is True  # late: a boolean
    assert isinstance(first[6], datetime)  # the deadline: a date cell (openpyxl reads datetime)
    indicators = list(workbook["Indicators"].iter_rows(min_row=2, values_only=True))
    officers = [row for row in indicators if row[1] == "Officers trained" and row[6] == 2024]
    assert officers[0][7] == 100  # the target: a number
    assert officers[0][8] == 240  # the accepted result
    history = list(workbook["Status changes"].iter_rows(min_row=2, values_only=True))
    assert all(isinstance(row[1], datetime) for row in history)
    decisions = workbook["Decisions"]
    texts = [row[4] for row in decisions.iter_rows(min_row=2, values_only=True)]
    assert texts == ['=HYPERLINK("http://evil.example") adopts the report']  # no draft
    assert decisions["E2"].data_type == "s"  # text, never a formula
    attendance = list(workbook["Attendance"].iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[4], row[5]) for row in attendance] == [("BOTH", "Present", "Jan Peeters")]
    reports = list(workbook["Progress reports"].iter_rows(min_row=2, values_only=True))
    assert reports
    assert all(row[6] for row in reports)  # with their text


def test_the_csv_zip_opens_in_belgian_excel(env, login_as):
    client = login_as(env["rapporteur"])
    client.get("/language/fr")
    response = client.get("/dashboard/export.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert len(names) == len(SHEETS)
    indicators = next(name for name in names if name.startswith("indicateurs"))
    text = archive.read(indicators).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len({len(row) for row in rows}) == 1  # every line has the header's columns
    year, target = header.index("Année"), header.index("Valeur cible")
    assert ["2024", "100"] in [[row[year], row[target]] for row in body]
    decisions = archive.read(next(n for n in names if n.startswith("d"))).decode("utf-8")
    assert "'=HYPERLINK" in decisions  # neutralised in a CSV


def test_an_english_reader_gets_commas_and_points(env, login_as):
    client = login_as(env["secretariat"])
    client.get("/language/en")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/dashboard/export.zip").data))
    text = archive.read("indicators.csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:3] == ["Code", "Indicator", "Unit"]


@pytest.mark.parametrize("path", ["/dashboard/export.xlsx", "/dashboard/export.zip"])
def test_only_plan_readers_export(env, login_as, path):
    assert login_as(env["rep_both"]).get(path).status_code == 403
