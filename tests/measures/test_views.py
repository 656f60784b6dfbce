"""Pages of the action plan, through HTTP."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import render_template_string

from coordination.core.sections import page_sections
from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.measures.models import Measure, MeasureStatus, ProgressReport, ReportStatus
from coordination.meetings.models import AgendaItem, AgendaItemKind
from tests import factories
from tests.conftest import forget_recent_forms
from tests.measures import factories as mf

S = MeasureStatus
TODAY = today_brussels()


def brussels(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


@pytest.fixture
def env(app):
    world = factories.world()
    plan = mf.plan(code="NAP-2021-2025")
    world["plan"] = plan
    world["late"] = mf.measure(
        plan, world["both"], S.IN_PROGRESS, code="1.1", title="Train first-line police",
        partners=[world["bureau_only"]], deadline=TODAY - timedelta(days=10),
    )  # fmt: skip
    world["proposal"] = mf.measure(
        plan, world["platform_only"], S.PROPOSED, code="2.1", theme=plan.themes[1],
        title="=HYPERLINK(\"http://evil\")",
    )  # fmt: skip
    world["done"] = mf.measure(
        plan, world["both"], S.IMPLEMENTED, code="3.1", theme=plan.themes[2],
        title="Workers' guide in 28 languages", deadline=date(2023, 6, 30),
    )  # fmt: skip
    world["platform_meeting"] = factories.meeting(
        world["platform"], brussels(TODAY - timedelta(days=2)), title="Platform autumn session"
    )
    world["bureau_meeting"] = factories.meeting(
        world["bureau"], brussels(TODAY + timedelta(days=7)), title="Bureau monthly meeting"
    )
    db.session.commit()
    return world


def body(response) -> str:
    return response.get_data(as_text=True)


# --- list ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["secretariat", "rep_both", "rep_bureau", "rep_platform", "minister", "rapporteur"]
)
def test_every_role_reads_the_list(env, login_as, role):
    response = login_as(env[role]).get("/measures/")
    assert response.status_code == 200
    html = body(response)
    assert "Train first-line police" in html
    assert "Workers&#39; guide in 28 languages" in html
    # Late is said in words, not colour only.
    row = html.split("Train first-line police")[1].split("</tr>")[0]
    assert ">Late<" in row
    assert ">Late<" not in html.split("Workers&#39; guide")[1].split("</tr>")[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=in_progress", {"1.1"}),
        ("late=y", {"1.1"}),
        ("q=guide", {"3.1"}),
        ("q=2.1", {"2.1"}),
        ("q=%25", set()),  # a literal percent sign, not a wildcard
        ("lead={platform_only}", {"2.1"}),
        ("theme={theme2}", {"2.1"}),
        ("plan={plan}", {"1.1", "2.1", "3.1"}),
        ("plan={plan}&status=implemented&late=y", set()),
    ],
)
def test_filters(env, login_as, query, expected):
    query = query.format(
        platform_only=env["platform_only"].id,
        theme2=env["plan"].themes[1].id,
        plan=env["plan"].id,
    )
    html = body(login_as(env["rep_bureau"]).get(f"/measures/?{query}"))
    shown = set(re.findall(r'<span class="muted">NAP-2021-2025</span> ([\d.]+)</td>', html))
    assert shown == expected


@pytest.mark.parametrize("query", ["status=dreaming", "plan=abc", "lead=999999", "q=" + "x" * 101])
def test_bad_filters_are_a_400_with_a_message(env, login_as, query):
    response = login_as(env["secretariat"]).get(f"/measures/?{query}")
    assert response.status_code == 400
    assert "There is a problem" in body(response)


@pytest.mark.parametrize("query", ["status=%0D%0A%09", "plan=%20", "lead=%09&theme=%0A"])
def test_blank_filters_mean_any(env, login_as, query):
    """White space in a hand-made address is no choice at all, never a server error."""
    response = login_as(env["secretariat"]).get(f"/measures/?{query}")
    assert response.status_code == 200


def count_before(env) -> int:
    return db.session.scalar(sa.select(sa.func.count(Measure.id)))


def add_measures(env, number):
    start = count_before(env)
    for n in range(number):
        mf.measure(
            env["plan"], env["both"], S.ADOPTED, code=f"9.{start + n + 10}",
            partners=[env["bureau_only"], env["observer"]], deadline=date(2024, 1, 1),
        )  # fmt: skip
    db.session.commit()


@pytest.mark.parametrize("role", ["secretariat", "rep_both"])
def test_list_runs_a_bounded_number_of_statements(env, login_as, count_queries, role):
    client = login_as(env[role])
    add_measures(env, 10)
    with count_queries() as few:
        assert client.get("/measures/?per_page=ignored").status_code == 200
    add_measures(env, 190)
    with count_queries() as many:
        assert client.get("/measures/").status_code == 200
    assert many.count == few.count
    assert few.count <= 10, few.statements


def test_list_is_paginated(env, login_as):
    add_measures(env, 60)
    client = login_as(env["minister"])
    first = body(client.get("/measures/?status=adopted"))
    assert "60 measures" in first
    assert 'href="/measures/?page=2&amp;status=adopted"' in first
    second = body(client.get("/measures/?status=adopted&page=2"))
    assert second.count('<span class="muted">NAP-2021-2025</span>') == 10


def test_list_pages_come_from_the_cache_until_the_plan_changes(env, login_as, count_queries):
    """Every reader sees the same list: its pages' ids and its total are kept (core.cache) and
    read again after any committed change of the plan."""
    add_measures(env, 60)
    client = login_as(env["minister"])
    with count_queries() as computed:
        first = body(client.get("/measures/?status=adopted&page=2"))
    with count_queries() as from_cache:
        again = body(client.get("/measures/?status=adopted&page=2"))
    assert again.count("<tr>") == first.count("<tr>")
    assert "60 measures" in again
    assert not any("count(" in statement.lower() for statement in from_cache.statements)
    assert from_cache.count < computed.count
    assert body(login_as(env["rep_platform"]).get("/measures/?status=adopted")).count("60 measures")

    env["late"].status = S.ADOPTED
    env["late"].title = Texts.same("A measure just adopted")
    db.session.commit()
    after = body(client.get("/measures/?status=adopted"))
    assert "61 measures" in after
    assert "A measure just adopted" in after


# --- CSV export ----------------------------------------------------------------------------


def test_csv_export_is_filtered_and_neutralised(env, login_as):
    response = login_as(env["minister"]).get("/measures/export.csv?plan=" + str(env["plan"].id))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["Plan", "Code", "Title"]
    by_code = {row[1]: row for row in rows[1:]}
    assert set(by_code) == {"1.1", "2.1", "3.1"}
    assert by_code["2.1"][2] == '\'=HYPERLINK("http://evil")'
    assert by_code["1.1"][5] == "Late"
    assert by_code["1.1"][7] == "BUREAUONLY"
    late_only = login_as(env["minister"]).get("/measures/export.csv?late=y").get_data()
    assert len(list(csv.reader(io.StringIO(late_only.decode("utf-8-sig"))))) == 2


def test_csv_export_link_follows_the_policy(env, login_as):
    assert "export.csv" in body(login_as(env["rapporteur"]).get("/measures/?status=adopted"))
    assert "export.csv" not in body(login_as(env["rep_both"]).get("/measures/"))
    assert login_as(env["rep_both"]).get("/measures/export.csv").status_code == 403


# --- measure page --------------------------------------------------------------------------


def test_measure_page_shows_everything(env, login_as):
    measure = env["late"]
    indicator = mf.indicator(measure, targets={2023: "100", 2024: "100"})
    mf.value(indicator, 2023, "80")
    mf.value(indicator, 2024, "240", source="NSSO activity report 2024")
    mf.report(measure, env["rep_both"], 2024, ReportStatus.ACCEPTED, reviewer=env["secretariat"])
    db.session.commit()
    html = body(login_as(env["rapporteur"]).get(f"/measures/{measure.id}"))
    assert "<h1>" in html
    assert html.count("<h1") == 1
    assert "Train first-line police" in html
    assert "Late: the deadline has passed" in html
    assert "Agency BUREAUONLY" in html  # partner
    assert "Target met" in html
    assert "Target not met" in html
    assert "NSSO activity report 2024" in html
    assert "Report for 2024 by BOTH" in html
    assert "Submit a progress report" not in html
    assert "Edit the measure" not in html


def test_markdown_description_is_sanitised(env, login_as):
    env["late"].description = Texts.same(
        "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"
    )
    db.session.commit()
    html = body(login_as(env["rep_both"]).get(f"/measures/{env['late'].id}"))
    assert "<strong>Bold</strong>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_timeline_hides_meetings_a_rep_may_not_see(env, login_as, client):
    meeting = env["platform_meeting"]
    measure = env["proposal"]
    factories.agenda_item(meeting, "Decision", kind=AgendaItemKind.DECISION, measure_id=measure.id)
    db.session.commit()
    sees = body(login_as(env["rep_platform"]).get(f"/measures/{measure.id}"))
    assert "Platform autumn session" in sees
    assert "Platform autumn session</a> (Forum platform," in sees  # a space before the forum
    hidden = body(login_as(env["rep_bureau"]).get(f"/measures/{measure.id}"))
    assert "Platform autumn session" not in hidden
    assert "Put on the agenda for a decision:" in hidden
    assert "Forum platform" in hidden  # the forum and the date only


def test_unknown_measure_is_a_404(env, login_as):
    client = login_as(env["secretariat"])
    assert client.get("/measures/999999").status_code == 404
    assert client.get("/measures/0").status_code == 404
    assert client.get("/measures/abc").status_code == 404


# --- create and edit -----------------------------------------------------------------------


def measure_form(env, **overrides):
    data = {
        "theme": str(env["plan"].themes[0].id),
        "code": "1.9",
        "title-nl": "Awareness campaign in airports",
        "title-fr": "Campagne de sensibilisation dans les aéroports",
        "description-nl": "With *posters*.",
        "lead_agency": str(env["both"].id),
        "partners": [str(env["observer"].id)],
        "deadline": "2025-12-31",
    }
    # A plain "title" or "description" is the Dutch text (the French one is left as it is).
    for name in ("title", "description"):
        if name in overrides:
            overrides[f"{name}-nl"] = overrides.pop(name)
    data.update(overrides)
    return data


def test_secretariat_proposes_a_measure(env, login_as):
    client = login_as(env["secretariat"])
    assert client.get("/measures/new").status_code == 200
    response = client.post("/measures/new", data=measure_form(env))
    assert response.status_code == 302
    measure = db.session.scalar(sa.select(Measure).filter_by(code="1.9"))
    assert measure.status is S.PROPOSED
    assert [agency.code for agency in measure.partners] == ["OBSERVER"]
    assert response.headers["Location"] == f"/measures/{measure.id}"


@pytest.mark.parametrize(
    "overrides",
    [{"code": ""}, {"code": "=1+1"}, {"title-nl": "", "title-fr": ""}, {"theme": "999999"},
     {"lead_agency": "x"},
     {"deadline": "31/12/2025"}, {"code": "1.1"}],
)  # fmt: skip
def test_bad_measure_input_is_a_400(env, login_as, overrides):
    before = db.session.scalar(sa.select(sa.func.count(Measure.id)))
    response = login_as(env["secretariat"]).post(
        "/measures/new", data=measure_form(env, **overrides)
    )
    assert response.status_code == 400
    assert "Error:" in body(response)
    assert db.session.scalar(sa.select(sa.func.count(Measure.id))) == before


def test_edit_conflict_keeps_the_other_change(env, login_as):
    measure = env["late"]
    client = login_as(env["secretariat"])
    form = body(client.get(f"/measures/{measure.id}/edit"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    first = client.post(
        f"/measures/{measure.id}/edit", data=measure_form(env, code="1.1", version=version)
    )
    assert first.status_code == 302
    stale = client.post(
        f"/measures/{measure.id}/edit",
        data=measure_form(env, code="1.1", title="Overwrite", version=version),
    )
    assert stale.status_code == 409
    assert "Someone else changed this measure" in body(stale)
    db.session.expire_all()
    assert db.session.get(Measure, measure.id).title.nl == "Awareness campaign in airports"


# --- status --------------------------------------------------------------------------------


def test_status_form_offers_allowed_targets_and_the_meetings_that_discussed_it(env, login_as):
    """Adoption and rejection are not among them: they are recorded on the platform meeting's
    decisions page, which the form links to once the measure is on a meeting's agenda."""
    client = login_as(env["secretariat"])
    html = body(client.get(f"/measures/{env['proposal'].id}/status"))
    assert 'value="adopted"' not in html
    assert 'value="rejected"' not in html
    assert 'value="withdrawn"' in html
    assert 'value="implemented"' not in html
    assert "Platform autumn session" not in html  # the measure was not on its agenda
    mf.on_agenda(env["proposal"], env["platform_meeting"])
    db.session.commit()
    html = body(client.get(f"/measures/{env['proposal'].id}/status"))
    assert "Platform autumn session" in html
    assert f'href="/meetings/{env["platform_meeting"].id}/decisions"' in html


