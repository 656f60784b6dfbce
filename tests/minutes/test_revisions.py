"""Corrections of published minutes, the revision history and the differences between
revisions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coordination.core.errors import ValidationError
from coordination.db import db
from coordination.minutes import services
from coordination.minutes.diff import Change, line_diff, summary
from coordination.minutes.models import Minutes, MinutesRevision, MinutesStatus
from tests.minutes import factories as mf

ORIGINAL = "## NRM\n\n1,409 potential victims were referred.\n228 were recognised.\n"
CORRECTED = "## NRM\n\n1,409 potential victims were referred.\n229 were recognised.\n"


def _published(world) -> Minutes:
    minutes = mf.minutes(world["meeting"], status=MinutesStatus.APPROVED, body=ORIGINAL)
    services.publish_minutes(minutes, actor=world["secretariat"], notify=False)
    db.session.commit()
    return minutes


def test_readers_see_the_corrections_of_the_text_in_their_language(world, login_as):
    minutes = mf.minutes(world["meeting"], status=MinutesStatus.PUBLISHED, body=ORIGINAL)
    mf.revision(minutes, "## MNO\n\n228 victimes reconnues.\n", published=True, language="fr")
    mf.revision(minutes, CORRECTED, published=True, change_note="Erkende slachtoffers: 229.")
    db.session.commit()
    reader = login_as(world["rep_bureau"])
    dutch = reader.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "Erkende slachtoffers: 229." in dutch

    world["rep_bureau"].locale = "fr"
    db.session.commit()
    french = reader.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "228 victimes reconnues." in french
    assert "Erkende slachtoffers" not in french  # the Dutch text's note, not the French one's
    assert "Corrections depuis la publication" not in french


def test_a_correction_needs_a_change_note(world, login_as):
    minutes = _published(world)
    client = login_as(world["secretariat"])
    response = client.post(
        f"/minutes/{minutes.id}/edit",
        data={"body": CORRECTED, "version": minutes.version, "change_note": "", "save": "y"},
    )
    assert response.status_code == 400
    assert "change note" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Minutes, minutes.id).body.nl == ORIGINAL


def test_a_correction_is_a_new_published_revision_that_readers_see(world, login_as):
    minutes = _published(world)
    client = login_as(world["secretariat"])
    response = client.post(
        f"/minutes/{minutes.id}/edit",
        data={
            "body": CORRECTED,
            "version": minutes.version,
            "change_note": "Recognised victims: 229, not 228 (Myria's figure).",
            "save": "y",
        },
    )
    assert response.status_code == 302
    revisions = list(
        db.session.scalars(
            sa.select(MinutesRevision)
            .where(MinutesRevision.minutes_id == minutes.id)
            .order_by(MinutesRevision.number)
        )
    )
    assert [(r.number, r.published) for r in revisions] == [(1, True), (2, True)]
    assert revisions[1].published_at is not None

    reader = login_as(world["rep_bureau"])
    page = reader.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "229 were recognised" in page
    assert "Myria&#39;s figure" in page  # the change note, above the text
    assert "Corrections since publication" in page

    history = reader.get(f"/minutes/{minutes.id}/revisions").get_data(as_text=True)
    assert f"/minutes/{minutes.id}/revisions/1" in history
    assert f"/minutes/{minutes.id}/revisions/2" in history
    assert "228 were recognised" in reader.get(f"/minutes/{minutes.id}/revisions/1").get_data(
        as_text=True
    )

    diff = reader.get(f"/minutes/{minutes.id}/diff?old=1&new=2")
    assert diff.status_code == 200
    html = diff.get_data(as_text=True)
    assert "<del>228 were recognised.</del>" in html
    assert "<ins>229 were recognised.</ins>" in html
    assert "<strong>removed</strong>" in html
    assert "<strong>added</strong>" in html
    assert "<caption>" in html


def test_a_correction_must_change_the_text(world):
    minutes = _published(world)
    with pytest.raises(ValidationError, match="does not change"):
        services.save_minutes_text(
            minutes,
            language="nl",
            body=ORIGINAL,
            expected_version=minutes.version,
            actor=world["secretariat"],
            change_note="nothing",
        )


def test_draft_revisions_are_kept_for_the_secretariat(world, login_as):
    minutes = mf.minutes(world["meeting"], body="first draft")
    db.session.commit()
    services.save_minutes_text(
        minutes,
        language="nl",
        body="second draft",
        expected_version=minutes.version,
        actor=world["secretariat"],
    )
    db.session.commit()
    client = login_as(world["secretariat"])
    page = client.get(f"/minutes/{minutes.id}/revisions").get_data(as_text=True)
    assert "Revision 1" in page
    assert "Revision 2" in page
    diff = client.get(f"/minutes/{minutes.id}/diff?old=1&new=2").get_data(as_text=True)
    assert "<del>first draft</del>" in diff


def test_line_diff_labels_every_change_and_skips_far_unchanged_lines():
    old = "\n".join(f"line {n}" for n in range(1, 21))
    new = old.replace("line 10", "line ten") + "\nline 21"
    rows = line_diff(old, new, context=2)
    changes = [row.change for row in rows]
    assert changes[0] is Change.SKIPPED
    assert (Change.REMOVED, 10, None, "line 10") in [
        (r.change, r.old_number, r.new_number, r.text) for r in rows
    ]
    assert (Change.ADDED, None, 10, "line ten") in [
        (r.change, r.old_number, r.new_number, r.text) for r in rows
    ]
    assert Change.SKIPPED in changes[1:-1]
    assert rows[-1].change is Change.ADDED
    assert rows[-1].text == "line 21"
    assert summary(rows) == (2, 1)


def test_line_diff_of_equal_texts_is_empty():
    assert line_diff("a\nb", "a\nb") == []
    assert line_diff("", "") == []
    assert [r.change for r in line_diff("", "new")] == [Change.ADDED]
