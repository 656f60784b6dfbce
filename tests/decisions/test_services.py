"""One decision, recorded once: on an agenda item, it changes the measure, enters the minutes
and the measure's timeline together; the rules hold whatever calls the service."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from coordination.core.errors import ConflictError, NotAllowed, ValidationError
from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.decisions import services
from coordination.decisions.models import ItemDecision, Outcome
from coordination.measures import queries
from coordination.measures import services as measure_services
from coordination.measures.models import MeasureStatus
from coordination.measures.workflow import agenda_item_for, transition_measure
from coordination.meetings.models import AgendaItemKind
from coordination.minutes import services as minutes_services
from coordination.minutes.models import Decision, MinutesStatus
from tests import factories
from tests.measures import factories as mf
from tests.minutes import factories as minutes_factories

S = MeasureStatus
TODAY = today_brussels()


def brussels(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


@pytest.fixture
def env(app: Flask):
    world = factories.world()
    world["plan"] = mf.plan()
    db.session.commit()
    return world


@pytest.fixture
def platform_agenda(env):
    meeting = factories.meeting(env["platform"], brussels(TODAY - timedelta(days=1)))
    proposals = [mf.measure(env["plan"], env["both"], code=f"1.{n}") for n in (1, 2, 3)]
    for measure in proposals:
        mf.on_agenda(measure, meeting)
    db.session.commit()
    return meeting, proposals


def test_a_decision_changes_the_measure_the_minutes_and_the_timeline_together(env, platform_agenda):
    meeting, (first, second, third) = platform_agenda
    assert [m for _item, m in services.proposals_to_decide(meeting)] == [first, second, third]
    recorded = services.record_meeting_decisions(
        meeting,
        {
            first.id: (Outcome.ADOPTED, "Unanimous"),
            second.id: (Outcome.REJECTED, ""),
            third.id: (None, ""),
        },
        actor=env["secretariat"],
    )
    db.session.commit()
    assert [r.outcome for r in recorded] == [Outcome.ADOPTED, Outcome.REJECTED]
    assert (first.status, second.status, third.status) == (S.ADOPTED, S.REJECTED, S.PROPOSED)
    adoption = recorded[0]
    assert adoption.transition.meeting == meeting
    assert adoption.transition.note == "Unanimous"
    # The minutes were started as a draft and hold the decision, on its agenda item.
    minutes = minutes_services.minutes_of_meeting(meeting.id)
    assert minutes.status is MinutesStatus.DRAFT
    assert [d.agenda_item for d in minutes.decisions] == [r.agenda_item for r in recorded]
    assert adoption.decision.text.nl.startswith("Het platform neemt maatregel 1.1 aan")
    assert adoption.decision.text.fr.startswith("La plateforme adopte la mesure 1.1")
    assert adoption.decision.text.nl.endswith("Unanimous")
    assert [m for _item, m in services.proposals_to_decide(meeting)] == [third]


def test_the_same_decision_is_never_recorded_twice(env, platform_agenda):
    meeting, (first, *_others) = platform_agenda
    item = agenda_item_for(first, meeting)
    services.record_decision(item, Outcome.DEFERRED, actor=env["secretariat"])
    with pytest.raises(ConflictError):
        services.record_decision(item, Outcome.ADOPTED, actor=env["secretariat"])
    assert first.status is S.PROPOSED
    assert db.session.scalar(sa.select(sa.func.count(ItemDecision.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 1


def test_deferred_or_returned_the_measure_stays_a_proposal(env, platform_agenda):
    meeting, (first, second, _third) = platform_agenda
    services.record_meeting_decisions(
        meeting,
        {first.id: (Outcome.DEFERRED, ""), second.id: (Outcome.RETURNED, "")},
        actor=env["secretariat"],
    )
    assert (first.status, second.status) == (S.PROPOSED, S.PROPOSED)
    texts = [d.text.en for d in minutes_services.minutes_of_meeting(meeting.id).decisions]
    assert texts[0] == f"The decision on measure 1.1 ({first.title.en}) is deferred."
    assert "goes back to the bureau" in texts[1]


def test_record_decisions_is_all_or_nothing(env, platform_agenda):
    meeting, (first, _second, _third) = platform_agenda
    stranger = mf.measure(env["plan"], env["both"], code="9.1")  # not on this agenda
    with pytest.raises(ValidationError):
        services.record_meeting_decisions(
            meeting,
            {first.id: (Outcome.ADOPTED, ""), stranger.id: (Outcome.ADOPTED, "")},
            actor=env["secretariat"],
        )
    assert first.status is S.PROPOSED
    assert stranger.status is S.PROPOSED
    assert len(first.transitions) == 1


def test_a_future_meeting_decides_nothing_and_the_bureau_adopts_nothing(env):
    bureau = factories.meeting(env["bureau"], brussels(TODAY - timedelta(days=1)))
    future = factories.meeting(env["platform"], brussels(TODAY + timedelta(days=10)))
    for meeting, outcome, error in (
        (bureau, Outcome.ADOPTED, ValidationError),
        (future, Outcome.ADOPTED, NotAllowed),
    ):
        measure = mf.measure(env["plan"], env["both"])
        mf.on_agenda(measure, meeting)
        with pytest.raises(error):
            services.record_meeting_decisions(
                meeting, {measure.id: (outcome, "")}, actor=env["secretariat"]
            )
        assert measure.status is S.PROPOSED
    assert minutes_services.minutes_of_meeting(future.id) is None


def test_record_decisions_needs_a_decision(env, platform_agenda):
    meeting, proposals = platform_agenda
    with pytest.raises(ValidationError, match="No decision"):
        services.record_meeting_decisions(
            meeting, {m.id: (None, "") for m in proposals}, actor=env["secretariat"]
        )


def test_approved_minutes_take_no_new_decision(env, platform_agenda):
    """A decision reaches the minutes; frozen minutes are corrected, not added to."""
    meeting, (first, *_others) = platform_agenda
    minutes_factories.minutes(meeting, status=MinutesStatus.APPROVED)
    with pytest.raises(NotAllowed):
        services.record_meeting_decisions(
            meeting, {first.id: (Outcome.ADOPTED, "")}, actor=env["secretariat"]
        )
    db.session.rollback()
    assert first.status is S.PROPOSED


def test_the_bureau_forwards_a_proposal_to_the_next_platform_meeting(env):
    bureau = factories.meeting(env["bureau"], brussels(TODAY - timedelta(days=2)))
    factories.meeting(env["platform"], brussels(TODAY + timedelta(days=40)), title="Later")
    next_one = factories.meeting(env["platform"], brussels(TODAY + timedelta(days=20)))
    measure = mf.measure(env["plan"], env["both"])
    mf.on_agenda(measure, bureau)
    (forwarded,) = services.record_meeting_decisions(
        bureau, {measure.id: (Outcome.FORWARDED, "")}, actor=env["secretariat"]
    )
    assert forwarded.forwarded_to.meeting == next_one
    assert forwarded.forwarded_to.kind is AgendaItemKind.DECISION
    assert measure.status is S.PROPOSED
    assert str(next_one.local_date.year) in forwarded.decision.text.en
    # The platform now has it to decide on.
    assert [m for _item, m in services.proposals_to_decide(next_one)] == [measure]


def test_forwarding_needs_a_platform_meeting_with_an_open_agenda(env):
    bureau = factories.meeting(env["bureau"], brussels(TODAY - timedelta(days=2)))
    factories.meeting(env["platform"], brussels(TODAY + timedelta(days=20)), agenda_final=True)
    measure = mf.measure(env["plan"], env["both"])
    mf.on_agenda(measure, bureau)
    with pytest.raises(NotAllowed, match="No platform meeting"):
        services.record_meeting_decisions(
            bureau, {measure.id: (Outcome.FORWARDED, "")}, actor=env["secretariat"]
        )


def test_a_decided_item_stays_on_the_agenda_and_its_decision_in_the_minutes(env, platform_agenda):
    meeting, (first, *_others) = platform_agenda
    (recorded,) = services.record_meeting_decisions(
        meeting, {first.id: (Outcome.ADOPTED, "")}, actor=env["secretariat"]
    )
    db.session.commit()
    with pytest.raises(NotAllowed):
        minutes_services.delete_decision(recorded.decision, actor=env["secretariat"])
    db.session.rollback()
    from coordination.meetings.services import remove_agenda_item

    item = recorded.agenda_item
    with pytest.raises(NotAllowed):
        remove_agenda_item(item, expected_version=item.version, actor=env["secretariat"])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ItemDecision.id))) == 1


def test_from_the_bureau_to_the_platform_and_back(env):
    """The timeline shows where the measure was prepared, decided and followed up."""
    bureau_before = factories.meeting(env["bureau"], brussels(TODAY, 0), title="Bureau May")
    platform = factories.meeting(env["platform"], brussels(TODAY, 0), title="Platform spring")
    bureau_after = factories.meeting(
        env["bureau"], brussels(TODAY + timedelta(days=28)), title="Bureau June"
    )
    sec = env["secretariat"]
    measure = mf.measure(env["plan"], env["both"], code="3.9")
    measure_services.put_measure_on_agenda(measure, bureau_before, actor=sec)
    measure_services.put_measure_on_agenda(measure, platform, actor=sec)
    services.record_meeting_decisions(platform, {measure.id: (Outcome.ADOPTED, "")}, actor=sec)
    transition_measure(measure, S.IN_PROGRESS, actor=sec)
    measure_services.put_measure_on_agenda(measure, bureau_after, actor=sec)
    db.session.commit()

    loaded = queries.load_measure(measure.id)
    steps = [
        (entry.kind, str(entry.meeting.title) if entry.meeting else None,
         entry.transition.to_status if entry.transition else None)
        for entry in queries.timeline(loaded)
    ]  # fmt: skip
    assert steps == [
        ("created", None, S.PROPOSED),
        ("agenda", "Bureau May", None),
        ("agenda", "Platform spring", None),
        ("transition", "Platform spring", S.ADOPTED),
        ("transition", None, S.IN_PROGRESS),
        ("agenda", "Bureau June", None),
    ]


def test_the_measure_page_shows_the_decision_on_its_item_or_marks_one_entered_without(
    env, platform_agenda, login_as
):
    meeting, (first, second, _third) = platform_agenda
    services.record_meeting_decisions(
        meeting, {first.id: (Outcome.ADOPTED, "")}, actor=env["secretariat"]
    )
    transition_measure(second, S.ADOPTED, actor=env["secretariat"], meeting=meeting)  # the form
    db.session.commit()
    client = login_as(env["secretariat"])
    decided = client.get(f"/measures/{first.id}").get_data(as_text=True)
    timeline = decided.split('id="timeline"')[1].split("</ol>")[0]
    assert "Decision: Adopted" in timeline
    assert "entered without an agenda item" not in timeline
    entered = client.get(f"/measures/{second.id}").get_data(as_text=True)
    assert "entered without an agenda item" in entered.split('id="timeline"')[1]


def test_the_minutes_show_each_decision_with_what_it_did_to_the_measure(
    env, platform_agenda, login_as
):
    meeting, (first, second, _third) = platform_agenda
    services.record_meeting_decisions(
        meeting,
        {first.id: (Outcome.ADOPTED, ""), second.id: (Outcome.DEFERRED, "")},
        actor=env["secretariat"],
    )
    db.session.commit()
    minutes = minutes_services.minutes_of_meeting(meeting.id)
    client = login_as(env["secretariat"])
    page = client.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "Measure 1.1:" in page
    assert "tag-adopted" in page
    assert "Deferred to a later meeting" in page
    editor = client.get(f"/minutes/{minutes.id}/decisions").get_data(as_text=True)
    assert f"/decisions/{minutes.decisions[0].id}/delete" not in editor  # kept with the measure
    removed = client.post(
        f"/minutes/{minutes.id}/decisions/{minutes.decisions[0].id}/delete", follow_redirects=True
    )
    assert "it stays in the minutes and in the measure" in removed.get_data(as_text=True)
    db.session.expire_all()
    assert len(minutes_services.minutes_of_meeting(meeting.id).decisions) == 2


def test_the_meeting_page_lists_the_decisions_taken_on_its_measures(env, platform_agenda, login_as):
    meeting, (first, second, _third) = platform_agenda
    services.record_meeting_decisions(
        meeting,
        {first.id: (Outcome.ADOPTED, ""), second.id: (Outcome.RETURNED, "")},
        actor=env["secretariat"],
    )
    db.session.commit()
    page = login_as(env["secretariat"]).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    section = page.split('id="meeting-measures-title"')[1].split("</section>")[0]
    assert "<td>Adopted</td>" in section
    assert "<td>Returned to the bureau for rework</td>" in section
    assert "<td>—</td>" in section  # the third proposal: not decided