def test_the_status_form_never_adopts(env, login_as):
    """One way to record a decision: on the meeting's agenda item, with the minutes."""
    measure, meeting = env["proposal"], env["platform_meeting"]
    mf.on_agenda(measure, meeting)
    db.session.commit()
    client = login_as(env["secretariat"])
    for status in ("adopted", "rejected", "implemented"):
        refused = client.post(
            f"/measures/{measure.id}/status", data={"status": status, "meeting": str(meeting.id)}
        )
        assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(Measure, measure.id).status is S.PROPOSED
    withdrawn = client.post(
        f"/measures/{measure.id}/status", data={"status": "withdrawn", "note": "Merged into 2.2"}
    )
    assert withdrawn.status_code == 302
    assert "Merged into 2.2" in body(client.get(f"/measures/{measure.id}"))


# --- agenda and decisions ------------------------------------------------------------------


def test_put_on_agenda_through_the_form(env, login_as):
    client = login_as(env["secretariat"])
    measure = env["proposal"]
    page = body(client.get(f"/measures/{measure.id}/agenda"))
    assert "Bureau monthly meeting" in page
    assert "Platform autumn session" not in page
    response = client.post(
        f"/measures/{measure.id}/agenda", data={"meeting": str(env["bureau_meeting"].id)}
    )
    assert response.status_code == 302
    item = db.session.scalar(sa.select(AgendaItem).filter_by(measure_id=measure.id))
    assert item.meeting_id == env["bureau_meeting"].id
    assert item.kind is AgendaItemKind.DECISION
    forget_recent_forms()  # later, not a double click: the measure is on that agenda already
    again = client.post(
        f"/measures/{measure.id}/agenda", data={"meeting": str(env["bureau_meeting"].id)}
    )
    assert again.status_code == 400


