"""Circulated drafts: the members read and comment until a deadline, the secretariat resolves
each comment, and the minutes are approved at a later meeting or by written procedure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from coordination.core.errors import NotAllowed, ValidationError
from coordination.core.time import today_brussels
from coordination.db import db
from coordination.meetings.models import MeetingStatus
from coordination.minutes import circulation, services, standing_items
from coordination.minutes.models import FollowUpStatus, MinutesComment, MinutesStatus
from coordination.notifications.models import OutboxMessage
from tests import factories
from tests.minutes import factories as mf

S = MinutesStatus
BODY = "## Cases\n\nTwelve cases.\n\n## Shelters\n\nThree places free.\n"


def _circulated(world, until=None):
    """Circulated three days after the meeting (when its next meeting was still to come),
    for comments until ``until`` (two weeks from today by default)."""
    minutes = mf.minutes(world["meeting"], body=BODY)
    circulation.circulate_minutes(
        minutes,
        comments_until=until or today_brussels() + timedelta(days=14),
        actor=world["secretariat"],
        at=world["meeting"].starts_at + timedelta(days=3),
    )
    return minutes


def test_circulating_tells_the_members_and_puts_the_approval_first_on_the_next_agenda(world):
    following = world["next_meeting"]
    factories.agenda_item(following, "Cases and trends")
    minutes = _circulated(world)
    db.session.commit()
    assert minutes.status is S.CIRCULATED
    titles = [item.title.en for item in sorted(following.agenda_items, key=lambda i: i.position)]
    assert titles[0] == "Approval of the minutes of the meeting of 14 May 2024"
    assert titles[1] == "Cases and trends"
    assert minutes.approval_item.meeting == following
    recipients = set(db.session.scalars(sa.select(OutboxMessage.recipient)))
    # Members of the bureau, not its observers, not the platform-only agency, not ministers.
    assert "bureau@example.org" in recipients
    assert "both@example.org" in recipients
    assert "platform@example.org" not in recipients
    assert not any("observer" in recipient for recipient in recipients)
    body = db.session.scalar(sa.select(OutboxMessage.body_text))
    assert "Twelve cases" not in body  # a link, never the draft


def test_circulating_again_after_a_recall_keeps_one_approval_item(world):
    minutes = _circulated(world)
    circulation.recall_minutes(minutes, actor=world["secretariat"])
    assert minutes.status is S.DRAFT
    circulation.circulate_minutes(
        minutes,
        comments_until=today_brussels(),
        actor=world["secretariat"],
        at=world["meeting"].starts_at + timedelta(days=5),
        notify=False,
    )
    assert len(world["next_meeting"].agenda_items) == 1


def test_no_approval_item_on_a_meeting_that_has_already_started(world):
    """Circulated after the next meeting took place: the approval waits for a later one, or
    a written procedure; a held meeting's agenda does not change."""
    meeting = world["meeting"]
    assert (
        standing_items.next_meeting_of_forum(meeting, at=meeting.starts_at) == world["next_meeting"]
    )
    assert standing_items.next_meeting_of_forum(meeting, at=datetime.now(UTC)) is None


@pytest.mark.parametrize("until", [None, "yesterday"])
def test_a_circulation_needs_a_deadline_to_come(world, until):
    minutes = mf.minutes(world["meeting"], body=BODY)
    deadline = today_brussels() - timedelta(days=1) if until else None
    with pytest.raises(ValidationError):
        circulation.circulate_minutes(minutes, comments_until=deadline, actor=None)
    assert minutes.status is S.DRAFT


def test_members_comment_on_a_section_until_the_deadline(world):
    minutes = _circulated(world)
    member = world["rep_bureau"]
    comment = circulation.add_comment(minutes, section="Shelters", body="Four.", author=member)
    assert comment.agency_id == member.agency_id
    with pytest.raises(ValidationError):
        circulation.add_comment(minutes, section="Elsewhere", body="x", author=member)
    with pytest.raises(ValidationError):
        circulation.add_comment(minutes, section="", body="   ", author=member)
    too_late = datetime.now(UTC) + timedelta(days=20)
    with pytest.raises(NotAllowed, match="has passed"):
        circulation.add_comment(minutes, section="", body="Late.", author=member, at=too_late)


def test_a_draft_that_is_not_circulated_takes_no_comment(world):
    minutes = mf.minutes(world["meeting"], body=BODY)
    with pytest.raises(NotAllowed):
        circulation.add_comment(minutes, section="", body="x", author=world["rep_bureau"])


def test_approval_waits_for_every_comment_to_be_resolved(world):
    minutes = _circulated(world)
    comment = circulation.add_comment(
        minutes, section="Cases", body="Say which.", author=world["rep_bureau"]
    )
    following = world["next_meeting"]
    with pytest.raises(NotAllowed, match="1 comment is still open"):
        circulation.approve_minutes(minutes, actor=world["secretariat"], at_meeting=following)
    with pytest.raises(ValidationError):
        circulation.resolve_comment(comment, resolution=" ", actor=world["secretariat"])
    circulation.resolve_comment(comment, resolution="Listed.", actor=world["secretariat"])
    with pytest.raises(NotAllowed):
        circulation.resolve_comment(comment, resolution="Again.", actor=world["secretariat"])
    circulation.approve_minutes(minutes, actor=world["secretariat"], at_meeting=following)
    assert minutes.status is S.APPROVED
    assert minutes.approved_at_meeting == following


