"""Services of the action plan: measures, agendas, decisions, indicators, reports, plans."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from coordination.audit.models import AuditEvent
from coordination.core.errors import ConflictError, NotAllowed, ValidationError
from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.measures import queries, services
from coordination.measures.models import (
    IndicatorDirection,
    Measure,
    MeasureStatus,
    MeasureTransition,
    PlanStatus,
    ReportStatus,
)
from coordination.measures.workflow import transition_measure
from coordination.meetings.models import AgendaItemKind, MeetingStatus
from coordination.notifications.models import OutboxMessage
from tests import factories
from tests.measures import factories as mf

S = MeasureStatus
TODAY = today_brussels()


def brussels(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


@pytest.fixture
def env(app):
    world = factories.world()
    world["plan"] = mf.plan()
    db.session.commit()
    return world


# --- measures ------------------------------------------------------------------------------


def test_create_measure_starts_a_timeline(env):
    theme = env["plan"].themes[1]
    measure = services.create_measure(
        services.MeasureContent(
            theme=theme,
            code=" 2.7 ",
            title="Detect exploitation in car washes",
            description="Joint *inspections*.",
            lead_agency=env["both"],
            partners=[env["both"], env["bureau_only"]],
            deadline=date(2025, 12, 31),
        ),
        actor=env["secretariat"],
    )
    db.session.commit()
    assert measure.code == "2.7"
    assert measure.plan == env["plan"]
    assert measure.status is S.PROPOSED
    assert [agency.code for agency in measure.partners] == ["BUREAUONLY"]  # lead left out
    [created] = measure.transitions
    assert created.from_status is None
    assert created.to_status is S.PROPOSED
    assert created.by == env["secretariat"]
    assert db.session.scalar(sa.select(AuditEvent).filter_by(action="measure.create"))


def test_codes_are_unique_within_a_plan_only(env):
    mf.measure(env["plan"], env["both"], code="3.4")
    with pytest.raises(ValidationError, match="already exists"):
        services.create_measure(
            services.MeasureContent(
                theme=env["plan"].themes[0],
                code="3.4",
                title="Again",
                description="",
                lead_agency=env["both"],
                partners=[],
                deadline=None,
            ),
            actor=env["secretariat"],
        )
    other = mf.plan(start_year=2026, end_year=2030)
    created = services.create_measure(
        services.MeasureContent(
            theme=other.themes[0],
            code="3.4",
            title="Next plan",
            description="",
            lead_agency=env["both"],
            partners=[],
            deadline=None,
        ),
        actor=env["secretariat"],
    )
    assert created.plan == other


def test_a_closed_plan_takes_no_new_measure(env):
    env["plan"].status = PlanStatus.CLOSED
    with pytest.raises(NotAllowed, match="closed"):
        services.create_measure(
            services.MeasureContent(
                theme=env["plan"].themes[0],
                code="9.9",
                title="Late idea",
                description="",
                lead_agency=env["both"],
                partners=[],
                deadline=None,
            ),
            actor=env["secretariat"],
        )


def test_update_measure_refuses_a_stale_version(env):
    measure = mf.measure(env["plan"], env["both"], title="Original")
    db.session.commit()
    with pytest.raises(ConflictError):
        services.update_measure(
            measure,
            services.MeasureContent(
                theme=measure.theme,
                code=measure.code,
                title="Mine",
                description="",
                lead_agency=env["both"],
                partners=[],
                deadline=None,
            ),
            expected_version=measure.version - 1,
            actor=env["secretariat"],
        )
    assert measure.title == Texts.same("Original")


@pytest.mark.commits
def test_update_measure_detects_a_concurrent_commit(env):
    """Someone saved between our load and our flush: the database's version decides."""
    measure = mf.measure(env["plan"], env["both"], title="Original")
    db.session.commit()
    loaded_version = measure.version
    with db.engine.begin() as other:  # another request, another connection
        other.execute(
            sa.text(
                "UPDATE measures SET title_nl = 'Theirs', version = version + 1 WHERE id = :id"
            ),
            {"id": measure.id},
        )
    with pytest.raises(ConflictError):
        services.update_measure(
            measure,
            services.MeasureContent(
                theme=measure.theme,
                code=measure.code,
                title="Mine",
                description="",
                lead_agency=env["both"],
                partners=[],
                deadline=None,
            ),
            expected_version=loaded_version,
            actor=env["secretariat"],
        )
    db.session.rollback()
    assert db.session.get(Measure, measure.id).title.nl == "Theirs"


