"""Translatable names of the action plan's enumerations and verdicts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.core.labels import Labels
from coordination.measures.models import IndicatorDirection, PlanStatus, ReportStatus

DIRECTION_LABELS = Labels(
    IndicatorDirection,
    {
        IndicatorDirection.MORE_IS_BETTER: _l("More is better"),
        IndicatorDirection.LESS_IS_BETTER: _l("Less is better"),
    },
)

REPORT_STATUS_LABELS = Labels(
    ReportStatus,
    {
        ReportStatus.SUBMITTED: _l("Awaiting review"),
        ReportStatus.ACCEPTED: _l("Accepted"),
        ReportStatus.RETURNED: _l("Sent back"),
    },
)

PLAN_STATUS_LABELS = Labels(
    PlanStatus,
    {
        PlanStatus.OPEN: _l("Open"),
        PlanStatus.CLOSED: _l("Closed"),
    },
)

VERDICT_LABELS = {
    "met": _l("Target met"),
    "not_met": _l("Target not met"),
    "no_result": _l("No result reported"),
    "no_target": _l("No target for this year"),
}
