"""The issue's "done when": write, approve, publish; a member reads; an outsider cannot."""

from __future__ import annotations

import re

import sqlalchemy as sa

from coordination.db import db
from coordination.minutes.models import Minutes, MinutesStatus
from coordination.notifications.models import OutboxMessage


def _version(minutes_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Minutes, minutes_id).version


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

    response = client.post(f"/minutes/{minutes.id}/approve", data={"version": _version(minutes.id)})
    assert response.status_code == 303
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
