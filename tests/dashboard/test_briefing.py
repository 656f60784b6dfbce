"""The briefing pack of the next platform meeting: its content, its PDF, its language."""

from __future__ import annotations

import io
import re
import zlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from jinja2 import ChoiceLoader, DictLoader

from coordination.core.texts import Texts
from coordination.dashboard.pdf import StaticFilesOnly, html_to_pdf
from coordination.db import db
from coordination.meetings.models import MeetingStatus
from tests.dashboard import builders
from tests.dashboard.html import Page, text_of


@pytest.fixture
def env(app):
    return builders.build()


def briefing(client) -> Page:
    response = client.get("/dashboard/briefing")
    assert response.status_code == 200
    return Page(response.get_data(as_text=True))


def test_the_pack_prepares_the_next_platform_meeting(env, login_as):
    view = briefing(login_as(env["minister"]))
    assert len(view.all("h1")) == 1
    assert "Platform next session" in view.text("header.briefing-header p.lead")
    # Proposals awaiting a decision = still proposed and on that agenda for a decision (3.3);
    # 1.1 is there for discussion only, 2.1 is on a later meeting's agenda.
    assert [row[0] for row in view.rows("#proposals-table")] == ["3.3 — Helpline in 28 languages"]
    assert "1 other proposal of the plan is not on this agenda." in view.html
    assert [text_of(s) for s in view.all("#briefing-figures strong")] == ["8", "4", "1", "25%", "3"]
    assert [row[0].split(" — ")[0] for row in view.rows("#briefing-overdue")] == [
        "3.1", "1.1", "2.1",
    ]  # fmt: skip
    assert view.rows("#briefing-indicator-years")[1] == ["2024", "5", "3", "1", "1"]
    assert [row[0].split(" (")[0] for row in view.rows("#briefing-below")] == ["Shelter places"]
    assert "Previous platform meeting" in view.html
    assert "style=" not in view.html


def test_without_a_scheduled_platform_meeting_every_proposal_is_listed(env, login_as):
    for meeting in (env["meetings"]["upcoming"], env["meetings"]["later"]):
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancellation_reason = "Elections"
    db.session.commit()
    view = briefing(login_as(env["rapporteur"]))
    assert "No platform meeting is scheduled yet." in view.html
    assert [row[0].split(" — ")[0] for row in view.rows("#proposals-table")] == ["2.1", "3.3"]
    assert "other proposal" not in view.html


def test_the_minutes_domain_adds_the_open_follow_ups(app, env, login_as, monkeypatch):
    """The include point of the minutes' partial, and the context it receives."""
    stub = (
        '<section id="follow-ups">{{ pack.next_meeting.title }}|{{ pack.last_meeting.title }}|'
        "{{ pack.today.isoformat() }}|{{ for_pdf }}</section>"
    )
    stubs = DictLoader({"minutes/_briefing_followups.html": stub})
    loader = ChoiceLoader([stubs, app.jinja_loader])
    monkeypatch.setattr(app, "jinja_loader", loader)
    monkeypatch.setattr(app.jinja_env, "cache", None)
    view = briefing(login_as(env["minister"]))
    assert view.text("#follow-ups") == (
        f"Platform next session|Platform recent session|{env['today'].isoformat()}|False"
    )
    html = html_for_pdf(app, login_as(env["minister"]))
    assert "Platform recent session|" in html
    assert html.count("|True</section>") == 1


def html_for_pdf(app, client) -> str:
    """The HTML the PDF is made of (captured on its way to WeasyPrint)."""
    captured = []
    import coordination.dashboard.pdf as pdf

    original = pdf.html_to_pdf

    def capture(html, **kwargs):
        captured.append(html)
        return original(html, **kwargs)

    pdf.html_to_pdf = capture
    try:
        assert client.get("/dashboard/briefing.pdf").status_code == 200
    finally:
        pdf.html_to_pdf = original
    return captured[0]


# --- the PDF ---------------------------------------------------------------------------------


def pdf_strings(data: bytes) -> list[str]:
    """Outline (bookmark) titles and /Lang of a PDF, decompressed and decoded."""
    blob = data
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            blob += zlib.decompress(match.group(1))
        except zlib.error:
            continue
    strings = []
    for match in re.finditer(rb"/(Title|Lang) (\((?:[^)\\]|\\.)*\)|<[0-9A-Fa-f]+>)", blob):
        raw = match.group(2)
        if raw.startswith(b"<"):
            strings.append(bytes.fromhex(raw[1:-1].decode()).decode("utf-16"))
        else:
            strings.append(raw[1:-1].decode("latin-1"))
    return strings


