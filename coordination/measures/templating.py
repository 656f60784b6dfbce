"""What the action plan gives templates: labels, amounts, and its sections of other pages
(the meeting page, the home page)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import Blueprint, url_for
from flask_babel import format_decimal
from flask_login import current_user

from coordination.auth.policy import Action, can
from coordination.core.sections import add_section
from coordination.core.time import today_brussels
from coordination.measures import queries
from coordination.measures.labels import (
    DIRECTION_LABELS,
    PLAN_STATUS_LABELS,
    REPORT_STATUS_LABELS,
    VERDICT_LABELS,
)
from coordination.measures.models import MeasureStatus
from coordination.measures.workflow import STATUS_LABELS, status_label
from coordination.meetings.models import AgendaItemKind, Meeting
from coordination.users.models import User

LABEL_GLOBALS = {
    "measure_status_labels": STATUS_LABELS,
    "indicator_direction_labels": DIRECTION_LABELS,
    "report_status_labels": REPORT_STATUS_LABELS,
    "plan_status_labels": PLAN_STATUS_LABELS,
    "verdict_labels": VERDICT_LABELS,
}


def register_template_helpers(bp: Blueprint) -> None:
    # Globals rather than a context processor: imported macros see globals, not the context.
    bp.record_once(lambda state: state.app.jinja_env.globals.update(LABEL_GLOBALS))
    bp.add_app_template_global(status_label, "measure_status_label")
    bp.add_app_template_filter(format_amount, "measure_amount")
    add_section("meeting", "measures", measures_for_meeting)
    add_section("home", "measures", measures_home)


def format_amount(value: Decimal | None) -> str:
    """An indicator value in the reader's language (240; 9,5 in Dutch and French)."""
    if value is None:
        return ""
    return format_decimal(value)


@dataclass(frozen=True)
class MeetingSection:
    items: list[tuple]
    proposals: int
    decisions_url: str | None


def measures_for_meeting(meeting: Meeting) -> MeetingSection:
    """What ``measures/_meeting_section.html`` shows on a meeting page (one statement)."""
    if not can(current_user, Action.MEASURES_VIEW):
        return MeetingSection(items=[], proposals=0, decisions_url=None)
    items = queries.measures_on_meeting(meeting.id)
    proposals = sum(
        1
        for item, measure in items
        if measure.status is MeasureStatus.PROPOSED and item.kind is AgendaItemKind.DECISION
    )
    decisions_url = None
    if can(current_user, Action.MEASURES_DECIDE, meeting):
        decisions_url = url_for("decisions.meeting", meeting_id=meeting.id)
    return MeetingSection(items=items, proposals=proposals, decisions_url=decisions_url)


def measures_home(user: User) -> queries.HomeSection | None:
    """What ``measures/_home_section.html`` shows on ``user``'s home page."""
    if not can(user, Action.MEASURES_VIEW):
        return None
    return queries.home_section(user, today_brussels())
