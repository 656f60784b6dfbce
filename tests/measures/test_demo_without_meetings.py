"""The action-plan part of the demo on its own, on an empty database (no demo meetings)."""

from __future__ import annotations

import sqlalchemy as sa

from coordination.db import db
from coordination.measures.models import MeasureStatus, MeasureTransition
from coordination.meetings.models import AgendaItem


def test_action_plan_alone_records_history_without_links(app):
    """The action-plan loader on a database without meetings: history, but no links."""
    from coordination.demo import DemoSummary
    from coordination.demo.measures import load_measures
    from coordination.demo.people import load_accounts
    from coordination.demo.structure import load_agencies_and_forums

    summary = DemoSummary()
    load_agencies_and_forums(summary)
    load_accounts(summary)
    load_measures(summary)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(AgendaItem.id))) == 0
    adopted = db.session.scalars(
        sa.select(MeasureTransition).where(MeasureTransition.to_status == MeasureStatus.ADOPTED)
    ).all()
    assert adopted
    assert all(t.meeting_id is None for t in adopted)
