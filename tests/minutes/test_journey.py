"""Write, circulate to the members who comment, approve at the next meeting, publish; a member
reads; an outsider cannot."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from coordination.core.time import today_brussels
from coordination.db import db
from coordination.minutes.models import Minutes, MinutesComment, MinutesRevision, MinutesStatus
from coordination.notifications.models import OutboxMessage
from tests.minutes import factories as mf


def _version(minutes_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Minutes, minutes_id).version


def _approve_at_the_next_meeting(client, minutes: Minutes, world) -> None:
    until = (today_brussels() + timedelta(days=7)).isoformat()
    circulated = client.post(
        f"/minutes/{minutes.id}/circulate",
        data={"version": _version(minutes.id), "comments_until": until},
    )
    assert circulated.status_code == 303
    approved = client.post(
        f"/minutes/{minutes.id}/approve",
        data={"version": _version(minutes.id), "approved_by": str(world["next_meeting"].id)},
    )
    assert approved.status_code == 303
    db.session.expire_all()
    assert db.session.get(Minutes, minutes.id).status is MinutesStatus.APPROVED


def _circulate_comment_and_approve(client, minutes: Minutes, world, login_as) -> None:
    """The draft goes to the bureau's members; one comments on a section, the secretariat
    answers; the next meeting (whose first item is the approval) approves."""
    until = (today_brussels() + timedelta(days=7)).isoformat()
    circulated = client.post(
        f"/minutes/{minutes.id}/circulate",
        data={"version": _version(minutes.id), "comments_until": until},
    )
    assert circulated.status_code == 303
    mail = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == "bureau@example.org")
    )
    assert "reflection period" not in mail.body_text  # a link, never the draft
    next_meeting = world["next_meeting"]  # held already: the approval item is not added to it

    member = login_as(world["rep_bureau"])
    draft = member.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "Draft circulated for comments" in draft
    assert "reflection period" in draft
    assert member.get(f"/minutes/{minutes.id}.pdf").status_code == 404  # read, not downloaded
    assert login_as(world["rep_platform"]).get(f"/minutes/{minutes.id}").status_code == 404
    member = login_as(world["rep_bureau"])
    sent = member.post(
        f"/minutes/{minutes.id}/comments",
        data={"section": "Cases", "body": "Say how many cases were discussed."},
    )
    assert sent.status_code == 303

    client = login_as(world["secretariat"])
    refused = client.post(
        f"/minutes/{minutes.id}/approve",
        data={"version": _version(minutes.id), "approved_by": str(next_meeting.id)},
        follow_redirects=True,
    )
    assert "1 comment is still open" in refused.get_data(as_text=True)
    page = client.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "Say how many cases were discussed." in page
    comment = db.session.scalar(sa.select(MinutesComment))
    resolved = client.post(
        f"/minutes/{minutes.id}/comments/{comment.id}/resolve",
        data={"resolution": "Added: twelve cases."},
    )
    assert resolved.status_code == 303
    approved = client.post(
        f"/minutes/{minutes.id}/approve",
        data={"version": _version(minutes.id), "approved_by": str(next_meeting.id)},
    )
    assert approved.status_code == 303
    db.session.expire_all()
    done = db.session.get(Minutes, minutes.id)
    assert done.status is MinutesStatus.APPROVED
    assert done.approved_at_meeting_id == next_meeting.id


def test_secretariat_writes_approves_publishes_and_a_member_reads(world, login_as, app):
    meeting = world["meeting"]
    client = login_as(world["secretariat"])
    form = client.get(f"/minutes/meeting/{meeting.id}/new")
    assert form.status_code == 200

    response = client.post(
        f"/minutes/meeting/{meeting.id}/new",
        data={"body": "## Cases\n\nThe 45-day reflection period was discussed.", "save": "y"},
    )
    assert response.status_code == 302
    minutes = db.session.scalar(sa.select(Minutes))
    assert minutes.status is MinutesStatus.DRAFT

    _circulate_comment_and_approve(client, minutes, world, login_as)
    client = login_as(world["secretariat"])
    response = client.post(f"/minutes/{minutes.id}/publish", data={"version": _version(minutes.id)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Minutes, minutes.id).status is MinutesStatus.PUBLISHED

    mail = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == "bureau@example.org")
    )
    assert mail is not None
    link = re.search(r"http://localhost(/minutes/\d+)", mail.body_text).group(1)
    assert "reflection period" not in mail.body_text

    reader = login_as(world["rep_bureau"])
    page = reader.get(link)
    assert page.status_code == 200
    assert b"reflection period" in page.data

    outsider = login_as(world["rep_platform"])
    assert outsider.get(link).status_code == 404
    assert outsider.get(f"{link}.pdf").status_code == 404
    assert outsider.get(f"{link}.html").status_code == 404
    assert outsider.get(f"{link}/revisions").status_code == 404
    assert outsider.get(f"{link}/revisions/1").status_code == 404
    assert outsider.get(f"{link}/diff?old=1&new=1").status_code == 404


def test_minutes_in_both_languages_each_with_its_revisions_approved_together(world, login_as):
    meeting = world["meeting"]
    world["rep_both"].locale = "nl"
    world["rep_bureau"].locale = "fr"
    db.session.commit()
    client = login_as(world["secretariat"])
    new = client.get(f"/minutes/meeting/{meeting.id}/new?language=fr").get_data(as_text=True)
    assert 'lang="fr"' in new  # the French text is being written
    client.post(
        f"/minutes/meeting/{meeting.id}/new",
        data={"language": "nl", "body": "## Zaken\n\nDe bedenktijd werd besproken.", "save": "y"},
    )
    minutes = db.session.scalar(sa.select(Minutes))
    edit = client.get(f"/minutes/{minutes.id}/edit?language=fr").get_data(as_text=True)
    assert "De bedenktijd" not in edit  # the French editor does not start from the Dutch
    response = client.post(
        f"/minutes/{minutes.id}/edit",
        data={
            "language": "fr",
            "body": "## Dossiers\n\nLe délai de réflexion a été discuté.",
            "version": _version(minutes.id),
            "save": "y",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    revisions = db.session.execute(
        sa.select(MinutesRevision.language, MinutesRevision.number).order_by(MinutesRevision.number)
    ).all()
    assert [tuple(row) for row in revisions] == [("nl", 1), ("fr", 2)]

    _approve_at_the_next_meeting(client, minutes, world)
    client.post(f"/minutes/{minutes.id}/publish", data={"version": _version(minutes.id)})
    db.session.expire_all()
    published = db.session.scalars(
        sa.select(MinutesRevision.language).where(MinutesRevision.published.is_(True))
    ).all()
    assert sorted(published) == ["fr", "nl"]  # both languages reach the readers together

    french = login_as(world["rep_bureau"]).get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "Le délai de réflexion a été discuté." in french
    assert "bedenktijd" not in french
    dutch = login_as(world["rep_both"]).get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "De bedenktijd werd besproken." in dutch
    assert "délai" not in dutch


def test_minutes_in_one_language_reach_the_other_community_marked(world, login_as):
    minutes = mf.minutes(
        world["meeting"], status=MinutesStatus.PUBLISHED, body="Alleen Nederlands."
    )
    world["rep_bureau"].locale = "fr"
    db.session.commit()
    page = login_as(world["rep_bureau"]).get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "Alleen Nederlands." in page
    assert "non disponible dans votre langue" in page
    assert '<div lang="nl">' in page