@pytest.fixture
def proposals(env):
    meeting = env["platform_meeting"]
    first = env["proposal"]
    second = mf.measure(
        env["plan"], env["both"], S.PROPOSED, code="2.2", theme=env["plan"].themes[1]
    )
    for measure in (first, second):
        factories.agenda_item(
            meeting, measure.title, kind=AgendaItemKind.DECISION, measure_id=measure.id
        )
    db.session.commit()
    return meeting, first, second


def test_decisions_in_one_step(env, login_as, proposals):
    meeting, first, second = proposals
    client = login_as(env["secretariat"])
    page = client.get(f"/meetings/{meeting.id}/decisions")
    assert page.status_code == 200
    listed = re.search(r'name="listed" type="hidden" value="([\d,]+)"', body(page)).group(1)
    response = client.post(
        f"/meetings/{meeting.id}/decisions",
        data={
            "listed": listed,
            f"decision_{first.id}": "adopted",
            f"note_{first.id}": "Unanimous",
            f"decision_{second.id}": "rejected",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Measure, first.id).status is S.ADOPTED
    assert db.session.get(Measure, second.id).status is S.REJECTED
    assert "No proposal on this meeting" in body(client.get(response.headers["Location"]))


def test_decisions_are_all_or_nothing(env, login_as, proposals):
    meeting, first, second = proposals
    client = login_as(env["secretariat"])
    listed = f"{first.id},{second.id}"
    # Someone withdrew the second proposal after the page was loaded.
    second.status = S.WITHDRAWN
    db.session.commit()
    response = client.post(
        f"/meetings/{meeting.id}/decisions",
        data={
            "listed": listed,
            f"decision_{first.id}": "adopted",
            f"decision_{second.id}": "adopted",
        },
    )
    assert response.status_code == 400
    assert "Nothing was recorded" in body(response)
    db.session.expire_all()
    assert db.session.get(Measure, first.id).status is S.PROPOSED
    # The page now lists what is left; recording again works.
    relisted = re.search(r'name="listed" type="hidden" value="([\d,]*)"', body(response)).group(1)
    assert relisted == str(first.id)
    again = client.post(
        f"/meetings/{meeting.id}/decisions",
        data={"listed": relisted, f"decision_{first.id}": "adopted"},
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Measure, first.id).status is S.ADOPTED


def test_decisions_page_is_for_the_secretariat(env, login_as, proposals):
    meeting = proposals[0]
    bureau = login_as(env["secretariat"]).get(f"/meetings/{env['bureau_meeting'].id}/decisions")
    assert bureau.status_code == 200  # the bureau forwards proposals to the platform
    assert login_as(env["rep_platform"]).get(f"/meetings/{meeting.id}/decisions").status_code == 403
    assert login_as(env["rep_bureau"]).get(f"/meetings/{meeting.id}/decisions").status_code == 404
    assert login_as(env["secretariat"]).get("/meetings/999999/decisions").status_code == 404


def test_meeting_section_lists_the_measures(env, login_as, proposals, app):
    meeting = proposals[0]

    def section(meeting) -> str:
        sections = page_sections("meeting", meeting)
        template = '{% include "measures/_meeting_section.html" %}'
        return render_template_string(template, meeting=meeting, sections=sections)

    with app.test_request_context():
        from flask_login import login_user

        login_user(env["secretariat"])
        html = section(meeting)
        assert "Record the decisions on 2 proposals" in html
        assert str(proposals[1].title).replace('"', "&#34;") in html
        login_user(env["rep_platform"])
        html = section(meeting)
        assert "Record the decision" not in html
        assert "2.2" in html
        assert section(env["bureau_meeting"]).strip() == ""


# --- reports -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("secretariat", 200), ("rep_both", 200), ("rep_bureau", 403), ("rep_platform", 403),
     ("minister", 403), ("rapporteur", 403)],
)  # fmt: skip
def test_who_may_report(env, login_as, role, status):
    """BOTH leads; BUREAUONLY is a partner of the measure and may not report."""
    measure = env["late"]
    client = login_as(env[role])
    assert client.get(f"/measures/{measure.id}/reports/new").status_code == status
    posted = client.post(
        f"/measures/{measure.id}/reports/new", data={"year": "2024", "text": "Done"}
    )
    assert posted.status_code == (302 if status == 200 else 403)
    button = "Submit a progress report" in body(client.get(f"/measures/{measure.id}"))
    assert button is (status == 200)


