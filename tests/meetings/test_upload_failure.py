"""When the server cannot store an upload (a full disk, a broken upload folder), the user is
told the file was not stored, nothing is attached, and the operator finds it in the log."""

from __future__ import annotations

import errno
import io
import logging

import pytest

from coordination.db import db
from coordination.meetings.models import Document
from tests import factories
from tests.meetings import files


@pytest.fixture
def meeting(world):
    found = factories.meeting(world["bureau"])
    db.session.commit()
    return found


def upload(client, meeting):
    return client.post(
        f"/meetings/{meeting.id}/documents/new",
        data={"file": (io.BytesIO(files.PDF), "agenda.pdf")},
        content_type="multipart/form-data",
    )


def test_an_unwritable_upload_folder(app, world, meeting, login_as, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the upload folder should be")
    app.config["UPLOAD_DIR"] = str(blocker / "uploads")
    with caplog.at_level(logging.ERROR):
        response = upload(login_as(world["secretariat"]), meeting)
    assert response.status_code == 400
    assert "could not be stored on the server" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 0
    assert any("not stored" in record.getMessage() for record in caplog.records)


def test_a_full_disk(app, world, meeting, login_as, monkeypatch):
    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("coordination.meetings.storage._copy_limited", no_space)
    response = upload(login_as(world["secretariat"]), meeting)
    assert response.status_code == 400
    assert "could not be stored on the server" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 0
