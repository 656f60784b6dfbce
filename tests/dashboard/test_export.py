"""The whole plan for the rapporteur's evaluation, as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa

from coordination.dashboard import export
from coordination.db import db
from coordination.measures.models import Measure, MeasureTransition
from tests.dashboard import builders


@pytest.fixture
def env(app):
    return builders.build()


def csv_rows(response) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_is_the_whole_plan_with_history_and_indicators(env, login_as):
    response = login_as(env["rapporteur"]).get("/dashboard/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"action-plan-NAP-2021-2025-{env['today'].isoformat()}.csv" in disposition
    rows = csv_rows(response)
    measures = [row for row in rows if row["Record"] == "measure"]
    plan_id = env["plan"].id
    assert [row["Code"] for row in measures] == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2", "3.3",
    ]  # fmt: skip
    transitions = db.session.scalar(
        sa.select(sa.func.count(MeasureTransition.id))
        .join(Measure)
        .where(Measure.plan_id == plan_id)
    )
    assert sum(row["Record"] == "status change" for row in rows) == transitions
    first = measures[0]
    assert (first["Status"], first["Late"], first["Lead agency"]) == ("In progress", "Late", "BOTH")
    assert measures[1]["Partner agencies"] == "BUREAUONLY, PLATFORMONLY"
    adoption = next(
        row for row in rows if row["Record"] == "status change" and row["Code"] == "1.1"
    )
    assert (adoption["From status"], adoption["To status"]) == ("Proposed", "Adopted")
    assert adoption["Meeting"] == "2021-03-09 Platform spring 2021"
    officers = [row for row in rows if row["Indicator"] == "Officers trained"]
    assert [(r["Year"], r["Target"], r["Result"], r["Verdict"]) for r in officers] == [
        ("2023", "100", "80", "Target not met"),
        ("2024", "100", "240", "Target met"),
    ]
    assert officers[1]["Source"] == "Federal Police 2024"
    # Every line has every column (a spreadsheet sorts and filters them).
    assert all(None not in row and len(row) == len(export.COLUMNS) for row in rows)


def test_csv_cells_cannot_become_formulas(env, login_as):
    rows = csv_rows(login_as(env["secretariat"]).get("/dashboard/export.csv"))
    evil = next(row for row in rows if row["Code"] == "2.1" and row["Record"] == "measure")
    assert evil["Title"] == '\'=HYPERLINK("http://evil")'
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_csv_in_the_readers_language(env, login_as):
    env["rapporteur"].locale = "fr"
    db.session.commit()
    rows = csv_rows(login_as(env["rapporteur"]).get("/dashboard/export.csv"))
    assert rows[0]["Enregistrement"] == "mesure"
    assert rows[0]["Thème"] == "1. Prévention"


def test_json_parses_and_holds_history_and_indicator_values(env, login_as):
    response = login_as(env["minister"]).get("/dashboard/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Prévention".encode() in response.data  # ensure_ascii=False
    document = json.loads(response.data)
    assert document["format"] == export.FORMAT
    assert document["plan"]["code"] == "NAP-2021-2025"
    assert document["plan"]["title"]["fr"] == "Plan d'action national 2021-2025"
    assert document["filters"] == {"theme": None, "lead_agency": None}
    measures = {m["code"]: m for m in document["measures"]}
    assert list(measures) == ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2", "3.3"]
    first = measures["1.1"]
    assert first["status"] == "in_progress"
    assert first["late"] is True
    assert first["lead_agency"] == "BOTH"
    adoption = first["history"][0]
    assert (adoption["from_status"], adoption["to_status"]) == ("proposed", "adopted")
    assert adoption["meeting"] == {
        "date": "2021-03-09",
        "title": {
            "nl": "Platform voorjaar 2021",
            "fr": "Plateforme printemps 2021",
            "en": "Platform spring 2021",
        },
        "forum": "platform",
    }
    [indicator] = first["indicators"]
    assert indicator["direction"] == "more_is_better"
    assert indicator["years"] == [
        {"year": 2023, "target": 100, "result": 80, "source": "Annual activity report",
         "verdict": "not_met"},
        {"year": 2024, "target": 100, "result": 240, "source": "Federal Police 2024",
         "verdict": "met"},
    ]  # fmt: skip
    days = measures["2.2"]["indicators"][0]
    assert days["direction"] == "less_is_better"
    assert days["years"][0]["verdict"] == "met"
    assert measures["2.2"]["indicators"][1]["years"][1] == {
        "year": 2025, "target": 10, "result": None, "source": None, "verdict": "no_result",
    }  # fmt: skip
    assert measures["1.2"]["partners"] == ["BUREAUONLY", "PLATFORMONLY"]
    assert measures["1.2"]["indicators"][0]["years"][0]["result"] == 60


def test_exports_follow_the_filters(env, login_as):
    client = login_as(env["minister"])
    theme = env["themes"][2]
    document = json.loads(client.get(f"/dashboard/export.json?theme={theme.id}").data)
    assert [m["code"] for m in document["measures"]] == ["3.1", "3.2", "3.3"]
    assert document["filters"]["theme"] == 3
    document = json.loads(client.get(f"/dashboard/export.json?plan={env['old'].id}").data)
    assert document["plan"]["code"] == "NAP-2016-2020"
    assert [m["code"] for m in document["measures"]] == ["9.1", "9.2"]
    assert client.get("/dashboard/export.csv?plan=nope").status_code == 400
    assert client.get("/dashboard/export.json?lead=0").status_code == 400


def test_exports_read_in_chunks(env, login_as, monkeypatch):
    """Measures are read a chunk at a time; the result is the same."""
    client = login_as(env["minister"])
    whole = client.get("/dashboard/export.json").get_data(as_text=True)
    monkeypatch.setattr(export, "CHUNK", 3)
    chunked = client.get("/dashboard/export.json").get_data(as_text=True)
    strip = [json.loads(text)["measures"] for text in (whole, chunked)]
    assert strip[0] == strip[1]


def test_agency_representatives_cannot_export(env, login_as):
    client = login_as(env["rep_both"])
    assert client.get("/dashboard/export.csv").status_code == 403
    assert client.get("/dashboard/export.json").status_code == 403