def test_the_pdf_opens(env, login_as):
    response = login_as(env["minister"]).get("/dashboard/briefing.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert f"briefing-{env['today'].isoformat()}.pdf" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"%PDF")
    assert response.data.rstrip().endswith(b"%%EOF")
    strings = pdf_strings(response.data)
    assert "en" in strings
    assert "Briefing pack for the next platform meeting" in strings
    assert "1. Proposals awaiting a decision" in strings


def test_the_pdf_speaks_the_readers_language(env, login_as):
    env["minister"].locale = "fr"
    db.session.commit()
    client = login_as(env["minister"])
    html = briefing(client).html
    assert 'lang="fr"' in html
    strings = pdf_strings(client.get("/dashboard/briefing.pdf").data)
    assert "fr" in strings
    assert "Briefing pack for the next platform meeting" not in strings


def test_the_pdf_html_has_no_link_and_only_local_css(app, env, login_as):
    html = html_for_pdf(app, login_as(env["minister"]))
    assert "<a " not in html
    # Inside the charts, xlink:href="#..." points into the SVG itself.
    external = re.findall(r'(?:href|src)="([^"#][^"]*)"', html)
    assert external == ["/static/css/badges.css", "/static/css/briefing-pdf.css"]


def test_pdf_rendering_fetches_only_the_static_files(app, tmp_path):
    fetcher = StaticFilesOnly("http://localhost/", "/static", app.static_folder)
    css = fetcher.fetch("http://localhost/static/css/briefing-pdf.css")
    assert b"@page" in css.read()
    for url in (
        "http://example.org/static/css/app.css",
        "http://localhost/static/../../config.py",
        "http://localhost/static/%2e%2e/%2e%2e/config.py",
        "http://localhost/dashboard/",
        "file:///etc/passwd",
        "http://localhost/static/css/missing.css",
    ):
        with pytest.raises(ValueError, match=r"not fetched|no such|disallowed"):
            fetcher.fetch(url)
    # An HTML page asking for a remote image still renders, without it.
    pdf = html_to_pdf(
        '<p>Hello</p><img src="http://example.org/x.png" alt="">',
        base_url="http://localhost/",
        static_url_path="/static",
        static_folder=app.static_folder,
    )
    assert pdf.startswith(b"%PDF")


def test_agency_representatives_get_no_briefing(env, login_as):
    client = login_as(env["rep_both"])
    assert client.get("/dashboard/briefing").status_code == 403
    assert client.get("/dashboard/briefing.pdf").status_code == 403


def test_every_page_carries_the_marking_and_no_confidential_place(app, env, login_as):
    """The PDF travels by e-mail: its marking heads every page, a confidential place is never
    printed in it, and each count agrees with the list it heads."""
    from pypdf import PdfReader

    upcoming = env["meetings"]["upcoming"]
    upcoming.place = Texts.same("Shelter, Secret Street 1")
    upcoming.place_confidential = True
    db.session.commit()
    app.config["BRIEFING_MARKING"] = 'Beperkte verspreiding / Diffusion restreinte "test"'
    client = login_as(env["minister"])
    reader = PdfReader(io.BytesIO(client.get("/dashboard/briefing.pdf").data))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) > 1
    for text in pages:
        assert 'Beperkte verspreiding / Diffusion restreinte "test"' in text
        assert "Secret Street" not in text
    whole = " ".join(" ".join(pages).split())  # lines wrap anywhere
    assert "Place communicated separately." in whole
    assert "2. Changes since the last platform meeting" in whole
    # The page (not the PDF) shows the place to whom may see it, the changes with links.
    page = briefing(client)
    assert "Secret Street" in page.html
    assert "/dashboard/changes#" in page.html


def test_a_truncated_list_of_late_measures_says_so(env, login_as, monkeypatch):
    from coordination.dashboard import queries

    monkeypatch.setattr(queries, "BRIEFING_LATE_LIMIT", 1)
    html = briefing(login_as(env["minister"])).html
    late = int(re.search(r"(\d+) measures are late", html).group(1))
    assert late > 1
    assert f"The 1 longest overdue of the {late} late measures" in html


def test_each_proposal_comes_with_the_bureaus_recommendation(env, login_as):
    from coordination.decisions.models import ItemDecision, Outcome
    from coordination.meetings.models import AgendaItem
    from tests import factories
    from tests.minutes import factories as minutes_factories

    proposal = env["measures"]["3.3"]
    bureau = env["meetings"]["bureau"]
    platform_item = db.session.scalars(
        sa.select(AgendaItem).where(
            AgendaItem.meeting_id == env["meetings"]["upcoming"].id,
            AgendaItem.measure_id == proposal.id,
        )
    ).one()
    bureau_item = factories.agenda_item(bureau, "3.3", measure_id=proposal.id)
    minutes = minutes_factories.minutes(bureau)
    decision = minutes_factories.decision(minutes, "The bureau recommends adopting 3.3.")
    db.session.add(
        ItemDecision(
            agenda_item=bureau_item, measure=proposal, outcome=Outcome.FORWARDED,
            decision=decision, forwarded_to=platform_item,
        )
    )  # fmt: skip
    db.session.commit()
    view = briefing(login_as(env["minister"]))
    row = text_of(view.one("#proposals-table tbody tr"))
    assert "The bureau recommends adopting 3.3." in row
    assert "bureau of 9 February 2021" in row


