"""Documents: what is accepted, how names are cleaned, where bytes go, who may download."""

from __future__ import annotations

import io
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from coordination.audit.models import AuditEvent
from coordination.core.time import brussels_to_utc
from coordination.db import db
from coordination.meetings import services
from coordination.meetings.models import Document
from coordination.meetings.storage import UploadRefused, display_name, path_for
from tests import factories
from tests.meetings import files

MB = 1024 * 1024


@pytest.fixture
def meeting(world):
    obj = factories.meeting(world["bureau"], starts_at=brussels_to_utc(date(2026, 7, 14), time(10)))
    db.session.commit()
    return obj


def store(app, meeting, name, content, max_bytes=25 * MB, item=None):
    document = services.store_document(
        meeting, stream=io.BytesIO(content), filename=name, agenda_item=item, actor=None,
        upload_dir=app.config["UPLOAD_DIR"], max_bytes=max_bytes,
    )  # fmt: skip
    db.session.commit()
    return document


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("Agenda.pdf", files.PDF, "application/pdf"),
        ("Procès-verbal été 2026.PDF", files.PDF, "application/pdf"),
        ("notes.docx", files.DOCX, "application/vnd.openxmlformats-officedocument."
         "wordprocessingml.document"),
        ("figures.xlsx", files.XLSX, "application/vnd.openxmlformats-officedocument."
         "spreadsheetml.sheet"),
        ("nota.odt", files.ODT, "application/vnd.oasis.opendocument.text"),
        ("cijfers.ods", files.ODS, "application/vnd.oasis.opendocument.spreadsheet"),
        ("old.doc", files.OLE2, "application/msword"),
        ("old.xls", files.OLE2, "application/vnd.ms-excel"),
        ("chart.png", files.PNG, "image/png"),
        ("photo.jpeg", files.JPEG, "image/jpeg"),
        ("photo.jpg", files.JPEG, "image/jpeg"),
        ("anim.gif", files.GIF, "image/gif"),
        ("pic.webp", files.WEBP, "image/webp"),
    ],
)  # fmt: skip
def test_accepted_files_are_stored_under_their_hash(app, meeting, name, content, media_type):
    document = store(app, meeting, name, content)
    assert document.media_type == media_type
    assert document.filename == name
    assert document.size_bytes == len(content)
    path = path_for(app.config["UPLOAD_DIR"], document.content_hash)
    assert path.parent.name == document.content_hash[:2]
    assert path.read_bytes() == content
    assert stored_files(app) == [path]  # no temporary file left behind


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", files.EXE, "type .exe are not accepted"),
        ("invoice.pdf", files.EXE, "not a .pdf file"),  # an .exe renamed .pdf
        ("page.html", files.HTML, "type .html are not accepted"),
        ("logo.svg", files.SVG, "type .svg are not accepted"),
        ("page.pdf", files.HTML, "not a .pdf file"),
        ("chart.pdf", files.PNG, "not a .pdf file"),
        ("report.docx", files.PLAIN_ZIP, "not a .docx file"),
        ("report.docx", files.ODT, "not a .docx file"),
        ("book.odt", files.EPUB, "not a .odt file"),
        ("macro.docm", files.DOCX, "type .docm are not accepted"),
        ("README", files.PDF, "needs a name with an extension"),
        ("", files.PDF, "needs a name with an extension"),
        (".htaccess", files.PDF, "needs a name with an extension"),
        ("empty.pdf", b"", "The file is empty"),
        ("invoice\u202efdp.exe", files.EXE, "type .exe are not accepted"),
    ],
)
def test_refused_files_leave_nothing_behind(app, meeting, name, content, message):
    with pytest.raises(UploadRefused) as refused:
        store(app, meeting, name, content)
    assert message in str(refused.value.message)
    db.session.rollback()
    assert db.session.scalar(select(Document)) is None
    assert stored_files(app) == []


def test_too_large_is_refused_with_the_limit(app, meeting):
    with pytest.raises(UploadRefused, match="larger than 1 MB"):
        store(app, meeting, "big.pdf", files.PDF + b"\0" * MB, max_bytes=MB)
    assert stored_files(app) == []
    exactly = files.PDF + b"\0" * (MB - len(files.PDF))
    assert store(app, meeting, "fits.pdf", exactly, max_bytes=MB).size_bytes == MB


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system32\\evil.pdf", "evil.pdf"),
        ("/absolute/path/report.pdf", "report.pdf"),
        ("C:\\Users\\sofie\\Bureau 2026.pdf", "Bureau 2026.pdf"),
        ("report\x00.exe.pdf", "report.exe.pdf"),
        ("line\r\nbreak\t.pdf", "linebreak.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ('quote"d.pdf', "quote'd.pdf"),
        ("Procès-verbal — été.pdf", "Procès-verbal — été.pdf"),
        ("   spaced    out .pdf  ", "spaced out .pdf"),
    ],
)
def test_names_are_cleaned_but_stay_readable(raw, expected):
    assert display_name(raw) == expected


def test_long_names_are_capped_keeping_the_extension(app, meeting):
    document = store(app, meeting, "Verslag " * 60 + ".pdf", files.PDF)
    assert len(document.filename) <= 150
    assert document.filename.endswith(".pdf")


def test_path_tricks_never_reach_the_file_system(app, meeting):
    document = store(app, meeting, "../../../../tmp/escape.pdf", files.PDF)
    assert document.filename == "escape.pdf"
    (path,) = stored_files(app)
    assert path.is_relative_to(Path(app.config["UPLOAD_DIR"]))
    assert path.name == document.content_hash
    with pytest.raises(ValueError, match="SHA-256"):
        path_for(app.config["UPLOAD_DIR"], "../../etc/passwd")


def test_same_content_twice_is_one_file(app, meeting):
    first = store(app, meeting, "a.pdf", files.PDF)
    second = store(app, meeting, "b.pdf", files.PDF)
    assert first.content_hash == second.content_hash
    assert len(stored_files(app)) == 1


def test_delete_keeps_an_audit_record_and_removes_the_file_after_commit(app, meeting, world):
    first = store(app, meeting, "a.pdf", files.PDF)
    second = store(app, meeting, "b.pdf", files.PDF)
    path = path_for(app.config["UPLOAD_DIR"], first.content_hash)

    services.delete_document(first, actor=world["secretariat"], upload_dir=app.config["UPLOAD_DIR"])
    db.session.commit()
    assert path.exists()  # the second document still uses these bytes

    services.delete_document(
        second, actor=world["secretariat"], upload_dir=app.config["UPLOAD_DIR"]
    )
    db.session.rollback()  # changed our mind: nothing happens
    assert path.exists()
    assert db.session.get(Document, second.id) is not None

    services.delete_document(
        second, actor=world["secretariat"], upload_dir=app.config["UPLOAD_DIR"]
    )
    db.session.commit()
    assert not path.exists()
    records = list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "document.delete"))
    )
    assert [r.changes["filename"] for r in records] == ["a.pdf", "b.pdf"]
    assert records[1].changes["content_hash"] == first.content_hash
    assert records[1].actor_id == world["secretariat"].id


def test_an_item_of_another_meeting_is_refused(app, meeting, world):
    other = factories.meeting(world["bureau"])
    item = factories.agenda_item(other)
    db.session.commit()
    with pytest.raises(Exception, match="another meeting"):
        store(app, meeting, "a.pdf", files.PDF, item=item)