def test_changing_only_partners_bumps_the_version(env):
    measure = mf.measure(env["plan"], env["both"])
    db.session.commit()
    version = measure.version
    services.update_measure(
        measure,
        services.MeasureContent(
            theme=measure.theme,
            code=measure.code,
            title=measure.title,
            description=measure.description,
            lead_agency=env["both"],
            partners=[env["observer"]],
            deadline=None,
        ),
        expected_version=version,
        actor=env["secretariat"],
    )
    db.session.commit()
    assert measure.version == version + 1
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="measure.update"))
    assert event.changes["partners"] == [[], ["OBSERVER"]]


# --- agendas and decisions -----------------------------------------------------------------


def test_a_proposal_goes_at_the_end_of_the_agenda_as_a_decision(env):
    meeting = factories.meeting(env["bureau"], brussels(TODAY + timedelta(days=14)))
    factories.agenda_item(meeting, "Cases and trends")
    factories.agenda_item(meeting, "Round table", position=5)
    measure = mf.measure(env["plan"], env["both"], title="Shelter capacity")
    item = services.put_measure_on_agenda(measure, meeting, actor=env["secretariat"])
    assert item.position == 6
    assert item.kind is AgendaItemKind.DECISION
    assert item.measure_id == measure.id
    assert item.presenting_agency_id == env["both"].id
    assert "Shelter capacity" in str(item.title)


def test_an_adopted_measure_goes_on_the_agenda_for_follow_up(env):
    meeting = factories.meeting(env["bureau"], brussels(TODAY + timedelta(days=14)))
    measure = mf.measure(env["plan"], env["both"], status=S.IN_PROGRESS)
    item = services.put_measure_on_agenda(measure, meeting, actor=env["secretariat"])
    assert item.kind is AgendaItemKind.DISCUSSION
    assert item.position == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("cancelled", "cancelled"),
        ("past", "already taken place"),
        ("final", "final"),
        ("closed_measure", "no longer goes on an agenda"),
        ("twice", "already on the agenda"),
    ],
)
def test_put_on_agenda_refusals(env, case, message):
    day = TODAY - timedelta(days=3) if case == "past" else TODAY + timedelta(days=14)
    fields = {}
    if case == "cancelled":
        fields = {"status": MeetingStatus.CANCELLED, "cancellation_reason": "Strike"}
    if case == "final":
        fields = {"agenda_final": True}
    meeting = factories.meeting(env["bureau"], brussels(day), **fields)
    status = S.IMPLEMENTED if case == "closed_measure" else S.PROPOSED
    measure = mf.measure(env["plan"], env["both"], status=status)
    if case == "twice":
        services.put_measure_on_agenda(measure, meeting, actor=env["secretariat"])
    with pytest.raises(NotAllowed, match=message):
        services.put_measure_on_agenda(measure, meeting, actor=env["secretariat"])


# --- indicators ----------------------------------------------------------------------------


def test_indicator_with_targets(env):
    measure = mf.measure(env["plan"], env["both"], status=S.IN_PROGRESS)
    indicator = services.add_indicator(
        measure,
        services.IndicatorDefinition(
            name="Inspections", unit="inspections", direction=IndicatorDirection.MORE_IS_BETTER,
            baseline_value=Decimal(85), baseline_year=2020,
            targets={2021: Decimal(100), 2022: None, 2023: Decimal(100)},
        ),
        actor=env["secretariat"],
    )  # fmt: skip
    assert {t.year: t.target for t in indicator.targets} == {2021: 100, 2023: 100}
    services.update_indicator(
        indicator,
        services.IndicatorDefinition(
            name="Inspections", unit="inspections", direction=IndicatorDirection.MORE_IS_BETTER,
            baseline_value=None, baseline_year=None,
            targets={2021: Decimal(110), 2023: None, 2024: Decimal(120)},
        ),
        actor=env["secretariat"],
    )  # fmt: skip
    db.session.commit()
    assert {t.year: t.target for t in indicator.targets} == {2021: 110, 2024: 120}