def test_the_cover_gives_the_headline_figures_with_their_change(env, login_as):
    """Each figure with what changed since the last platform meeting (the builder's "recent"
    meeting): the same counts as the changes page's."""
    from coordination.measures.models import MeasureStatus, MeasureTransition

    # Since that meeting, the platform started a measure (a creation or a carry-over is no
    # decision: the builder's measures were all created today and count for nothing).
    started = env["measures"]["2.2"]
    db.session.add(
        MeasureTransition(
            measure=started, from_status=MeasureStatus.ADOPTED, to_status=MeasureStatus.IN_PROGRESS
        )
    )
    started.status = MeasureStatus.IN_PROGRESS
    db.session.commit()
    view = briefing(login_as(env["minister"]))
    headlines = [text_of(li) for li in view.all("#briefing-headlines li")]
    assert headlines == [
        "4 adopted by the platform+0 since the last platform meeting",
        "1 implemented+0 since the last platform meeting",
        "25% implementation rate",
        "3 late2 became late since the last platform meeting",
    ]
    summary = briefing(login_as(env["minister"])).html
    assert "Measures started" in summary


def test_the_pdf_tables_keep_rows_whole_repeat_headers_and_leave_no_orphan_page(
    app, env, login_as, monkeypatch
):
    """A list of late measures longer than a page: each row stays on one page, the column
    headings head every page the table runs over, and no page holds only a heading or a
    line left over."""
    from pypdf import PdfReader

    from coordination.dashboard import queries
    from coordination.measures.models import MeasureStatus
    from tests.measures import factories as mf

    monkeypatch.setattr(queries, "BRIEFING_LATE_LIMIT", 70)
    plan, lead = env["plan"], env["both"]
    today = env["today"]
    for number in range(60):
        mf.measure(
            plan, lead, MeasureStatus.IN_PROGRESS, f"8.{number}", plan.themes[0],
            deadline=today - timedelta(days=30 + number),
            title=f"Late measure with a title long enough to wrap over several lines in its "
            f"cell of the table, line after line after line, ending zq{number}x",
        )  # fmt: skip
    db.session.commit()
    client = login_as(env["minister"])
    reader = PdfReader(io.BytesIO(client.get("/dashboard/briefing.pdf").data))
    marking = app.config["BRIEFING_MARKING"]
    pages = [
        [
            line.strip()
            for line in page.extract_text().splitlines()
            if line.strip()
            and line.strip() != marking
            and not re.fullmatch(r"\d+ / \d+", line.strip())
        ]
        for page in reader.pages
    ]
    texts = [" ".join(lines) for lines in pages]
    with_rows = [index for index, text in enumerate(texts) if re.search(r"\b8\.\d+ —", text)]
    assert len(with_rows) >= 2  # the table runs over pages
    for index in with_rows:
        assert "Days late" in texts[index], f"page {index + 1} lacks the column headings"
    for number in range(60):
        holding = [i for i, text in enumerate(texts) if re.search(rf"\b8\.{number} —", text)]
        assert len(holding) == 1
        assert f"zq{number}x" in texts[holding[0]], f"row 8.{number} split over pages"
    headings = [text_of(h) for h in briefing(client).all("main h2, #main h2")]
    assert headings
    for index, lines in enumerate(pages):
        assert len(lines) >= 3, f"page {index + 1} is almost empty: {lines}"
        assert lines[-1] not in headings, f"page {index + 1} ends with a heading"


def test_the_page_is_kept_per_reader_until_the_plan_or_the_meetings_change(env, login_as):
    """The pack's content is rendered once per reader (it names places by the reader's
    rights) and shows the next write."""
    upcoming = env["meetings"]["upcoming"]
    upcoming.place = Texts.same("Shelter, Secret Street 1")
    upcoming.place_confidential = True
    db.session.commit()
    minister = login_as(env["minister"])
    assert "Secret Street" in briefing(minister).html
    assert "Secret Street" in briefing(minister).html  # from the cache
    # Another reader whose rights differ never gets the minister's pack.
    rapporteur = login_as(env["rapporteur"])
    assert "Secret Street" not in briefing(rapporteur).html
    upcoming.title = Texts.same("Platform, the renamed session")
    db.session.commit()
    assert "Platform, the renamed session" in briefing(login_as(env["minister"])).html
