"""Reminders as many days ahead as the forum says: to those who have not answered a meeting's
invitation, and to the owners of follow-up actions that fall due; each once, no content."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from coordination.core.time import BRUSSELS, utcnow
from coordination.db import db
from coordination.meetings.models import MeetingReply
from coordination.meetings.replies import reply_token, send_due_reminders
from coordination.minutes.models import FollowUpStatus, MinutesStatus
from coordination.minutes.reminders import send_follow_up_reminders
from coordination.notifications.models import OutboxMessage
from tests import factories
from tests.minutes import factories as mf

#: Monday 1 June 2026, 09:00 in Brussels.
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=BRUSSELS)


def meeting_in(world, days: int, forum: str = "bureau"):
    starts = datetime.combine(NOW.date() + timedelta(days=days), time(10), BRUSSELS)
    return factories.meeting(world[forum], starts, place="Shelter", place_confidential=True)


def queued(reason_prefix: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.reason.startswith(reason_prefix))
        )
    )


def test_those_who_have_not_answered_are_reminded_once(world):
    meeting = meeting_in(world, 5)
    db.session.add(MeetingReply(meeting=meeting, user=world["rep_both"], answer="attending"))
    db.session.commit()
    version = meeting.version
    assert send_due_reminders(NOW) == 3
    db.session.commit()
    messages = queued("meeting.remind:")
    assert {m.recipient for m in messages} == {
        "sec@example.org", "bureau@example.org", "rapporteur@example.org",
    }  # fmt: skip
    rep = next(m for m in messages if m.recipient == "bureau@example.org")
    assert reply_token(meeting, world["rep_bureau"]) in rep.body_text
    assert "Shelter" not in rep.body_text
    assert send_due_reminders(NOW + timedelta(days=1)) == 0  # once
    db.session.refresh(meeting)
    assert meeting.version == version  # nobody editing the meeting gets a conflict from it
    assert meeting.answers_reminded_at is not None


def test_only_within_the_forums_days_and_never_when_it_says_none(world):
    meeting_in(world, 10)
    meeting_in(world, 3, forum="platform")
    world["platform"].reminder_days = 0
    db.session.commit()
    assert send_due_reminders(NOW) == 0
    world["bureau"].reminder_days = 14
    db.session.commit()
    assert send_due_reminders(NOW) == 4


def days_from_now(days: int) -> int:
    """``days`` after today, counted from the fixed ``NOW`` (the pages use the real clock)."""
    return (utcnow().astimezone(BRUSSELS).date() - NOW.date()).days + days


def test_a_reminder_by_the_secretariat_counts(world, client, login_as):
    meeting = meeting_in(world, days_from_now(5))
    db.session.commit()
    login_as(world["secretariat"]).post(f"/meetings/{meeting.id}/replies/remind")
    assert len(queued("meeting.remind:")) == 4
    assert send_due_reminders(utcnow()) == 0


@pytest.fixture
def published(world):
    meeting = factories.meeting(world["bureau"], datetime(2026, 5, 12, 10, tzinfo=BRUSSELS))
    minutes = mf.minutes(meeting, status=MinutesStatus.PUBLISHED)
    db.session.commit()
    return minutes


def test_owners_of_an_action_falling_due_are_reminded_without_its_text(world, published):
    due = mf.follow_up(published, world["bureau_only"])
    due.due_date = date(2026, 6, 5)
    late = mf.follow_up(published, world["both"])
    late.due_date = date(2026, 5, 30)  # overdue: on the home page already, not "falling due"
    done = mf.follow_up(published, world["both"])
    done.due_date, done.status, done.closed_at = date(2026, 6, 3), FollowUpStatus.DONE, utcnow()
    far = mf.follow_up(published, world["both"])
    far.due_date = date(2026, 7, 1)
    db.session.commit()
    assert send_follow_up_reminders(NOW) == 1
    db.session.commit()
    (message,) = queued("follow_up.due:")
    assert message.recipient == "bureau@example.org"
    assert "Friday, 5 June 2026" in message.body_text
    assert due.description.text_in("en") not in message.body_text
    assert send_follow_up_reminders(NOW) == 0


def test_actions_of_unpublished_minutes_are_not_announced(world):
    meeting = factories.meeting(world["bureau"], datetime(2026, 5, 12, 10, tzinfo=BRUSSELS))
    draft = mf.minutes(meeting)
    action = mf.follow_up(draft, world["bureau_only"])
    action.due_date = date(2026, 6, 3)
    db.session.commit()
    assert send_follow_up_reminders(NOW) == 0


def test_the_secretariat_sets_the_days_per_forum(world, client, login_as):
    forum = world["bureau"]
    login_as(world["secretariat"])
    url = f"/agencies/forums/{forum.id}/reminders"
    assert 'value="7"' in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"reminder_days": "99", "version": forum.version})
    assert refused.status_code == 400
    stale = client.post(url, data={"reminder_days": "3", "version": forum.version + 1})
    assert stale.status_code == 409
    saved = client.post(url, data={"reminder_days": "3", "version": forum.version})
    assert saved.status_code == 302
    db.session.refresh(forum)
    assert forum.reminder_days == 3
    assert "3 days before a meeting" in client.get(f"/agencies/forums/{forum.id}").get_data(True)


def test_the_daily_commands_queue_and_say_how_many(world, runner):
    meeting_in(world, days_from_now(2))
    db.session.commit()
    result = runner.invoke(args=["meetings", "remind"])
    assert result.exit_code == 0
    assert result.output == "4 reminders queued\n"
    result = runner.invoke(args=["minutes", "remind"])
    assert result.output == "0 reminders queued\n"
