"""The words of uploaded documents: read in the background (PDF, DOCX, ODT), found by search
within the forum's walls, and a hostile or broken file given up without hanging anything."""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import datetime

import pytest
from flask_login import login_user
from sqlalchemy import select

from coordination.core.time import BRUSSELS
from coordination.db import db
from coordination.meetings.models import Document, TextStatus
from coordination.meetings.services import store_document
from coordination.meetings.storage import path_for
from coordination.search import extraction, queries, readers
from coordination.search.extraction import MAX_CHARACTERS, read_waiting_documents
from coordination.search.index import rebuild_index
from coordination.search.models import SearchEntry, SearchKind
from coordination.search.queries import SearchFilters
from tests import factories
from tests.meetings import files
from tests.search.files import docx_with, lying_about_its_size, odt_with, pdf_with

# --- the world ------------------------------------------------------------------------------

BUREAU_DAY = datetime(2025, 3, 12, 10, 0, tzinfo=BRUSSELS)


def build_module_data() -> dict:
    world = factories.world()
    world["bureau_meeting"] = factories.meeting(world["bureau"], BUREAU_DAY, title="Bureau maart")
    world["platform_meeting"] = factories.meeting(
        world["platform"], BUREAU_DAY.replace(day=19), title="Platform maart"
    )
    return world


@pytest.fixture
def world(module_data):
    return module_data


def upload(app, world, name: str, content: bytes, meeting: str = "bureau_meeting") -> Document:
    return store_document(
        world[meeting],
        stream=io.BytesIO(content),
        filename=name,
        actor=world["secretariat"],
        upload_dir=app.config["UPLOAD_DIR"],
        max_bytes=app.config["MAX_UPLOAD_BYTES"],
    )


def found_documents(app, user, words: str) -> set[int]:
    with app.test_request_context():
        login_user(user)
        results = queries.search(user, SearchFilters(text=words), "nl")
    return {
        result.object_id
        for group in results.groups
        for result in group.results
        if result.kind is SearchKind.DOCUMENT
    }


def status_of(document: Document) -> TextStatus:
    db.session.expire(document)
    return document.text_status


# --- reading and finding --------------------------------------------------------------------

FILES = [
    pytest.param("verslag.pdf", pdf_with("Kerncijfers seizoenarbeid", "travailleurs saisonniers"),
                 "seizoenarbeid", "saisonniers", id="pdf"),
    pytest.param("nota.docx", docx_with("Uitzendkantoren in de vleessector", "abattoirs contrôlés"),
                 "uitzendkantoren", "abattoirs", id="docx"),
    pytest.param("note.odt", odt_with("Nagelstudio's", "Les salons de manucure visités"),
                 "nagelstudio", "manucure", id="odt"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "dutch", "french"), FILES)
def test_a_documents_words_are_found_once_the_worker_has_read_them(
    app, world, name, content, dutch, french
):
    document = upload(app, world, name, content)
    assert document.text_status is TextStatus.WAITING
    # The upload reads nothing: until the worker has, the file is found by its name alone.
    assert document.id not in found_documents(app, world["secretariat"], dutch)

    assert read_waiting_documents() == 1
    assert status_of(document) is TextStatus.EXTRACTED
    for word in (dutch, french):
        assert document.id in found_documents(app, world["secretariat"], word), word
        assert document.id in found_documents(app, world["rep_bureau"], word), word
        # Within the forum's walls: a platform-only agency finds nothing, counts nothing.
        assert found_documents(app, world["rep_platform"], word) == set()
    # The index rebuilt from the data says the same as the writes did.
    rows = db.session.scalars(
        select(SearchEntry.body).where(SearchEntry.kind == SearchKind.DOCUMENT)
    ).all()
    rebuild_index()
    assert (
        db.session.scalars(
            select(SearchEntry.body).where(SearchEntry.kind == SearchKind.DOCUMENT)
        ).all()
        == rows
    )


def test_a_platform_documents_words_stay_in_the_platform(app, world):
    document = upload(app, world, "brief.pdf", pdf_with("Ministeriele prioriteiten"),
                      meeting="platform_meeting")  # fmt: skip
    read_waiting_documents()
    assert found_documents(app, world["rep_platform"], "prioriteiten") == {document.id}
    assert found_documents(app, world["rep_bureau"], "prioriteiten") == set()


def test_the_same_file_twice_is_read_once(app, world, monkeypatch):
    content = pdf_with("Dubbel opgeladen verslag")
    first = upload(app, world, "verslag.pdf", content)
    second = upload(app, world, "verslag-kopie.pdf", content, meeting="platform_meeting")
    readings = []
    real = extraction.read_in_child

    def counted(*args, **kwargs):
        readings.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(extraction, "read_in_child", counted)
    assert read_waiting_documents() == 2
    assert len(readings) == 1
    assert status_of(first) is status_of(second) is TextStatus.EXTRACTED
    assert found_documents(app, world["secretariat"], "opgeladen") == {first.id, second.id}


def test_files_without_words_to_read_are_found_by_their_names(app, world):
    image = upload(app, world, "organigram-inspectie.png", files.PNG)
    sheet = upload(app, world, "cijfers.xlsx", files.XLSX)
    empty_pdf = upload(app, world, "scan.pdf", pdf_with())
    read_waiting_documents()
    assert status_of(image) is status_of(sheet) is status_of(empty_pdf) is TextStatus.NO_TEXT
    assert found_documents(app, world["secretariat"], "organigram") == {image.id}


