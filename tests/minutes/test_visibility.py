"""Who may read which minutes, by any URL: unpublished minutes are the secretariat's only;
published minutes reach the agencies that sat in the forum on the meeting date (and
ministers and the rapporteur). Everyone else gets the same 404 as for nothing at all."""

from __future__ import annotations

from datetime import date

import pytest
from flask import render_template
from flask_login import login_user

from coordination.core.sections import page_sections
from coordination.db import db
from coordination.minutes.models import MinutesStatus
from tests import factories
from tests.minutes import factories as mf

READER_PATHS = ["", ".pdf", ".html", "/revisions", "/revisions/1", "/diff?old=1&new=1"]
SECRETARIAT_PATHS = ["/edit", "/attendance", "/decisions", "/follow-ups"]
OTHERS = ["rep_both", "rep_bureau", "rep_platform", "minister", "rapporteur"]


@pytest.mark.parametrize("status", [MinutesStatus.DRAFT, MinutesStatus.APPROVED])
@pytest.mark.parametrize("role", OTHERS)
def test_unpublished_minutes_are_404_for_everyone_but_the_secretariat(
    world, login_as, role, status
):
    minutes = mf.minutes(world["meeting"], status=status, author=world["secretariat"])
    db.session.commit()
    client = login_as(world[role])
    for path in READER_PATHS + SECRETARIAT_PATHS:
        assert client.get(f"/minutes/{minutes.id}{path}").status_code == 404, path


def test_the_secretariat_reads_drafts_by_every_url(world, login_as):
    minutes = mf.minutes(world["meeting"])
    db.session.commit()
    client = login_as(world["secretariat"])
    for path in READER_PATHS + SECRETARIAT_PATHS:
        assert client.get(f"/minutes/{minutes.id}{path}").status_code == 200, path


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("rep_both", 200),
        ("rep_bureau", 200),
        ("rep_platform", 404),
        ("minister", 200),
        ("rapporteur", 200),
    ],
)
def test_published_minutes_follow_the_forum(world, login_as, role, status):
    minutes = mf.minutes(world["meeting"], status=MinutesStatus.PUBLISHED)
    db.session.commit()
    client = login_as(world[role])
    for path in READER_PATHS:
        assert client.get(f"/minutes/{minutes.id}{path}").status_code == status, path
    # Readers may read, never write: 403 when they know the minutes exist, else 404.
    for path in SECRETARIAT_PATHS:
        assert client.get(f"/minutes/{minutes.id}{path}").status_code == (
            403 if status == 200 else 404
        ), path


@pytest.mark.parametrize(
    ("since", "until"),
    [
        (date(2024, 6, 1), None),  # joined the bureau after the meeting of 14 May 2024
        (date(2020, 1, 1), date(2024, 5, 13)),  # left the day before
    ],
)
def test_membership_on_the_meeting_date_decides(world, login_as, since, until):
    agency = factories.agency("LATECOMER")
    factories.membership(world["bureau"], agency, since=since, until=until)
    rep = factories.user(agency_=agency)
    minutes = mf.minutes(world["meeting"], status=MinutesStatus.PUBLISHED)
    db.session.commit()
    client = login_as(rep)
    for path in READER_PATHS:
        assert client.get(f"/minutes/{minutes.id}{path}").status_code == 404, path
    assert b"Bureau May 2024" not in client.get("/minutes/").data


def test_unpublished_revisions_of_published_minutes_stay_hidden(world, login_as):
    minutes = mf.minutes(world["meeting"], body="draft text with a confidential remark")
    mf.revision(minutes, "approved text", published=True)
    minutes.status = MinutesStatus.PUBLISHED
    minutes.approved_by = minutes.published_by = world["secretariat"]
    minutes.approved_at = minutes.published_at = mf.PUBLISHED_AT
    db.session.commit()
    reader = login_as(world["rep_bureau"])
    base = f"/minutes/{minutes.id}"
    assert reader.get(f"{base}/revisions/2").status_code == 200
    assert reader.get(f"{base}/revisions/1").status_code == 404
    assert reader.get(f"{base}/diff?old=1&new=2").status_code == 404
    assert reader.get(f"{base}/diff?old=2&new=1").status_code == 404
    listing = reader.get(f"{base}/revisions")
    assert b"confidential remark" not in listing.data
    assert f'{base}/revisions/1"'.encode() not in listing.data
    secretariat = login_as(world["secretariat"])
    assert secretariat.get(f"{base}/revisions/1").status_code == 200
    assert secretariat.get(f"{base}/diff?old=1&new=2").status_code == 200


