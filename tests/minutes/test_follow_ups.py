"""Follow-up actions: on the owner agency's home page once published, until done."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from coordination.auth.policy import can
from coordination.db import db
from coordination.minutes.models import FollowUpAction, FollowUpStatus, MinutesStatus
from tests import factories
from tests.minutes import factories as mf

ACTION = "Send the shelter capacity figures to the secretariat"


@pytest.fixture
def published(world):
    minutes = mf.minutes(world["meeting"], status=MinutesStatus.PUBLISHED)
    action = mf.follow_up(minutes, world["bureau_only"], ACTION)
    db.session.commit()
    return SimpleNamespace(minutes=minutes, action=action)


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_owner_agency_sees_its_open_action_at_home(world, login_as, published):
    page = _home(login_as(world["rep_bureau"]))
    assert ACTION in page
    assert f"/minutes/{published.minutes.id}" in page
    assert f"/minutes/follow-ups/{published.action.id}/status" in page


def test_other_agencies_do_not(world, login_as, published):
    for role in ("rep_both", "rep_platform", "minister", "rapporteur"):
        assert ACTION not in _home(login_as(world[role])), role


def test_the_secretariat_sees_every_open_action(world, login_as, published):
    page = _home(login_as(world["secretariat"]))
    assert ACTION in page
    assert "BUREAUONLY" in page


def test_an_overdue_action_is_marked_so_for_its_owner_and_the_secretariat(
    world, login_as, published
):
    later = mf.follow_up(
        published.minutes, world["bureau_only"], "Later action", due_date=date(2999, 1, 1)
    )
    db.session.commit()
    for role in ("rep_bureau", "secretariat"):
        rows = _home(login_as(world[role])).split("<tr>")
        overdue = [row for row in rows if 'class="overdue"' in row]
        assert len(overdue) == 1, role
        assert ACTION in overdue[0]
        assert any(later.description.en in row for row in rows)


@pytest.mark.parametrize("status", [MinutesStatus.DRAFT, MinutesStatus.APPROVED])
def test_actions_of_unpublished_minutes_do_not_leak(world, login_as, status):
    minutes = mf.minutes(world["meeting"], status=status, author=world["secretariat"])
    mf.follow_up(minutes, world["bureau_only"], ACTION)
    db.session.commit()
    assert ACTION not in _home(login_as(world["rep_bureau"]))
    assert ACTION not in _home(login_as(world["secretariat"]))


def test_the_owner_marks_it_done_and_it_leaves_the_home_page(world, login_as, published):
    client = login_as(world["rep_bureau"])
    response = client.post(
        f"/minutes/follow-ups/{published.action.id}/status",
        data={"status": "done", "version": published.action.version, "next": "/"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    db.session.expire_all()
    action = db.session.get(FollowUpAction, published.action.id)
    assert action.status is FollowUpStatus.DONE
    assert action.closed_at is not None
    assert ACTION not in _home(client)


def test_a_stale_status_form_changes_nothing(world, login_as, published):
    client = login_as(world["rep_bureau"])
    url = f"/minutes/follow-ups/{published.action.id}/status"
    version = published.action.version
    client.post(url, data={"status": "in_progress", "version": version})
    client.post(url, data={"status": "done", "version": version})
    db.session.expire_all()
    assert db.session.get(FollowUpAction, published.action.id).status is FollowUpStatus.IN_PROGRESS


def test_an_open_redirect_through_next_is_refused(world, login_as, published):
    response = login_as(world["rep_bureau"]).post(
        f"/minutes/follow-ups/{published.action.id}/status",
        data={"status": "done", "version": published.action.version, "next": "//evil.example"},
    )
    assert response.headers["Location"] == f"/minutes/{published.minutes.id}"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("secretariat", 303),
        ("rep_bureau", 303),
        ("rep_both", 403),  # may read the minutes, does not own the action
        ("minister", 403),
        ("rapporteur", 403),
        ("rep_platform", 404),  # may not know the minutes exist
    ],
)
def test_who_may_update_an_action(world, login_as, published, role, expected):
    response = login_as(world[role]).post(
        f"/minutes/follow-ups/{published.action.id}/status",
        data={"status": "done", "version": published.action.version},
    )
    assert response.status_code == expected


def test_policy_owner_only_after_publication(world):
    minutes = SimpleNamespace(
        status="draft",
        meeting=SimpleNamespace(forum_id=world["bureau"].id, local_date=date(2024, 5, 14)),
    )
    action = SimpleNamespace(owner_agency_id=world["bureau_only"].id, minutes=minutes)
    assert can(world["rep_bureau"], "followups.update", action) is False
    assert can(world["secretariat"], "followups.update", action) is True
    minutes.status = "published"
    assert can(world["rep_bureau"], "followups.update", action) is True
    assert can(world["rep_both"], "followups.update", action) is False


def test_the_owner_must_have_sat_in_the_forum(world, login_as):
    minutes = mf.minutes(world["meeting"])
    db.session.commit()
    client = login_as(world["secretariat"])
    url = f"/minutes/{minutes.id}/follow-ups"
    page = client.get(url).get_data(as_text=True)
    assert 'value="BUREAUONLY"' in page
    assert 'value="PLATFORMONLY"' not in page
    response = client.post(url, data={"description-nl": ACTION, "owner": "PLATFORMONLY"})
    assert response.status_code == 400
    response = client.post(
        url, data={"description-nl": ACTION, "owner": "BUREAUONLY", "due_date": "2024-07-01"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    action = db.session.scalar(db.select(FollowUpAction))
    assert action.owner_agency.code == "BUREAUONLY"
    assert action.due_date == date(2024, 7, 1)


def test_the_home_page_runs_a_bounded_number_of_statements(world, login_as, count_queries):
    client = login_as(world["rep_bureau"])

    def statements_with(count: int) -> int:
        meeting = factories.meeting(world["bureau"])
        minutes = mf.minutes(meeting, status=MinutesStatus.PUBLISHED)
        for number in range(count):
            mf.follow_up(minutes, world["bureau_only"], f"Action {number}")
        db.session.commit()
        with count_queries() as counter:
            assert client.get("/").status_code == 200
        return counter.count

    assert statements_with(2) == statements_with(10)