def test_indicator_baseline_needs_its_year(env):
    measure = mf.measure(env["plan"], env["both"])
    with pytest.raises(ValidationError, match="baseline"):
        services.add_indicator(
            measure,
            services.IndicatorDefinition(
                name="x", unit="y", direction=IndicatorDirection.MORE_IS_BETTER,
                baseline_value=Decimal(1), baseline_year=None, targets={},
            ),
            actor=None,
        )  # fmt: skip


def test_target_against_result(env):
    measure = mf.measure(env["plan"], env["both"], status=S.IN_PROGRESS)
    more = mf.indicator(measure, targets={2022: "100", 2023: "100", 2024: "100", 2025: "100"})
    mf.value(more, 2022, "80")
    mf.value(more, 2023, "100")
    mf.value(more, 2024, "240")
    mf.value(more, 2021, "70")  # a result without a target
    less = mf.indicator(
        measure, name="Days to issue a residence document", unit="days",
        direction=IndicatorDirection.LESS_IS_BETTER, targets={2023: "10", 2024: "10"},
    )  # fmt: skip
    mf.value(less, 2023, "14")
    mf.value(less, 2024, "9.5")
    db.session.commit()
    verdicts = {row.year: row.verdict for row in queries.indicator_results(more)}
    assert verdicts == {
        2021: "no_target", 2022: "not_met", 2023: "met", 2024: "met", 2025: "no_result",
    }  # fmt: skip
    assert {r.year: r.verdict for r in queries.indicator_results(less)} == {
        2023: "not_met",
        2024: "met",
    }


def test_only_accepted_or_secretariat_values_count_and_the_latest_wins(env):
    measure = mf.measure(env["plan"], env["both"], status=S.IN_PROGRESS)
    indicator = mf.indicator(measure, targets={2024: "100"})
    mf.value(indicator, 2024, "90", source="Secretariat estimate")
    pending = mf.report(measure, env["rep_both"], 2024, ReportStatus.SUBMITTED)
    mf.value(indicator, 2024, "150", report_=pending).reported_at += timedelta(days=1)
    returned = mf.report(measure, env["rep_both"], 2024, ReportStatus.RETURNED, reviewer=None)
    mf.value(indicator, 2024, "500", report_=returned).reported_at += timedelta(days=2)
    db.session.commit()
    [row] = queries.indicator_results(indicator)
    assert row.result.value == Decimal(90)
    assert row.verdict == "not_met"
    services.accept_progress_report(pending, reviewer=env["secretariat"])
    db.session.commit()
    [row] = queries.indicator_results(indicator)
    assert row.result.value == Decimal(150)
    assert row.verdict == "met"


# --- progress reports ----------------------------------------------------------------------


