"""A minister's own departments first: the measures of the plan led by the agencies under the
authority of the minister's cabinet (``agencies.models.agency_oversight``, kept by the
secretariat), before the whole plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from coordination.agencies.models import Agency, agency_oversight
from coordination.db import db
from coordination.measures.models import Measure
from coordination.users.models import Role, User

#: The list stays readable; the count says how many there are in all.
LIST_LIMIT = 50


@dataclass(frozen=True)
class Departments:
    agencies: list[Agency]
    measures: list[Measure]
    total: int
    late: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.measures)


def my_departments(user: User, plan_id: int, today: date) -> Departments | None:
    """The measures of the plan led by the agencies under the authority of ``user``'s agency
    (a minister's cabinet), the late ones first; None for anybody else, or when it oversees
    none (three statements at most)."""
    if user.role is not Role.MINISTER or user.agency_id is None:
        return None
    overseen = select(agency_oversight.c.agency_id).where(
        agency_oversight.c.authority_id == user.agency_id
    )
    agencies = list(
        db.session.scalars(select(Agency).where(Agency.id.in_(overseen)).order_by(Agency.code))
    )
    if not agencies:
        return None
    led = (Measure.plan_id == plan_id, Measure.lead_agency_id.in_(overseen))
    late = Measure.late_condition(today)
    counted = db.session.execute(
        select(
            func.count().label("total"),
            func.coalesce(func.sum(case((late, 1), else_=0)), 0).label("late"),
        ).where(*led)
    ).one()
    total: int = counted.total
    late_count: int = counted.late
    measures = db.session.scalars(
        select(Measure)
        .where(*led)
        .options(joinedload(Measure.lead_agency))
        .order_by(case((late, 0), else_=1), Measure.code)
        .limit(LIST_LIMIT)
    )
    return Departments(agencies=agencies, measures=list(measures), total=total, late=late_count)
