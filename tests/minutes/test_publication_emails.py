"""Publication e-mails: who receives them, in which language, with a link and no content."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from coordination.core.errors import NotAllowed
from coordination.db import db
from coordination.minutes import services
from coordination.minutes.models import MinutesStatus
from coordination.notifications.models import OutboxMessage
from coordination.users.models import Role
from tests import factories
from tests.minutes import factories as mf

SECRET = "The shelter moved to a new address"


def _messages() -> dict[str, OutboxMessage]:
    return {m.recipient: m for m in db.session.scalars(sa.select(OutboxMessage))}


def test_recipients_are_the_forum_on_the_meeting_date_plus_ministers_and_rapporteurs(world):
    late = factories.agency("LATE")
    factories.membership(world["bureau"], late, since=date(2024, 6, 1))
    factories.user(agency_=late, email="late@example.org")
    factories.user(agency_=world["bureau_only"], email="gone@example.org", active=False)
    second_minister = factories.user(Role.MINISTER, world["cabinet"], email="m2@example.org")
    minutes = mf.minutes(world["meeting"], status=MinutesStatus.APPROVED, body=SECRET)
    count = services.publish_minutes(minutes, actor=world["secretariat"])
    db.session.commit()

    recipients = set(_messages())
    assert recipients == {
        "sec@example.org",  # the coordination unit sits in the bureau
        "both@example.org",
        "bureau@example.org",
        "rapporteur@example.org",  # observer of the forum, and a rapporteur
        "minister@example.org",  # the cabinet is not in the bureau: ministers read all
        second_minister.email,
    }
    assert count == len(recipients)
    assert "platform@example.org" not in recipients  # not in the bureau
    assert "late@example.org" not in recipients  # joined after the meeting
    assert "gone@example.org" not in recipients  # deactivated


def test_the_e_mail_has_a_link_in_the_readers_language_and_no_content(world):
    world["rep_bureau"].locale = "fr"
    world["rep_both"].locale = "nl"
    minutes = mf.minutes(world["meeting"], status=MinutesStatus.APPROVED, body=SECRET)
    services.publish_minutes(minutes, actor=world["secretariat"])
    db.session.commit()
    messages = _messages()
    link = f"http://localhost/minutes/{minutes.id}"
    for message in messages.values():
        assert link in message.body_text
        assert SECRET not in message.body_text
        assert SECRET not in message.subject
        assert message.reason == f"minutes.publish:{minutes.id}"
    assert messages["bureau@example.org"].subject.startswith("Procès-verbal publié")
    assert messages["both@example.org"].subject.startswith("Notulen gepubliceerd")
    assert messages["sec@example.org"].subject.startswith("Minutes published")


def test_no_e_mail_when_publication_is_refused(world):
    minutes = mf.minutes(world["meeting"], body=SECRET)  # a draft cannot be published
    with pytest.raises(NotAllowed):
        services.publish_minutes(minutes, actor=world["secretariat"])
    db.session.rollback()
    assert _messages() == {}


def test_publishing_through_the_page_queues_the_mails_in_the_same_transaction(world, login_as):
    minutes = mf.minutes(world["meeting"], status=MinutesStatus.APPROVED, body=SECRET)
    db.session.commit()
    client = login_as(world["secretariat"])
    response = client.post(f"/minutes/{minutes.id}/publish", data={"version": minutes.version})
    assert response.status_code == 303
    assert len(_messages()) == 5  # CU, BOTH, BUREAUONLY, the observer, the minister


def test_a_correction_tells_the_readers_without_the_content(world):
    minutes = mf.minutes(world["meeting"], status=MinutesStatus.APPROVED, body="first")
    services.publish_minutes(minutes, actor=world["secretariat"], notify=False)
    db.session.commit()
    services.save_minutes_text(
        minutes,
        language="nl",
        body=SECRET,
        expected_version=minutes.version,
        actor=world["secretariat"],
        change_note="Figures of March corrected",
    )
    db.session.commit()
    messages = _messages()
    assert len(messages) == 5
    for message in messages.values():
        assert message.reason == f"minutes.correct:{minutes.id}"
        assert SECRET not in message.body_text
        assert f"http://localhost/minutes/{minutes.id}" in message.body_text
