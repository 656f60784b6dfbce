"""The life cycle of a measure, exercised on every pair of statuses."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from coordination.audit.models import AuditEvent
from coordination.core.errors import ConflictError, NotAllowed
from coordination.core.time import BRUSSELS, utcnow
from coordination.db import db
from coordination.measures.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    MeasureStatus,
    MeasureTransition,
)
from coordination.measures.workflow import ALLOWED_TRANSITIONS, allowed_targets, transition_measure
from coordination.meetings.models import MeetingStatus
from tests import factories
from tests.measures import factories as mf

S = MeasureStatus

#: Written out from the issue, independently of the code's table.
EXPECTED = {
    (S.PROPOSED, S.ADOPTED),
    (S.ADOPTED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.IMPLEMENTED),
    (S.PROPOSED, S.REJECTED),
    (S.PROPOSED, S.WITHDRAWN),
    (S.ADOPTED, S.WITHDRAWN),
    (S.IN_PROGRESS, S.WITHDRAWN),
    (S.POSTPONED, S.WITHDRAWN),
    (S.ADOPTED, S.POSTPONED),
    (S.IN_PROGRESS, S.POSTPONED),
    (S.POSTPONED, S.IN_PROGRESS),
}

PAIRS = [(current, target) for current in MeasureStatus for target in MeasureStatus]


@pytest.fixture
def env(app):
    world = factories.world()
    world["plan"] = mf.plan()
    world["platform_meeting"] = factories.meeting(world["platform"])
    world["bureau_meeting"] = factories.meeting(world["bureau"])
    db.session.commit()
    return world


def transitions_of(measure) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(MeasureTransition.id)).where(
            MeasureTransition.measure_id == measure.id
        )
    )


def audit_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "measure.transition")
    )


def test_the_table_is_the_issues_table():
    actual = {
        (current, target) for current, targets in ALLOWED_TRANSITIONS.items() for target in targets
    }
    assert actual == EXPECTED
    assert set(ALLOWED_TRANSITIONS) == set(MeasureStatus)
    assert {S.PROPOSED, S.ADOPTED, S.IN_PROGRESS, S.POSTPONED} == OPEN_STATUSES
    assert {S.IMPLEMENTED, S.REJECTED, S.WITHDRAWN} == CLOSED_STATUSES
    for status in CLOSED_STATUSES:
        assert allowed_targets(status) == []
    for status in OPEN_STATUSES:
        assert S.WITHDRAWN in allowed_targets(status)


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_pair_of_statuses(env, current, target):
    measure = mf.measure(env["plan"], env["both"], status=current)
    db.session.commit()
    before_transitions, before_audit, before_version = (
        transitions_of(measure),
        audit_count(),
        measure.version,
    )
    meeting = env["platform_meeting"]
    mf.on_agenda(measure, meeting)
    if (current, target) in EXPECTED:
        transition = transition_measure(
            measure, target, actor=env["secretariat"], note="Decided.", meeting=meeting
        )
        db.session.commit()
        assert measure.status is target
        assert transition.from_status is current
        assert transition.to_status is target
        assert transition.by == env["secretariat"]
        assert transition.note == "Decided."
        assert transition.meeting == meeting
        assert transition.at <= utcnow()
        assert transitions_of(measure) == before_transitions + 1
        assert audit_count() == before_audit + 1
        assert measure.version == before_version + 1
    else:
        with pytest.raises(NotAllowed) as raised:
            transition_measure(measure, target, actor=env["secretariat"], meeting=meeting)
        message = str(raised.value.message)
        assert str(current.value).replace("_", " ") in message.lower()
        assert str(target.value).replace("_", " ") in message.lower()
        db.session.commit()
        db.session.expire_all()
        assert measure.status is current
        assert transitions_of(measure) == before_transitions
        assert audit_count() == before_audit
        assert measure.version == before_version


@pytest.mark.parametrize("decision", [S.ADOPTED, S.REJECTED])
def test_decisions_need_a_meeting(env, decision):
    measure = mf.measure(env["plan"], env["both"])
    with pytest.raises(NotAllowed, match="platform meeting"):
        transition_measure(measure, decision, actor=env["secretariat"], meeting=None)
    assert measure.status is S.PROPOSED


@pytest.mark.parametrize("decision", [S.ADOPTED, S.REJECTED])
def test_the_bureau_cannot_decide(env, decision):
    measure = mf.measure(env["plan"], env["both"])
    with pytest.raises(NotAllowed, match="not a platform meeting"):
        transition_measure(
            measure, decision, actor=env["secretariat"], meeting=env["bureau_meeting"]
        )
    assert measure.status is S.PROPOSED
    assert transitions_of(measure) == 1


@pytest.mark.parametrize("decision", [S.ADOPTED, S.REJECTED])
def test_a_cancelled_platform_meeting_cannot_decide(env, decision):
    measure = mf.measure(env["plan"], env["both"])
    meeting = factories.meeting(
        env["platform"],
        datetime(2024, 10, 15, 10, tzinfo=BRUSSELS),
        status=MeetingStatus.CANCELLED,
        cancellation_reason="No quorum",
    )
    with pytest.raises(NotAllowed, match="cancelled"):
        transition_measure(measure, decision, actor=env["secretariat"], meeting=meeting)
    assert measure.status is S.PROPOSED


@pytest.mark.parametrize("decision", [S.ADOPTED, S.REJECTED])
def test_a_future_platform_meeting_cannot_have_decided(env, decision):
    measure = mf.measure(env["plan"], env["both"])
    meeting = factories.meeting(env["platform"], utcnow() + timedelta(days=30))
    with pytest.raises(NotAllowed, match="not taken place"):
        transition_measure(measure, decision, actor=env["secretariat"], meeting=meeting)
    assert measure.status is S.PROPOSED


def test_a_platform_meeting_held_today_can_decide(env):
    measure = mf.measure(env["plan"], env["both"])
    meeting = factories.meeting(env["platform"], utcnow().astimezone(BRUSSELS))
    mf.on_agenda(measure, meeting)
    transition_measure(measure, S.ADOPTED, actor=env["secretariat"], meeting=meeting)
    assert measure.status is S.ADOPTED


@pytest.mark.parametrize("decision", [S.ADOPTED, S.REJECTED])
def test_a_platform_meeting_decides_only_on_its_agenda(env, decision):
    """Proposed, put on the agenda of one meeting: another (held) meeting cannot have decided."""
    measure = mf.measure(env["plan"], env["both"])
    later = factories.meeting(env["platform"], utcnow() + timedelta(days=20))
    mf.on_agenda(measure, later)
    with pytest.raises(NotAllowed, match="not on the agenda"):
        transition_measure(
            measure, decision, actor=env["secretariat"], meeting=env["platform_meeting"]
        )
    assert measure.status is S.PROPOSED
    assert transitions_of(measure) == 1


def test_other_transitions_may_record_a_bureau_meeting(env):
    measure = mf.measure(env["plan"], env["both"], status=S.ADOPTED)
    transition = transition_measure(
        measure, S.IN_PROGRESS, actor=env["secretariat"], meeting=env["bureau_meeting"]
    )
    assert transition.meeting == env["bureau_meeting"]
    assert measure.status is S.IN_PROGRESS


def test_status_is_checked_by_the_database(env):
    measure = mf.measure(env["plan"], env["both"])
    db.session.commit()
    statement = sa.text("UPDATE measures SET status = 'dreaming' WHERE id = :id")
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(statement, {"id": measure.id})
    db.session.rollback()


@pytest.mark.commits
def test_a_concurrent_change_is_a_conflict_not_a_lost_update(env):
    measure = mf.measure(env["plan"], env["both"], status=S.ADOPTED)
    db.session.commit()
    assert measure.status is S.ADOPTED  # loaded at version 1
    with db.engine.begin() as other:  # another request withdrew it meanwhile
        other.execute(
            sa.text(
                "UPDATE measures SET status = 'withdrawn', version = version + 1 WHERE id = :id"
            ),
            {"id": measure.id},
        )
    with pytest.raises(ConflictError):
        transition_measure(measure, S.IN_PROGRESS, actor=env["secretariat"])
    db.session.rollback()
    assert db.session.get(type(measure), measure.id).status is S.WITHDRAWN
