"""The life cycle draft -> approved -> published, enforced by the services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from coordination.audit.models import AuditEvent
from coordination.core.errors import ConflictError, NotAllowed
from coordination.core.time import today_brussels
from coordination.db import db
from coordination.meetings.models import MeetingStatus
from coordination.minutes import attendance, circulation, services, workflow
from coordination.minutes.models import AttendeeRole, FollowUpStatus, MinutesStatus, Presence
from tests import factories
from tests.minutes import factories as mf

S = MinutesStatus


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        (S.DRAFT, S.APPROVED, False),
        (S.DRAFT, S.CIRCULATED, True),
        (S.CIRCULATED, S.APPROVED, True),
        (S.CIRCULATED, S.DRAFT, True),
        (S.CIRCULATED, S.PUBLISHED, False),
        (S.APPROVED, S.CIRCULATED, False),
        (S.DRAFT, S.PUBLISHED, False),
        (S.DRAFT, S.DRAFT, False),
        (S.APPROVED, S.PUBLISHED, True),
        (S.APPROVED, S.DRAFT, True),
        (S.APPROVED, S.APPROVED, False),
        (S.PUBLISHED, S.DRAFT, False),
        (S.PUBLISHED, S.APPROVED, False),
        (S.PUBLISHED, S.PUBLISHED, False),
    ],
)
def test_transition_table(source, target, allowed):
    if allowed:
        assert workflow.transition_name(source, target)
        assert target in workflow.allowed_targets(source)
    else:
        with pytest.raises(NotAllowed):
            workflow.transition_name(source, target)
        assert target not in workflow.allowed_targets(source)


def test_approve_records_who_and_when_then_publish(world):
    minutes = mf.minutes(world["meeting"], status=S.CIRCULATED)
    secretariat = world["secretariat"]
    next_meeting = factories.meeting(world["bureau"], world["meeting"].starts_at + timedelta(28))
    circulation.approve_minutes(minutes, actor=secretariat, at_meeting=next_meeting)
    assert minutes.status is S.APPROVED
    assert minutes.approved_by == secretariat
    assert minutes.approved_at == next_meeting.starts_at
    assert minutes.approved_at_meeting == next_meeting
    services.publish_minutes(minutes, actor=secretariat)
    db.session.commit()
    assert minutes.status is S.PUBLISHED
    assert minutes.published_by == secretariat
    assert minutes.revisions[-1].published is True
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"minutes.approve", "minutes.publish"} <= actions


def test_withdrawing_the_approval_clears_it(world):
    minutes = mf.minutes(world["meeting"], status=S.APPROVED, author=world["secretariat"])
    services.withdraw_approval(minutes, actor=world["secretariat"])
    db.session.commit()
    assert minutes.status is S.DRAFT
    assert minutes.approved_by is None
    assert minutes.approved_at is None


def test_published_minutes_never_go_back(world):
    minutes = mf.minutes(world["meeting"], status=S.PUBLISHED, author=world["secretariat"])
    with pytest.raises(NotAllowed):
        services.withdraw_approval(minutes, actor=world["secretariat"])
    with pytest.raises(NotAllowed):
        circulation.approve_minutes(
            minutes, actor=world["secretariat"], written_on=today_brussels()
        )
    with pytest.raises(NotAllowed):
        services.publish_minutes(minutes, actor=world["secretariat"])


def test_drafts_cannot_be_published_directly(world):
    minutes = mf.minutes(world["meeting"])
    with pytest.raises(NotAllowed):
        services.publish_minutes(minutes, actor=world["secretariat"])


def test_empty_minutes_cannot_be_circulated(world):
    minutes = mf.minutes(world["meeting"], body="   \n")
    with pytest.raises(NotAllowed):
        circulation.circulate_minutes(
            minutes, comments_until=today_brussels() + timedelta(7), actor=world["secretariat"]
        )


def test_minutes_are_published_only_after_the_meeting(world):
    future = factories.meeting(world["bureau"], starts_at=datetime.now(UTC) + timedelta(days=10))
    minutes = mf.minutes(future, status=S.APPROVED, author=world["secretariat"])
    with pytest.raises(NotAllowed):
        services.publish_minutes(minutes, actor=world["secretariat"])


def test_a_stale_page_cannot_approve(world):
    minutes = mf.minutes(world["meeting"], status=S.CIRCULATED)
    with pytest.raises(ConflictError):
        circulation.approve_minutes(
            minutes,
            actor=world["secretariat"],
            written_on=today_brussels(),
            expected_version=minutes.version - 1,
        )


def test_cancelled_meetings_have_no_minutes(world):
    meeting = factories.meeting(
        world["bureau"], status=MeetingStatus.CANCELLED, cancellation_reason="Strike"
    )
    with pytest.raises(NotAllowed):
        services.create_minutes(meeting, body="x", actor=world["secretariat"])


def test_minutes_are_written_once_the_meeting_has_started(world, login_as):
    """Six weeks ahead nothing has been said yet: no minutes, from the service or the page."""
    now = datetime.now(UTC)
    future = factories.meeting(world["bureau"], starts_at=now + timedelta(weeks=6))
    with pytest.raises(NotAllowed, match="once the meeting has started"):
        services.create_minutes(future, body="x", actor=world["secretariat"])
    db.session.commit()
    client = login_as(world["secretariat"])
    meeting_page = client.get(f"/meetings/{future.id}").get_data(as_text=True)
    assert f"/minutes/meeting/{future.id}/new" not in meeting_page
    assert "Minutes can be written once the meeting has started." in meeting_page
    refused = client.post(
        f"/minutes/meeting/{future.id}/new", data={"language": "nl", "body": "x", "save": "y"}
    )
    assert refused.status_code == 302
    assert services.minutes_of_meeting(future.id) is None
    started = factories.meeting(world["bureau"], starts_at=now - timedelta(minutes=5))
    assert services.create_minutes(started, body="x", actor=world["secretariat"]).id


def test_one_set_of_minutes_per_meeting(world):
    services.create_minutes(world["meeting"], body="first", actor=world["secretariat"])
    with pytest.raises(ConflictError):
        services.create_minutes(world["meeting"], body="second", actor=world["secretariat"])


@pytest.mark.parametrize("status", [S.APPROVED, S.PUBLISHED])
def test_frozen_minutes_refuse_changes_in_place(world, status):
    minutes = mf.minutes(world["meeting"], status=status, author=world["secretariat"])
    actor = world["secretariat"]
    with pytest.raises(NotAllowed):
        attendance.record_attendance(minutes, {world["both"].id: Presence.PRESENT}, actor=actor)
    with pytest.raises(NotAllowed):
        attendance.add_attendee(
            minutes, name="Jan", agency_id=world["both"].id, role=AttendeeRole.PRESENT, actor=actor
        )
    with pytest.raises(NotAllowed):
        services.add_decision(minutes, text="x", agenda_item=None, actor=actor)
    with pytest.raises(NotAllowed):
        services.add_follow_up(
            minutes, description="x", owner=world["both"], due_date=None, actor=actor
        )
    if status is S.APPROVED:
        with pytest.raises(NotAllowed):
            services.save_minutes_text(
                minutes, language="nl", body="new", expected_version=minutes.version, actor=actor
            )


def test_follow_up_status_moves_and_closes(world):
    minutes = mf.minutes(world["meeting"], status=S.PUBLISHED, author=world["secretariat"])
    action = mf.follow_up(minutes, world["bureau_only"])
    services.update_follow_up_status(
        action, FollowUpStatus.DONE, expected_version=action.version, actor=world["rep_bureau"]
    )
    db.session.commit()
    assert action.closed_at is not None
    services.update_follow_up_status(
        action, FollowUpStatus.OPEN, expected_version=action.version, actor=world["secretariat"]
    )
    db.session.commit()
    assert action.closed_at is None
    with pytest.raises(ConflictError):
        services.update_follow_up_status(
            action, FollowUpStatus.DONE, expected_version=1, actor=world["secretariat"]
        )


def test_the_database_refuses_a_status_outside_the_enum(world):
    minutes = mf.minutes(world["meeting"])
    db.session.commit()
    with pytest.raises(sa.exc.StatementError):
        db.session.execute(
            sa.update(type(minutes)).where(type(minutes).id == minutes.id).values(status="lost")
        )
    db.session.rollback()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.text("UPDATE minutes SET status = 'approved' WHERE id = :id"), {"id": minutes.id}
        )
    db.session.rollback()