def test_report_and_review_journey(env, login_as):
    measure = env["late"]
    indicator = mf.indicator(measure, targets={2024: "100"})
    db.session.commit()
    rep = login_as(env["rep_both"])
    missing_source = rep.post(
        f"/measures/{measure.id}/reports/new",
        data={"year": "2024", "text": "Inspections", f"value_{indicator.id}": "240"},
    )
    assert missing_source.status_code == 400
    assert "Give the source of this value." in body(missing_source)
    sent = rep.post(
        f"/measures/{measure.id}/reports/new",
        data={
            "year": "2024", "text": "Inspections", f"value_{indicator.id}": "1 240,5",
            f"source_{indicator.id}": "NSSO report",
        },
    )  # fmt: skip
    assert sent.status_code == 302
    report = db.session.scalar(sa.select(ProgressReport))
    assert report.values[0].value == Decimal("1240.5")
    assert rep.get(f"/measures/reports/{report.id}/review").status_code == 403

    sec = login_as(env["secretariat"])
    assert "1 report awaiting review" in body(sec.get("/measures/reports"))
    no_comment = sec.post(f"/measures/reports/{report.id}/review", data={"decision": "return"})
    assert no_comment.status_code == 400
    accepted = sec.post(f"/measures/reports/{report.id}/review", data={"decision": "accept"})
    assert accepted.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgressReport, report.id).status is ReportStatus.ACCEPTED
    assert "Target met" in body(sec.get(f"/measures/{measure.id}"))