def test_submit_accept_and_return_reports(env):
    measure = mf.measure(env["plan"], env["both"], status=S.IN_PROGRESS)
    indicator = mf.indicator(measure, targets={2024: "100"})
    report = services.submit_progress_report(
        measure, author=env["rep_both"], year=2024, text="We ran *240* inspections.",
        values={indicator.id: (Decimal(240), "NSSO activity report 2024")},
    )  # fmt: skip
    db.session.commit()
    assert report.status is ReportStatus.SUBMITTED
    assert report.agency_id == env["both"].id
    [value] = report.values
    assert (value.year, value.value, value.reported_by) == (2024, 240, env["rep_both"])
    to_secretariat = db.session.scalars(sa.select(OutboxMessage)).all()
    assert [m.recipient for m in to_secretariat] == ["sec@example.org"]

    services.accept_progress_report(report, reviewer=env["secretariat"], comment="Thanks")
    db.session.commit()
    assert report.status is ReportStatus.ACCEPTED
    assert report.reviewed_at is not None
    to_author = sa.select(sa.func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == "both@example.org"
    )
    assert db.session.scalar(to_author) == 1
    with pytest.raises(NotAllowed, match="already been reviewed"):
        services.return_progress_report(report, reviewer=env["secretariat"], comment="No")

    second = services.submit_progress_report(
        measure, author=env["rep_both"], year=2025 if TODAY.year >= 2025 else 2024,
        text="Draft", values={},
    )  # fmt: skip
    with pytest.raises(ValidationError, match="why"):
        services.return_progress_report(second, reviewer=env["secretariat"], comment="  ")
    services.return_progress_report(second, reviewer=env["secretariat"], comment="Add figures")
    assert second.status is ReportStatus.RETURNED
    assert second.reviewer_comment == "Add figures"


@pytest.mark.parametrize("status", [S.PROPOSED, S.REJECTED, S.WITHDRAWN])
def test_no_report_on_a_measure_not_adopted(env, status):
    measure = mf.measure(env["plan"], env["both"], status=status)
    with pytest.raises(NotAllowed, match="adopted measures"):
        services.submit_progress_report(
            measure, author=env["rep_both"], year=2024, text="x", values={}
        )


def test_report_values_need_a_source_and_the_measures_indicator(env):
    measure = mf.measure(env["plan"], env["both"], status=S.ADOPTED)
    other = mf.indicator(mf.measure(env["plan"], env["both"]))
    own = mf.indicator(measure)
    with pytest.raises(ValidationError, match="source"):
        services.submit_progress_report(
            measure, author=env["rep_both"], year=2024, text="x", values={own.id: (Decimal(1), " ")}
        )
    db.session.rollback()
    with pytest.raises(ValidationError, match="does not belong"):
        services.submit_progress_report(
            measure, author=env["rep_both"], year=2024, text="x",
            values={other.id: (Decimal(1), "src")},
        )  # fmt: skip
    db.session.rollback()
    with pytest.raises(ValidationError, match="not started"):
        services.submit_progress_report(
            measure, author=env["rep_both"], year=TODAY.year + 1, text="x", values={}
        )


# --- late ----------------------------------------------------------------------------------

DAY = date(2025, 6, 30)


def test_late_in_sql_and_in_python_agree(env):
    measures = []
    for status in MeasureStatus:
        for deadline in (None, DAY - timedelta(days=1), DAY, DAY + timedelta(days=1)):
            measures.append(mf.measure(env["plan"], env["both"], status=status, deadline=deadline))
    db.session.commit()
    in_sql = set(db.session.scalars(sa.select(Measure.id).where(Measure.late_condition(DAY))))
    in_python = {m.id for m in measures if m.late_on(DAY)}
    assert in_sql == in_python
    expected = {
        m.id
        for m in measures
        if m.deadline == DAY - timedelta(days=1)
        and m.status in (S.PROPOSED, S.ADOPTED, S.IN_PROGRESS, S.POSTPONED)
    }
    assert in_python == expected
    assert len(expected) == 4


def test_is_late_uses_today_in_brussels(env):
    late = mf.measure(env["plan"], env["both"], S.IN_PROGRESS, deadline=TODAY - timedelta(1))
    due_today = mf.measure(env["plan"], env["both"], S.IN_PROGRESS, deadline=TODAY)
    done = mf.measure(env["plan"], env["both"], S.IMPLEMENTED, deadline=TODAY - timedelta(1))
    assert (late.is_late, due_today.is_late, done.is_late) == (True, False, False)


# --- plans and carry-over ------------------------------------------------------------------


