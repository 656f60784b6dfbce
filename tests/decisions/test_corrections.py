"""A recorded decision is corrected only through its minutes: in place while they are a draft or
circulated, with a change note readers see once they are published; the measure's history
keeps the decision first recorded and the correction."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from coordination.core.errors import NotAllowed, ValidationError
from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db, utcnow
from coordination.decisions import services
from coordination.decisions.models import DecisionCorrection, ItemDecision, Outcome
from coordination.measures.models import MeasureStatus
from coordination.measures.workflow import agenda_item_for, transition_measure
from coordination.minutes.models import MinutesRevision, MinutesStatus
from coordination.notifications.models import OutboxMessage
from tests import factories
from tests.measures import factories as mf

S = MeasureStatus
TODAY = today_brussels()


def brussels(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


def build_module_data() -> dict:
    world = factories.world()
    world["plan"] = mf.plan()
    world["platform_meeting"] = factories.meeting(
        world["platform"], brussels(TODAY - timedelta(days=1))
    )
    world["bureau_meeting"] = factories.meeting(
        world["bureau"], brussels(TODAY - timedelta(days=2))
    )
    world["next_platform"] = factories.meeting(
        world["platform"], brussels(TODAY + timedelta(days=20))
    )
    return world


@pytest.fixture
def env(module_data):
    return module_data


def decided(env, outcome: Outcome, *, meeting_key: str = "platform_meeting", note: str = ""):
    """A proposal put before the meeting and ``outcome`` recorded on it."""
    meeting = env[meeting_key]
    measure = mf.measure(env["plan"], env["both"], code=f"9.{len(meeting.agenda_items) + 1}")
    item = mf.on_agenda(measure, meeting)
    return services.record_decision(item, outcome, note=note, actor=env["secretariat"])


def publish(minutes) -> None:
    """The minutes as published (the cycle itself is tested with the minutes)."""
    minutes.status = MinutesStatus.PUBLISHED
    minutes.approved_at = minutes.published_at = utcnow()
    for revision in minutes.revisions:
        revision.published = True
        revision.published_at = minutes.published_at
    db.session.flush()


def outbox_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count(OutboxMessage.id)).where(
            OutboxMessage.reason.like("minutes.correct:%")
        )
    )


def test_a_correction_in_draft_minutes_changes_the_measure_and_keeps_both_in_its_history(env):
    recorded = decided(env, Outcome.ADOPTED)
    measure = recorded.measure
    correction = services.correct_decision(
        recorded, Outcome.REJECTED, note="The vote was misread.", actor=env["secretariat"]
    )
    db.session.commit()
    assert measure.status is S.REJECTED
    assert [(t.from_status, t.to_status) for t in measure.transitions] == [
        (None, S.PROPOSED),
        (S.PROPOSED, S.ADOPTED),
        (S.ADOPTED, S.REJECTED),
    ]
    assert correction.transition is measure.transitions[-1]
    assert correction.transition.meeting == env["platform_meeting"]
    assert (correction.from_outcome, correction.to_outcome) == (Outcome.ADOPTED, Outcome.REJECTED)
    assert recorded.outcome is Outcome.REJECTED
    # The minutes' decision says the new decision and why, in each language.
    assert recorded.decision.text.en.startswith(f"The platform rejects measure {measure.code}")
    assert "The vote was misread." in recorded.decision.text.en
    assert recorded.decision.text.nl.startswith(f"Het platform verwerpt maatregel {measure.code}")
    assert "Gecorrigeerd op" in recorded.decision.text.nl
    # A draft changes in place: no published revision, nobody e-mailed.
    assert not any(revision.published for revision in recorded.decision.minutes.revisions)
    assert outbox_count() == 0


def test_a_correction_of_published_minutes_is_a_published_revision_that_readers_are_told_of(env):
    recorded = decided(env, Outcome.ADOPTED)
    minutes = recorded.decision.minutes
    publish(minutes)
    before = len(minutes.revisions)
    services.correct_decision(
        recorded, Outcome.DEFERRED, note="Deferred, not adopted.", actor=env["secretariat"]
    )
    db.session.commit()
    assert recorded.measure.status is S.PROPOSED
    new = db.session.scalars(
        sa.select(MinutesRevision)
        .where(MinutesRevision.minutes_id == minutes.id)
        .order_by(MinutesRevision.number)
    ).all()[before:]
    assert {revision.language for revision in new} == {"nl", "fr"}
    assert all(r.published and r.change_note == "Deferred, not adopted." for r in new)
    assert [r.body for r in new] == [minutes.body.get(r.language) for r in new]  # text unchanged
    assert minutes.status is MinutesStatus.PUBLISHED
    assert outbox_count() > 0


def test_approved_minutes_are_frozen_and_nothing_changes(env):
    recorded = decided(env, Outcome.ADOPTED)
    minutes = recorded.decision.minutes
    minutes.status, minutes.approved_at = MinutesStatus.APPROVED, utcnow()
    db.session.flush()
    with pytest.raises(NotAllowed, match="withdraw the approval"):
        services.correct_decision(recorded, Outcome.REJECTED, note="x", actor=env["secretariat"])
    assert recorded.measure.status is S.ADOPTED
    assert recorded.outcome is Outcome.ADOPTED
    assert db.session.scalar(sa.select(sa.func.count(DecisionCorrection.id))) == 0


@pytest.mark.parametrize(
    ("outcome", "note", "message"),
    [
        (Outcome.REJECTED, "  ", "Say why"),
        (Outcome.ADOPTED, "Same", "other than the one recorded"),
        (Outcome.FORWARDED, "The platform does not forward", "other than the one recorded"),
        (Outcome.REJECTED, "x" * 501, "too long"),
    ],
)
def test_a_correction_needs_a_reason_and_another_outcome_of_the_forum(env, outcome, note, message):
    recorded = decided(env, Outcome.ADOPTED)
    with pytest.raises(ValidationError, match=message):
        services.correct_decision(recorded, outcome, note=note, actor=env["secretariat"])
    assert recorded.measure.status is S.ADOPTED


def test_a_measure_that_moved_on_keeps_its_decision(env):
    recorded = decided(env, Outcome.ADOPTED)
    transition_measure(recorded.measure, S.IN_PROGRESS, actor=env["secretariat"])
    with pytest.raises(NotAllowed, match="moved on"):
        services.correct_decision(recorded, Outcome.REJECTED, note="x", actor=env["secretariat"])
    assert recorded.measure.status is S.IN_PROGRESS


def test_a_proposal_forwarded_by_mistake_leaves_the_platform_agenda_and_can_go_again(env):
    recorded = decided(env, Outcome.FORWARDED, meeting_key="bureau_meeting")
    measure, platform = recorded.measure, env["next_platform"]
    assert agenda_item_for(measure, platform) is not None
    history = len(measure.transitions)
    services.correct_decision(
        recorded, Outcome.DEFERRED, note="Not ready yet.", actor=env["secretariat"]
    )
    db.session.flush()
    assert agenda_item_for(measure, platform) is None
    assert recorded.forwarded_to is None
    assert measure.status is S.PROPOSED
    assert len(measure.transitions) == history  # a proposal all along: no change of status
    services.correct_decision(
        recorded, Outcome.FORWARDED, note="Ready after all.", actor=env["secretariat"]
    )
    db.session.flush()
    assert recorded.forwarded_to == agenda_item_for(measure, platform)
    assert [(c.from_outcome, c.to_outcome) for c in recorded.corrections] == [
        (Outcome.FORWARDED, Outcome.DEFERRED),
        (Outcome.DEFERRED, Outcome.FORWARDED),
    ]


def test_a_forwarding_the_platform_decided_on_is_corrected_there_first(env):
    forwarded = decided(env, Outcome.FORWARDED, meeting_key="bureau_meeting")
    platform = env["platform_meeting"]  # already held: make the forwarded item its own
    forwarded.forwarded_to.meeting = platform
    db.session.flush()
    services.record_decision(forwarded.forwarded_to, Outcome.DEFERRED, actor=env["secretariat"])
    with pytest.raises(NotAllowed, match="correct that decision first"):
        services.correct_decision(forwarded, Outcome.DEFERRED, note="x", actor=env["secretariat"])


def test_the_secretariat_corrects_a_decision_through_the_page_and_the_timeline_shows_both(
    env, login_as
):
    recorded = decided(env, Outcome.ADOPTED)
    db.session.commit()
    client = login_as(env["secretariat"])
    meeting_page = client.get(f"/meetings/{env['platform_meeting'].id}/decisions")
    assert f"/decisions/{recorded.id}/correct" in meeting_page.get_data(as_text=True)
    form = client.get(f"/decisions/{recorded.id}/correct").get_data(as_text=True)
    choices = re.findall(r'<input[^>]*name="outcome"[^>]*value="(\w+)"', form)
    assert choices == ["rejected", "deferred", "returned"]  # not the decision recorded

    refused = client.post(
        f"/decisions/{recorded.id}/correct", data={"outcome": "rejected", "recorded": "adopted"}
    )
    assert refused.status_code == 400
    assert "Reason for the correction" in refused.get_data(as_text=True)
    assert recorded.measure.status is S.ADOPTED

    stale = client.post(
        f"/decisions/{recorded.id}/correct",
        data={"outcome": "rejected", "recorded": "deferred", "note": "x"},
    )
    assert stale.status_code == 409

    done = client.post(
        f"/decisions/{recorded.id}/correct",
        data={"outcome": "rejected", "recorded": "adopted", "note": "The vote was misread."},
        follow_redirects=True,
    )
    assert done.status_code == 200
    assert "The decision was corrected" in done.get_data(as_text=True)
    db.session.expire_all()
    measure = db.session.get(ItemDecision, recorded.id).measure
    assert measure.status is S.REJECTED
    page = client.get(f"/measures/{measure.id}").get_data(as_text=True)
    timeline = page.split('id="timeline"')[1].split("</ol>")[0]
    assert "correction of the decision recorded as “Adopted”" in timeline
    assert "first recorded as “Adopted”" in timeline
    assert "entered without an agenda item" not in timeline
    assert "The vote was misread." in timeline


def test_representatives_cannot_correct_a_decision(env, login_as):
    recorded = decided(env, Outcome.ADOPTED)
    db.session.commit()
    client = login_as(env["rep_both"])
    assert client.get(f"/decisions/{recorded.id}/correct").status_code == 403
    answer = client.post(
        f"/decisions/{recorded.id}/correct",
        data={"outcome": "rejected", "recorded": "adopted", "note": "mine"},
    )
    assert answer.status_code == 403
    assert recorded.measure.status is S.ADOPTED