# --- home ----------------------------------------------------------------------------------


def test_home_section_for_a_lead_agency(env, login_as):
    html = body(login_as(env["rep_both"]).get("/"))
    assert "Measures your agency leads" in html
    assert "Train first-line police" in html
    assert ">Late<" in html
    assert "Due" in html
    assert "Workers&#39; guide" not in html  # implemented: nothing to report


def test_home_section_summary_for_others(env, login_as, count_queries):
    mf.report(env["late"], env["rep_both"], TODAY.year)
    db.session.commit()
    client = login_as(env["secretariat"])
    html = body(client.get("/"))
    assert "1 progress report awaits your review" in html
    assert re.search(r"<strong>1</strong>\s*Late", html)
    minister = body(login_as(env["minister"]).get("/"))
    assert "awaits your review" not in minister
    assert "3 measures" in minister


# --- plans ---------------------------------------------------------------------------------


def test_open_a_plan_and_carry_over(env, login_as):
    client = login_as(env["secretariat"])
    assert client.get("/measures/plans").status_code == 200
    response = client.post(
        "/measures/plans/new",
        data={
            "code": "NAP-2026-2030", "title_nl": "Nationaal actieplan 2026-2030",
            "title_fr": "Plan d'action national 2026-2030",
            "title_en": "National action plan 2026-2030", "start_year": "2026",
            "end_year": "2030", "copy_themes_from": str(env["plan"].id),
        },
    )  # fmt: skip
    assert response.status_code == 302
    plan_url = response.headers["Location"]
    plan_page = body(client.get(plan_url))
    assert "Detection and identification" in plan_page
    carry_url = plan_url + "/carry-over"
    page = body(client.get(carry_url))
    assert "Train first-line police" in page
    assert "Workers&#39; guide" not in page
    done = client.post(carry_url, data={"measures": [str(env["late"].id)]})
    assert done.status_code == 302
    new = db.session.scalar(
        sa.select(Measure).where(Measure.carried_over_from_id == env["late"].id)
    )
    html = body(client.get(f"/measures/{new.id}"))
    assert "Earlier history: measure 1.1 of NAP-2021-2025" in html
    old = body(client.get(f"/measures/{env['late'].id}"))
    assert "Continued in" in old
    assert "NAP-2026-2030" in old
    assert client.post(plan_url + "/close", data={"confirm": "y"}).status_code == 302
    assert "Closed" in body(client.get(plan_url))