def test_open_plan_copies_themes_and_refuses_duplicates(env):
    new = services.open_plan(
        code="nap-2026-2030", title_nl="NAP", title_fr="PAN", title_en="NAP", start_year=2026,
        end_year=2030, copy_themes_from=env["plan"], actor=env["secretariat"],
    )  # fmt: skip
    db.session.commit()
    assert new.code == "NAP-2026-2030"
    assert [t.name_en for t in new.themes] == [t.name_en for t in env["plan"].themes]
    with pytest.raises(ValidationError, match="already exists"):
        services.open_plan(
            code="NAP-2026-2030", title_nl="x", title_fr="x", title_en="x", start_year=2026,
            end_year=2030, copy_themes_from=None, actor=None,
        )  # fmt: skip
    theme = services.add_theme(new, name_nl="Nieuw", name_fr="Nouveau", name_en="New", actor=None)
    assert theme.position == len(env["plan"].themes) + 1


def test_carry_over_keeps_the_history(env):
    old = mf.measure(
        env["plan"], env["both"], S.IN_PROGRESS, code="3.4", theme=env["plan"].themes[2],
        partners=[env["observer"]], deadline=date(2024, 12, 31),
    )  # fmt: skip
    indicator = mf.indicator(old, targets={2025: "100", 2026: "110"}, baseline=("85", 2020))
    mf.value(indicator, 2024, "240")
    finished = mf.measure(env["plan"], env["both"], S.IMPLEMENTED)
    new_plan = services.open_plan(
        code="NAP-2026-2030", title_nl="n", title_fr="f", title_en="e", start_year=2026,
        end_year=2030, copy_themes_from=env["plan"], actor=env["secretariat"],
    )  # fmt: skip
    db.session.commit()
    assert old in services.carry_over_candidates(new_plan)
    assert finished not in services.carry_over_candidates(new_plan)

    [new] = services.carry_over_measures(new_plan, [old], actor=env["secretariat"])
    db.session.commit()
    assert new.plan == new_plan
    assert new.code == "3.4"
    assert new.theme.name_en == old.theme.name_en
    assert new.theme.plan == new_plan
    assert new.status is S.PROPOSED
    assert old.status is S.IN_PROGRESS
    assert new.carried_over_from == old
    assert old.carried_over_to == [new]
    assert new.deadline is None  # the old deadline lies before the new plan
    assert [a.code for a in new.partners] == ["OBSERVER"]
    [copy] = new.indicators
    assert {t.year: t.target for t in copy.targets} == {2026: 110}
    assert copy.values == []
    assert copy.baseline_value == 85
    assert [m for m, _entries in queries.earlier_history(queries.load_measure(new.id))] == [old]
    assert old not in services.carry_over_candidates(new_plan)

    with pytest.raises(ValidationError, match="already been carried over"):
        services.carry_over_measures(new_plan, [old], actor=env["secretariat"])
    with pytest.raises(NotAllowed, match="finished"):
        services.carry_over_measures(new_plan, [finished], actor=env["secretariat"])


def test_carry_over_needs_matching_themes(env):
    old = mf.measure(env["plan"], env["both"], S.ADOPTED, theme=env["plan"].themes[2])
    bare = mf.plan(start_year=2026, end_year=2030, themes=[])
    with pytest.raises(ValidationError, match="no theme"):
        services.carry_over_measures(bare, [old], actor=None)
    bare.status = PlanStatus.CLOSED
    with pytest.raises(NotAllowed, match="closed"):
        services.carry_over_measures(bare, [old], actor=None)


def test_transition_history_survives_a_deleted_meeting(env):
    meeting = factories.meeting(env["platform"])
    measure = mf.measure(env["plan"], env["both"])
    mf.on_agenda(measure, meeting)
    transition_measure(measure, S.ADOPTED, actor=env["secretariat"], meeting=meeting)
    db.session.commit()
    db.session.delete(meeting)
    db.session.commit()
    transition = db.session.scalar(
        sa.select(MeasureTransition).where(MeasureTransition.to_status == S.ADOPTED)
    )
    assert transition.meeting_id is None
    assert measure.status is S.ADOPTED