def test_a_long_document_keeps_its_first_characters(app, world):
    words = [f"woord{number}" for number in range(30_000)]
    document = upload(app, world, "lang.docx", docx_with(" ".join(words), "einde"))
    read_waiting_documents()
    db.session.expire(document)
    assert document.text_status is TextStatus.EXTRACTED
    assert len(document.extracted_text) == MAX_CHARACTERS
    assert document.extracted_text.startswith("woord0 woord1 ")


# --- hostile and broken files ---------------------------------------------------------------

HOSTILE = [
    pytest.param("bom.docx", lying_about_its_size(docx_with("Verborgen", "tekst")), id="zip-bomb"),
    pytest.param("bom.odt", lying_about_its_size(odt_with("Verborgen", "tekst")), id="odt-bomb"),
    pytest.param("kapot.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 200, id="broken-pdf"),
    pytest.param("kapot.docx", files.DOCX, id="docx-without-a-body"),
    pytest.param("kapot.odt", files.ODT, id="odt-without-content"),
]


@pytest.mark.parametrize(("name", "content"), HOSTILE)
def test_a_hostile_or_broken_file_is_given_up_and_found_by_its_name(
    app, world, name, content, caplog
):
    document = upload(app, world, name, content)
    with caplog.at_level(logging.WARNING):
        assert read_waiting_documents() == 1
    assert status_of(document) is TextStatus.FAILED
    assert document.extracted_text is None
    assert "could not be read" in caplog.text
    stem = name.split(".")[0]
    assert found_documents(app, world["secretariat"], stem) == {document.id}


def test_a_reading_that_takes_too_long_is_stopped(app, world, caplog):
    document = upload(app, world, "traag.pdf", pdf_with("Traag"))
    # Shorter than a child process takes to start: the reader is killed, the worker goes on.
    app.config["SEARCH_EXTRACT_SECONDS"] = 0.01
    other = upload(app, world, "plaatje.png", files.PNG)
    with caplog.at_level(logging.WARNING):
        assert read_waiting_documents() == 2
    assert status_of(document) is TextStatus.FAILED
    assert status_of(other) is TextStatus.NO_TEXT
    assert "took more than" in caplog.text
    assert "traag.pdf" in caplog.text


def test_a_file_too_large_to_read_is_not_opened(app, world, monkeypatch):
    document = upload(app, world, "groot.pdf", pdf_with("Groot"))
    app.config["SEARCH_EXTRACT_MAX_BYTES"] = document.size_bytes - 1
    monkeypatch.setattr(extraction, "read_in_child", pytest.fail)
    read_waiting_documents()
    assert status_of(document) is TextStatus.FAILED


def test_a_missing_file_is_given_up(app, world):
    document = upload(app, world, "weg.pdf", pdf_with("Weg"))
    path_for(app.config["UPLOAD_DIR"], document.content_hash).unlink()
    read_waiting_documents()
    assert status_of(document) is TextStatus.FAILED


def test_a_document_deleted_while_it_is_read_is_skipped(app, world, monkeypatch):
    document = upload(app, world, "weg.pdf", pdf_with("Verdwenen"))
    real = extraction.read_document

    def deleted_meanwhile(doc):
        reading = real(doc)
        db.session.execute(Document.__table__.delete().where(Document.id == doc.id))
        return reading

    monkeypatch.setattr(extraction, "read_document", deleted_meanwhile)
    assert read_waiting_documents() == 1
    assert db.session.scalar(select(Document).where(Document.id == document.id)) is None


# --- the command ---------------------------------------------------------------------------


def test_flask_search_read_documents(app, world, runner):
    upload(app, world, "a.pdf", pdf_with("Een"))
    upload(app, world, "b.png", files.PNG)
    result = runner.invoke(args=["search", "read-documents"])
    assert result.exit_code == 0, result.output
    assert result.output == "Documents read: 2.\n"
    assert set(db.session.scalars(select(Document.text_status))) >= {
        TextStatus.EXTRACTED,
        TextStatus.NO_TEXT,
    }


def test_zip_sizes_are_checked_before_unpacking(tmp_path):
    bomb = tmp_path / "bom.docx"
    bomb.write_bytes(lying_about_its_size(docx_with("x", "y")))
    with pytest.raises(readers.Unreadable, match="unpacks to"):
        readers.read_words(bomb, readers.OOXML)
    with zipfile.ZipFile(io.BytesIO(docx_with("x", "y"))) as archive:
        assert sum(info.file_size for info in archive.infolist()) < readers.MAX_UNPACKED_BYTES


def test_the_secretariat_is_told_which_documents_search_finds_by_name_only(app, world, login_as):
    broken = upload(app, world, "kapot.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 200)
    upload(app, world, "verslag.pdf", pdf_with("Leesbaar verslag"))
    upload(app, world, "organigram.png", files.PNG)
    waiting = upload(app, world, "nieuw.docx", docx_with("Nog niet gelezen", "-"))
    read_waiting_documents(limit=3)
    assert status_of(broken) is TextStatus.FAILED
    assert status_of(waiting) is TextStatus.WAITING
    db.session.commit()
    note = "Search finds it by its name only: its text could not be read."
    page = login_as(world["secretariat"]).get(f"/meetings/{world['bureau_meeting'].id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # Once: the broken PDF; not the read one, the image (no words to read) or the waiting one.
    assert html.count(note) == 1
    assert html.index("kapot.pdf") < html.index(note) < html.index("verslag.pdf")
    # Those who do not manage the documents are not told about the files' insides.
    reader = login_as(world["rep_bureau"]).get(f"/meetings/{world['bureau_meeting'].id}")
    assert reader.status_code == 200
    assert note not in reader.get_data(as_text=True)
