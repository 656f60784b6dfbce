"""A large action plan in a few bulk statements: for the scale test and ``bench/dashboard.py``.

Measures and their creation and adoption transitions are inserted with
``db.session.execute(insert(Model), rows)``; indicators, targets and results, being
hundreds of thousands of rows, are derived from them inside the database
(``INSERT ... SELECT``), one statement per table and year.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Integer, String, case, cast, func, insert, literal, select, union_all

from coordination.db import db
from coordination.measures.models import (
    ActionPlan,
    Indicator,
    IndicatorDirection,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureStatus,
    MeasureTransition,
)

#: The status of measure number i is STATUSES[i % len(STATUSES)].
STATUSES = list(MeasureStatus)


def add_measures(
    plan: ActionPlan,
    *,
    count: int,
    indicators_per_measure: int,
    years: Sequence[int],
    agency_ids: Sequence[int],
    adoption_meeting_ids: Sequence[int],
    today: date,
    first_number: int = 1,
) -> None:
    """Add ``count`` measures to ``plan``, each with its indicators, targets and results."""
    now = datetime.now(UTC)
    themes = plan.themes
    measure_rows = [
        {
            "plan_id": plan.id,
            "theme_id": themes[number % len(themes)].id,
            "code": f"{themes[number % len(themes)].position}.{number}",
            "title_nl": f"Maatregel {number} van de schaaltest",
            "title_fr": f"Mesure {number} du test d'échelle",
            "lead_agency_id": agency_ids[number % len(agency_ids)],
            "deadline": today + timedelta(days=(number % 900) - 450),
            "status": STATUSES[number % len(STATUSES)],
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for number in range(first_number, first_number + count)
    ]
    db.session.execute(insert(Measure), measure_rows)
    codes = [row["code"] for row in measure_rows]
    ids = dict(
        db.session.execute(
            select(Measure.code, Measure.id).where(
                Measure.plan_id == plan.id, Measure.code.in_(codes)
            )
        ).all()
    )
    transitions = [
        {
            "measure_id": ids[row["code"]],
            "from_status": None,
            "to_status": MeasureStatus.PROPOSED,
            "at": now,
            "note": "",
        }
        for row in measure_rows
    ]
    transitions += [
        {
            "measure_id": ids[row["code"]],
            "from_status": MeasureStatus.PROPOSED,
            "to_status": MeasureStatus.ADOPTED,
            "at": now,
            "note": "",
            "meeting_id": adoption_meeting_ids[index % len(adoption_meeting_ids)]
            if adoption_meeting_ids
            else None,
        }
        for index, row in enumerate(measure_rows)
        if row["status"] not in (MeasureStatus.PROPOSED, MeasureStatus.REJECTED)
    ]
    db.session.execute(insert(MeasureTransition), transitions)
    measure_ids = list(ids.values())
    positions = union_all(
        *(
            select(literal(position).label("position"))
            for position in range(1, indicators_per_measure + 1)
        )
    ).subquery("positions")
    db.session.execute(
        insert(Indicator).from_select(
            ["measure_id", "position", "name_nl", "unit", "direction", "version"],
            select(
                Measure.id,
                positions.c.position,
                literal("Indicator ") + cast(positions.c.position, String),
                literal("cases"),
                case(
                    (
                        positions.c.position % 5 == 0,
                        literal(IndicatorDirection.LESS_IS_BETTER.value),
                    ),
                    else_=literal(IndicatorDirection.MORE_IS_BETTER.value),
                ),
                literal(1),
            )
            .select_from(Measure)
            .join(positions, literal(True))
            .where(Measure.id.in_(measure_ids)),
        )
    )
    new_indicators = select(Indicator.id).where(
        Indicator.measure_id.in_(
            select(Measure.id).where(Measure.plan_id == plan.id, Measure.code.in_(codes))
        )
    )
    for year in years:
        db.session.execute(
            insert(IndicatorTarget).from_select(
                ["indicator_id", "year", "target"],
                select(Indicator.id, literal(year), literal(100)).where(
                    Indicator.id.in_(new_indicators)
                ),
            )
        )
        # Results around the target (some met, some not), for every indicator but one in
        # seven (no result yet).
        db.session.execute(
            insert(IndicatorValue).from_select(
                ["indicator_id", "year", "value", "source", "reported_at"],
                select(
                    Indicator.id,
                    literal(year),
                    cast(Indicator.id * 7 + year, Integer) % 200,
                    literal("scale test"),
                    literal(datetime(year + 1, 1, 15, tzinfo=UTC)),
                ).where(Indicator.id.in_(new_indicators), Indicator.id % 7 != 0),
            )
        )
    db.session.flush()


def count_rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0