def test_guessing_another_minutes_revision_or_part_is_404(world, login_as):
    visible = mf.minutes(world["meeting"], status=MinutesStatus.PUBLISHED)
    other_meeting = factories.meeting(world["platform"], title="Platform meeting")
    hidden = mf.minutes(other_meeting, status=MinutesStatus.PUBLISHED)
    mf.revision(hidden, "second", published=True)
    decision = mf.decision(hidden)
    db.session.commit()
    reader = login_as(world["rep_bureau"])
    assert reader.get(f"/minutes/{visible.id}/revisions/2").status_code == 404
    assert reader.get(f"/minutes/{hidden.id}/revisions/2").status_code == 404
    assert reader.get(f"/minutes/{visible.id}/diff?old=1&new=2").status_code == 404
    for bad in ("0", "-1", "abc", "99999999999"):
        assert reader.get(f"/minutes/{bad}").status_code == 404
        assert reader.get(f"/minutes/{visible.id}/revisions/{bad}").status_code == 404
    assert reader.get(f"/minutes/{visible.id}/diff?old=x&new=1").status_code == 404
    assert reader.get(f"/minutes/{visible.id}/diff?old=1&new=99999999999").status_code == 404
    assert reader.get(f"/minutes/{visible.id}/diff?old=-1&new=1").status_code == 404
    assert reader.get("/minutes/?page=99999999999999999999").status_code == 200
    assert reader.get("/minutes/?page=-3").status_code == 200
    secretariat = login_as(world["secretariat"])
    response = secretariat.post(f"/minutes/{visible.id}/decisions/{decision.id}/delete")
    assert response.status_code == 404


def test_the_list_shows_only_what_the_reader_may_read(world, login_as):
    mf.minutes(world["meeting"], status=MinutesStatus.PUBLISHED)
    platform = factories.meeting(world["platform"], title="Platform spring session")
    mf.minutes(platform, status=MinutesStatus.PUBLISHED)
    draft_meeting = factories.meeting(world["bureau"], title="Bureau June draft")
    mf.minutes(draft_meeting)
    db.session.commit()
    page = login_as(world["rep_bureau"]).get("/minutes/").data
    assert b"Bureau May 2024" in page
    assert b"Platform spring session" not in page
    assert b"Bureau June draft" not in page
    page = login_as(world["secretariat"]).get("/minutes/").data
    assert b"Bureau June draft" in page


def _render_meeting_section(app, user, meeting) -> str:
    with app.test_request_context("/"):
        login_user(user)
        sections = page_sections("meeting", meeting)
        return render_template("minutes/_meeting_section.html", meeting=meeting, sections=sections)


def test_meeting_page_section_links_only_what_the_user_may_open(world, app):
    meeting = world["meeting"]
    html = _render_meeting_section(app, world["secretariat"], meeting)
    assert f"/minutes/meeting/{meeting.id}/new" in html
    assert _render_meeting_section(app, world["rep_bureau"], meeting).strip() == ""

    minutes = mf.minutes(meeting)
    db.session.commit()
    assert f"/minutes/{minutes.id}.pdf" in _render_meeting_section(
        app, world["secretariat"], meeting
    )
    assert "/minutes/" not in _render_meeting_section(app, world["rep_bureau"], meeting)

    minutes.status = MinutesStatus.PUBLISHED
    minutes.approved_by = minutes.published_by = world["secretariat"]
    minutes.approved_at = minutes.published_at = mf.PUBLISHED_AT
    db.session.commit()
    html = _render_meeting_section(app, world["rep_bureau"], meeting)
    for suffix in ("", ".pdf", ".html"):
        assert f'/minutes/{minutes.id}{suffix}"' in html
    assert "/new" not in html


@pytest.mark.parametrize(
    ("role", "path", "template"),
    [
        ("rep_bureau", "", "minutes/show.html"),
        ("secretariat", "", "minutes/show.html"),
        ("secretariat", "/decisions", "minutes/decisions.html"),
    ],
)
def test_minutes_pages_query_nothing_while_rendering(
    world, login_as, queries_while_rendering, role, path, template
):
    """The decisions taken on measures come with the view (core.sections), not from the
    template."""
    minutes = mf.minutes(
        world["meeting"], status=MinutesStatus.PUBLISHED, author=world["secretariat"]
    )
    mf.decision(minutes)
    mf.follow_up(minutes, world["both"])
    db.session.commit()
    client = login_as(world[role])
    minutes_id = minutes.id
    # As in a real request: nothing the test loaded is already in the session.
    db.session.expunge_all()
    with queries_while_rendering(template) as watch:
        response = client.get(f"/minutes/{minutes_id}{path}")
    assert response.status_code == 200
    assert watch.renders == 1
    assert watch.statements == []
