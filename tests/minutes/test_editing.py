"""Writing minutes: preview, a revision per save, and concurrent edits that never overwrite."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coordination.core.errors import ConflictError
from coordination.db import db
from coordination.minutes import services
from coordination.minutes.models import Minutes, MinutesRevision
from coordination.users.models import Role
from tests import factories
from tests.conftest import sign_in
from tests.minutes import factories as mf


def _session(app, user):
    """A separate browser: its own cookie jar, logged in as ``user``."""
    return sign_in(app.test_client(), user)


def _revision_bodies(minutes_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(MinutesRevision.body)
            .where(MinutesRevision.minutes_id == minutes_id)
            .order_by(MinutesRevision.number)
        )
    )


def _current(minutes_id: int) -> Minutes:
    db.session.expire_all()
    return db.session.get(Minutes, minutes_id)


def test_the_second_saver_sees_both_texts_and_nothing_is_overwritten(world, app):
    minutes = mf.minutes(world["meeting"], body="original")
    colleague = factories.user(Role.SECRETARIAT, email="colleague@example.org")
    db.session.commit()
    sofie = _session(app, world["secretariat"])
    marc = _session(app, colleague)
    url = f"/minutes/{minutes.id}/edit"
    assert sofie.get(url).status_code == 200
    assert marc.get(url).status_code == 200
    loaded_version = minutes.version

    first = sofie.post(url, data={"body": "Sofie's text", "version": loaded_version, "save": "y"})
    assert first.status_code == 302

    second = marc.post(url, data={"body": "Marc's text", "version": loaded_version, "save": "y"})
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Sofie&#39;s text" in page  # theirs, saved
    assert "Marc&#39;s text" in page  # mine, not saved, in the form to edit or save
    assert "removed" in page
    assert "added" in page
    assert _current(minutes.id).body.nl == "Sofie's text"
    assert _revision_bodies(minutes.id) == ["original", "Sofie's text"]

    # Marc decides: he merges both texts and saves explicitly, on top of Sofie's version.
    current_version = _current(minutes.id).version
    assert f'name="version" type="hidden" value="{current_version}"' in page
    merged = marc.post(
        url, data={"body": "Sofie's text\n\nMarc's text", "version": current_version, "save": "y"}
    )
    assert merged.status_code == 302
    assert _revision_bodies(minutes.id) == [
        "original",
        "Sofie's text",
        "Sofie's text\n\nMarc's text",
    ]


def test_keeping_theirs_changes_nothing(world, app):
    minutes = mf.minutes(world["meeting"], body="original")
    db.session.commit()
    client = _session(app, world["secretariat"])
    stale = minutes.version
    services.save_minutes_text(
        minutes, language="nl", body="theirs", expected_version=stale, actor=world["secretariat"]
    )
    db.session.commit()
    response = client.post(
        f"/minutes/{minutes.id}/edit", data={"body": "mine", "version": stale, "save": "y"}
    )
    assert response.status_code == 409
    assert f'href="/minutes/{minutes.id}"' in response.get_data(as_text=True)
    assert _current(minutes.id).body.nl == "theirs"


@pytest.mark.commits
def test_a_write_between_read_and_save_is_caught_by_the_database(world):
    """Two requests pass the version check at the same moment: the row version decides."""
    minutes = mf.minutes(world["meeting"], body="original")
    db.session.commit()
    version = minutes.version
    assert minutes.body.nl == "original"  # loaded in this session
    with db.engine.begin() as other:
        other.execute(
            sa.text("UPDATE minutes SET body_nl = 'theirs', version = version + 1 WHERE id = :id"),
            {"id": minutes.id},
        )
    with pytest.raises(ConflictError):
        services.save_minutes_text(
            minutes,
            language="nl",
            body="mine",
            expected_version=version,
            actor=world["secretariat"],
        )
    db.session.rollback()
    assert _current(minutes.id).body.nl == "theirs"


def test_preview_renders_sanitised_html_and_saves_nothing(world, login_as):
    minutes = mf.minutes(world["meeting"], body="original")
    db.session.commit()
    client = login_as(world["secretariat"])
    response = client.post(
        f"/minutes/{minutes.id}/edit",
        data={
            "body": (
                "## Shelter capacity\n\n<script>alert(1)</script>\n\n"
                "| a | b |\n|---|---|\n| 1 | 2 |"
            ),
            "version": minutes.version,
            "preview": "y",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h3>Shelter capacity</h3>" in page
    assert "<table>" in page
    assert "<script>alert(1)</script>" not in page
    assert _current(minutes.id).body.nl == "original"
    assert len(_revision_bodies(minutes.id)) == 1


def test_every_save_is_a_revision_and_an_unchanged_save_is_not(world, login_as):
    minutes = mf.minutes(world["meeting"], body="v1")
    db.session.commit()
    client = login_as(world["secretariat"])
    url = f"/minutes/{minutes.id}/edit"
    for body in ("v2", "v3"):
        version = _current(minutes.id).version
        assert (
            client.post(url, data={"body": body, "version": version, "save": "y"}).status_code
            == 302
        )
    version = _current(minutes.id).version
    assert client.post(url, data={"body": "v3", "version": version, "save": "y"}).status_code == 302
    assert _revision_bodies(minutes.id) == ["v1", "v2", "v3"]


def test_an_empty_text_is_refused_with_400_and_nothing_changes(world, login_as):
    minutes = mf.minutes(world["meeting"], body="v1")
    db.session.commit()
    response = login_as(world["secretariat"]).post(
        f"/minutes/{minutes.id}/edit", data={"body": "", "version": minutes.version, "save": "y"}
    )
    assert response.status_code == 400
    assert _current(minutes.id).body.nl == "v1"


def test_starting_minutes_twice_shows_the_conflict_page(world, app):
    meeting = world["meeting"]
    colleague = factories.user(Role.SECRETARIAT, email="colleague@example.org")
    db.session.commit()
    first, second = _session(app, world["secretariat"]), _session(app, colleague)
    url = f"/minutes/meeting/{meeting.id}/new"
    assert first.post(url, data={"body": "first start", "save": "y"}).status_code == 302
    response = second.post(url, data={"body": "second start", "save": "y"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "first start" in page
    assert "second start" in page
    assert db.session.scalar(sa.select(sa.func.count(Minutes.id))) == 1


def test_approved_minutes_send_the_editor_back(world, login_as):
    from coordination.minutes.models import MinutesStatus

    minutes = mf.minutes(
        world["meeting"], status=MinutesStatus.APPROVED, author=world["secretariat"]
    )
    db.session.commit()
    client = login_as(world["secretariat"])
    response = client.post(
        f"/minutes/{minutes.id}/edit", data={"body": "x", "version": minutes.version, "save": "y"}
    )
    assert response.status_code == 302
    assert _current(minutes.id).body.nl == mf.BODY


def test_two_simultaneous_starts_keep_the_first(world, monkeypatch):
    """Both requests saw no minutes; the database's unique meeting_id decides."""
    services.create_minutes(world["meeting"], body="first", actor=world["secretariat"])
    db.session.commit()
    monkeypatch.setattr(services, "minutes_of_meeting", lambda meeting_id: None)
    with pytest.raises(ConflictError):
        services.create_minutes(world["meeting"], body="second", actor=world["secretariat"])
    db.session.rollback()
    assert db.session.scalars(sa.select(Minutes.body_nl)).all() == ["first"]
