"""Double clicks and simultaneous requests answer normally and do things once."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from coordination.db import db
from coordination.feeds.models import FeedToken
from coordination.meetings.models import AgendaItem
from coordination.users.models import User
from tests import factories


@pytest.fixture
def world(app):
    objects = factories.world()
    objects["meeting"] = factories.meeting(objects["bureau"])
    db.session.commit()
    return objects


def agenda_titles(meeting) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AgendaItem.title_nl).where(AgendaItem.meeting_id == meeting.id)
        )
    )


def test_a_double_click_adds_one_agenda_item(world, login_as):
    client = login_as(world["secretariat"])
    url = f"/meetings/{world['meeting'].id}/agenda/new"
    data = {"title-nl": "Cases and trends", "kind": "information"}
    first, second, third = (client.post(url, data=data) for _ in range(3))
    assert first.status_code == 302
    assert second.status_code == third.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert agenda_titles(world["meeting"]) == ["Cases and trends"]
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "This was already done" in page


def test_a_refused_form_may_be_sent_again(world, login_as):
    client = login_as(world["secretariat"])
    url = f"/meetings/{world['meeting'].id}/agenda/new"
    assert client.post(url, data={"title-nl": "", "kind": "information"}).status_code == 400
    assert client.post(url, data={"title-nl": "", "kind": "information"}).status_code == 400


@pytest.mark.commits
def test_simultaneous_double_submits_add_one_item(app, world, login_as):
    """Two copies of the same form at the same moment: the second waits, then follows."""
    client = login_as(world["secretariat"])
    url = f"/meetings/{world['meeting'].id}/agenda/new"
    statuses: list[int] = []

    def submit() -> None:
        statuses.append(
            client.post(url, data={"title-nl": "AOB", "kind": "information"}).status_code
        )

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [302, 303]
    db.session.expire_all()
    assert agenda_titles(world["meeting"]) == ["AOB"]


@pytest.mark.commits
def test_two_language_changes_at_once_do_not_conflict(app, world):
    """Another request changed the language (and the row) between our read and our write."""
    from coordination.users.services import set_preferred_language

    user = world["rep_both"]
    db.session.get(User, user.id)  # this request has read the row (and its version)
    with db.engine.begin() as other_request:
        other_request.execute(
            sa.update(User.__table__)
            .where(User.__table__.c.id == user.id)
            .values(locale="fr", version=User.__table__.c.version + 1)
        )
    set_preferred_language(user, "nl")
    db.session.commit()  # used to raise StaleDataError (a 500)
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "nl"


def test_two_create_my_calendar_address_at_once(world, monkeypatch):
    """The other request created the address after this one looked (both saw none): this one
    replaces it instead of failing on the unique key (a 500)."""
    from coordination.feeds import services

    user = world["rep_both"]
    services.issue_feed_token(user, actor=user)  # the other request, first
    db.session.flush()
    monkeypatch.setattr(services, "get_feed_token", _none_then(services.get_feed_token))
    token = services.issue_feed_token(user, actor=user)
    db.session.commit()
    [stored] = db.session.scalars(sa.select(FeedToken)).all()
    assert stored.token_hash == services.hash_token(token)


def _none_then(function):
    """``function``, except that its first call answers None (what a racing request saw)."""
    calls = []

    def patched(*args):
        calls.append(args)
        return None if len(calls) == 1 else function(*args)

    return patched
