"""The PDF and the self-contained HTML file."""

from __future__ import annotations

import re
import zlib

import pytest

from coordination.core import documents
from coordination.core.texts import Texts
from coordination.db import db
from coordination.minutes.models import MinutesStatus, Presence
from tests.minutes import factories as mf

BODY = (
    "## Cases and trends\n\nThe ECOSOC teams ran **240** inspections.\n\n"
    "| Indicator | 2024 |\n|---|--:|\n| Referrals | 1,409 |\n\nSee the report[^1].\n\n"
    "[^1]: Myria, annual report.\n"
)


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's compressed streams inflated: where WeasyPrint writes the catalog (/Lang)."""
    inflated = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:  # not Flate-compressed
            continue
    return b"\n".join(inflated)


@pytest.fixture
def published(world):
    minutes = mf.minutes(world["meeting"], status=MinutesStatus.PUBLISHED, body=BODY)
    mf.attendance(minutes, world["both"], Presence.PRESENT)
    mf.attendance(minutes, world["bureau_only"], Presence.EXCUSED)
    mf.decision(minutes, "The bureau adopts the **ECOSOC** figures.")
    mf.follow_up(minutes, world["bureau_only"])
    db.session.commit()
    return minutes


def test_pdf_download(world, login_as, published):
    response = login_as(world["rep_bureau"]).get(f"/minutes/{published.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="minutes-bureau-2024-05-14.pdf"'
    )
    assert "no-store" in response.headers["Cache-Control"]


def test_html_download_is_self_contained(world, login_as, published):
    response = login_as(world["rep_bureau"]).get(f"/minutes/{published.id}.html")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="minutes-bureau-2024-05-14.html"'
    )
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<!doctype html>")
    assert "<style>" in html
    assert "240</strong> inspections" in html
    assert "<table>" in html
    assert "Excused" in html
    assert "adopts the <strong>ECOSOC</strong> figures" in html
    assert "Send the shelter capacity figures" in html
    # The status badge looks as it does on the pages: the pages' badge stylesheet is inlined.
    assert '<span class="tag tag-published">' in html
    assert (documents.CSS_FOLDER / "badges.css").read_text(encoding="utf-8") in html
    # Nothing is fetched from anywhere: no stylesheet link, script, image, frame or CSS URL.
    assert "<link" not in html
    assert "<script" not in html
    assert re.search(r"\bsrc\s*=", html) is None
    assert "url(" not in html
    assert "@import" not in html
    assert re.search(r"https?://", html) is None
    # No forms or site navigation in a document.
    assert "<form" not in html
    assert "<nav" not in html


def test_draft_document_says_it_is_not_published(world, login_as):
    minutes = mf.minutes(world["meeting"])
    db.session.commit()
    html = login_as(world["secretariat"]).get(f"/minutes/{minutes.id}.html").get_data(as_text=True)
    assert "Not published" in html


def test_the_pdf_renderer_fetches_nothing(app):
    fetcher = documents._offline_fetcher()
    for url in ("http://127.0.0.1:9/x.png", "file:///etc/passwd", "data:text/plain,x"):
        with pytest.raises(ValueError, match="not fetched"):
            fetcher.fetch(url)
    with app.test_request_context("/"):
        pdf = documents.render_pdf('<p>x</p><img src="http://127.0.0.1:9/tracker.png">')
    assert pdf.startswith(b"%PDF")


def test_the_reading_view_is_printable(world, login_as, published):
    page = login_as(world["rep_bureau"]).get(f"/minutes/{published.id}").get_data(as_text=True)
    assert 'href="/static/css/print.css" media="print"' in page
    assert page.count("<h1") == 1
    assert f'href="/minutes/{published.id}.pdf"' in page
    assert f'href="/minutes/{published.id}.html"' in page


def test_a_french_reader_gets_the_minutes_in_french(world, login_as):
    """The same minutes, read by a Dutch and a French representative: decisions, actions and
    labels in each reader's language, in the PDF (its declared language) as on the page."""
    minutes = mf.minutes(world["meeting"], status=MinutesStatus.PUBLISHED, body=BODY)
    mf.decision(
        minutes,
        Texts(nl="Het bureau keurt de ECOSOC-cijfers goed.", fr="Le bureau approuve les chiffres."),
    )
    mf.follow_up(
        minutes, world["bureau_only"], Texts(nl="Cijfers bezorgen", fr="Envoyer les chiffres")
    )
    world["rep_both"].locale = "nl"
    world["rep_bureau"].locale = "fr"
    db.session.commit()
    french = login_as(world["rep_bureau"]).get(f"/minutes/{minutes.id}.html").get_data(as_text=True)
    assert "Le bureau approuve les chiffres." in french
    assert "Envoyer les chiffres" in french
    assert "keurt" not in french
    assert '<html lang="fr"' in french
    pdf = login_as(world["rep_bureau"]).get(f"/minutes/{minutes.id}.pdf").data
    assert b"/Lang (fr)" in pdf_objects(pdf)
    dutch = login_as(world["rep_both"]).get(f"/minutes/{minutes.id}.html").get_data(as_text=True)
    assert "Het bureau keurt de ECOSOC-cijfers goed." in dutch
    assert "Envoyer" not in dutch