def test_bad_plan_input(env, login_as):
    response = login_as(env["secretariat"]).post(
        "/measures/plans/new",
        data={"code": "NAP", "title_nl": "a", "title_fr": "b", "title_en": "c",
              "start_year": "2030", "end_year": "2026"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "The plan cannot end before it starts." in body(response)


def test_from_proposal_to_implementation_through_the_pages(env, login_as):
    """The issue's "done when": proposed, prepared in the bureau, adopted by the platform,
    started, reported on by the lead agency, implemented; the timeline shows all of it.
    """
    # Both at midnight: a decision is recorded once the meeting has started, whatever the hour
    # the test runs.
    bureau = factories.meeting(env["bureau"], brussels(TODAY, 0), title="Bureau of the day")
    platform = factories.meeting(env["platform"], brussels(TODAY, 0), title="Platform of the day")
    db.session.commit()
    sec = login_as(env["secretariat"])
    created = sec.post("/measures/new", data=measure_form(env, code="5.9", title="Joint training"))
    url = created.headers["Location"]
    measure_id = int(url.rsplit("/", 1)[1])
    for meeting in (bureau, platform):
        placed = sec.post(f"{url}/agenda", data={"meeting": str(meeting.id)})
        assert placed.status_code == 302
    decisions = body(sec.get(f"/meetings/{platform.id}/decisions"))
    assert "Joint training" in decisions
    recorded = sec.post(
        f"/meetings/{platform.id}/decisions",
        data={"listed": str(measure_id), f"decision_{measure_id}": "adopted"},
    )
    assert recorded.status_code == 302
    assert sec.post(f"{url}/status", data={"status": "in_progress"}).status_code == 302

    rep = login_as(env["rep_both"])
    reported = rep.post(f"{url}/reports/new", data={"year": str(TODAY.year), "text": "Half done"})
    assert reported.status_code == 302
    report = db.session.scalar(sa.select(ProgressReport).filter_by(measure_id=measure_id))

    sec = login_as(env["secretariat"])
    reviewed = sec.post(f"/measures/reports/{report.id}/review", data={"decision": "accept"})
    assert reviewed.status_code == 302
    assert sec.post(f"{url}/status", data={"status": "implemented"}).status_code == 302

    html = body(sec.get(url))
    timeline = html.split('id="timeline"')[1].split("</ol>")[0]
    milestones = [
        "Entered as a proposal",
        "Put on the agenda for a decision:",
        "Bureau of the day",
        "Platform of the day",
        "decided at the meeting:",
        "tag-in_progress",
        "tag-implemented",
    ]
    positions = [timeline.index(milestone) for milestone in milestones]
    assert positions == sorted(positions)
    assert f"Report for {TODAY.year} by BOTH" in html
    assert "Accepted" in html


def test_measure_page_runs_a_bounded_number_of_statements(env, login_as, count_queries):
    client = login_as(env["rep_both"])
    measure = env["late"]

    def grow(number: int) -> None:
        for n in range(number):
            meeting = factories.meeting(env["bureau"], brussels(TODAY - timedelta(days=n + 1)))
            factories.agenda_item(meeting, "x", measure_id=measure.id)
            indicator = mf.indicator(measure, targets={2024: "100"})
            mf.value(indicator, 2024, str(n))
            report = mf.report(measure, env["rep_both"], 2024)
            mf.value(indicator, 2024, "1", report_=report)
        db.session.commit()

    grow(1)
    with count_queries() as few:
        assert client.get(f"/measures/{measure.id}").status_code == 200
    grow(10)
    with count_queries() as many:
        assert client.get(f"/measures/{measure.id}").status_code == 200
    assert many.count == few.count