def test_only_a_later_held_meeting_of_the_forum_approves(world):
    minutes = _circulated(world)
    earlier = factories.meeting(world["bureau"], world["meeting"].starts_at - timedelta(days=28))
    platform = factories.meeting(world["platform"], world["meeting"].starts_at + timedelta(7))
    future = factories.meeting(world["bureau"], datetime.now(UTC) + timedelta(days=30))
    cancelled = factories.meeting(
        world["bureau"],
        world["meeting"].starts_at + timedelta(days=14),
        status=MeetingStatus.CANCELLED,
        cancellation_reason="Strike",
    )
    for meeting in (earlier, platform, future, cancelled, world["meeting"]):
        with pytest.raises(ValidationError):
            circulation.approve_minutes(minutes, actor=world["secretariat"], at_meeting=meeting)
    assert circulation.approving_meetings(minutes)[0] == world["next_meeting"]
    with pytest.raises(ValidationError):  # neither way, or both
        circulation.approve_minutes(minutes, actor=world["secretariat"])
    assert minutes.status is S.CIRCULATED


def test_a_written_procedure_closes_after_the_deadline_and_not_in_the_future(world):
    today = today_brussels()
    minutes = _circulated(world, until=today)
    with pytest.raises(ValidationError):
        circulation.approve_minutes(
            minutes, actor=world["secretariat"], written_on=today + timedelta(days=1)
        )
    circulation.approve_minutes(minutes, actor=world["secretariat"], written_on=today)
    assert minutes.status is S.APPROVED
    assert minutes.approved_at_meeting is None


def test_a_member_sees_their_agency_s_comments_the_secretariat_all(world, login_as):
    minutes = _circulated(world)
    circulation.add_comment(
        minutes, section="", body="From the bureau.", author=world["rep_bureau"]
    )
    circulation.add_comment(minutes, section="", body="From both.", author=world["rep_both"])
    db.session.commit()
    page = login_as(world["rep_bureau"]).get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "From the bureau." in page
    assert "From both." not in page
    assert f'action="/minutes/{minutes.id}/comments"' in page
    secretariat = (
        login_as(world["secretariat"]).get(f"/minutes/{minutes.id}").get_data(as_text=True)
    )
    assert "From the bureau." in secretariat
    assert "From both." in secretariat
    assert db.session.scalar(sa.select(sa.func.count(MinutesComment.id))) == 2


def test_the_members_find_the_drafts_awaiting_their_comments_on_home_and_in_the_list(
    world, login_as
):
    minutes = _circulated(world)
    db.session.commit()
    link = f'href="/minutes/{minutes.id}"'
    for member in ("rep_bureau", "rep_both"):
        client = login_as(world[member])
        for page in (client.get("/"), client.get("/minutes/")):
            section = page.get_data(as_text=True).split('id="circulated-title-')[1]
            assert link in section.split("</section>")[0]
    # Not a member of the bureau that day (observer, other forum, reader of everything): the
    # draft does not exist for them; the secretariat finds it among every minutes' status.
    for outsider in ("rep_platform", "rapporteur", "minister", "secretariat"):
        page = login_as(world[outsider]).get("/minutes/").get_data(as_text=True)
        assert 'id="circulated-title-' not in page
        assert circulation.circulated_for_comment(world[outsider]) == []
    circulation.recall_minutes(minutes, actor=world["secretariat"])
    assert circulation.circulated_for_comment(world["rep_bureau"]) == []


def test_publication_puts_the_review_of_open_actions_on_the_next_agenda(world):
    meeting, following = world["meeting"], world["next_meeting"]
    minutes = _circulated(world)
    mf.follow_up(minutes, world["bureau_only"], "Send the shelter figures")
    mf.follow_up(minutes, world["both"], "Already done", status=FollowUpStatus.DONE)
    minutes.status = S.APPROVED
    minutes.approved_at = meeting.starts_at + timedelta(days=20)
    services.publish_minutes(
        minutes, actor=world["secretariat"], at=meeting.starts_at + timedelta(days=21), notify=False
    )
    items = sorted(following.agenda_items, key=lambda item: item.position)
    assert [item.title.en for item in items] == [
        "Approval of the minutes of the meeting of 14 May 2024",
        "Follow-up of actions",
    ]
    review = items[1].description
    assert "Send the shelter figures" in review.en
    assert "1 July 2024" in review.en
    assert "1er juillet 2024" in review.fr
    assert "Already done" not in review.en
    # The minutes of another meeting published before it: still one review item.
    other = mf.minutes(factories.meeting(world["bureau"], meeting.starts_at + timedelta(days=1)))
    mf.follow_up(other, world["bureau_only"], "Another action")
    other.status, other.approved_at = S.APPROVED, meeting.starts_at + timedelta(days=20)
    services.publish_minutes(
        other, actor=world["secretariat"], at=meeting.starts_at + timedelta(days=22), notify=False
    )
    assert [item.title.en for item in following.agenda_items].count("Follow-up of actions") == 1
