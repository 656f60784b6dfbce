"""What reaches a form's validators is what a browser sends: a form encoding, text in text
fields, every field present or empty, single lines without line breaks or bidi overrides."""

from __future__ import annotations

import io
import json

import pytest

from coordination.core.forms import one_line, several_lines
from coordination.core.urls import safe_next_url
from coordination.db import db
from coordination.meetings.models import AgendaItem
from tests import factories


@pytest.fixture
def meeting(app):
    world = factories.world()
    found = factories.meeting(world["bureau"])
    item = factories.agenda_item(found, "Cases and trends", presenting_agency=world["both"])
    db.session.commit()
    return {"meeting": found, "item": item, "secretariat": world["secretariat"]}


def items(meeting) -> list[str]:
    return list(
        db.session.scalars(
            db.select(AgendaItem.title_nl).where(AgendaItem.meeting_id == meeting.id)
        )
    )


def test_a_json_body_is_refused_with_a_message(meeting, login_as):
    client = login_as(meeting["secretariat"])
    response = client.post(
        f"/meetings/{meeting['meeting'].id}/agenda/new",
        data=json.dumps({"title": ["a", "list"], "kind": {"x": 1}}),
        content_type="application/json",
    )
    assert response.status_code == 415
    assert "only accepts what its form sends" in response.get_data(as_text=True)
    assert items(meeting["meeting"]) == ["Cases and trends"]


def test_a_file_where_text_is_expected_is_not_text(meeting, login_as):
    client = login_as(meeting["secretariat"])
    response = client.post(
        f"/meetings/{meeting['meeting'].id}/agenda/new",
        data={"title-nl": (io.BytesIO(b"title as a file"), "t.txt"), "kind": "information"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert items(meeting["meeting"]) == ["Cases and trends"]


def test_a_field_left_out_is_empty_not_the_saved_value(meeting, login_as):
    """The edit form without ``presenting_agency`` once coerced ``<Agency CU>`` to a number."""
    client = login_as(meeting["secretariat"])
    item = meeting["item"]
    response = client.post(
        f"/meetings/agenda/{item.id}/edit",
        data={"title-nl": "Cases", "kind": "information", "version": str(item.version)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id).presenting_agency_id is None


def test_single_lines_lose_line_breaks_controls_and_bidi_overrides(meeting, login_as):
    client = login_as(meeting["secretariat"])
    client.post(
        f"/meetings/{meeting['meeting'].id}/agenda/new",
        data={"title-nl": "Evil\r\nBcc: x@evil\u202e.fdp\x07", "kind": "information"},
    )
    assert "Evil Bcc: x@evil.fdp" in items(meeting["meeting"])


def test_the_normalisers():
    assert one_line("a\r\nb\tc\x00d\u2066e\u2069") == "a b cde"
    assert several_lines("a\r\nb\rc\td\x1b\u202e") == "a\nb\nc\td"
    assert one_line(None) is None


@pytest.mark.parametrize("target", [None, 42, ["/x"], {"a": 1}, b"/bytes"])
def test_a_next_url_that_is_not_text_is_ignored(target):
    assert safe_next_url(target) is None
