"""What the minutes give templates: labels, their state, and their sections of other pages
(the meeting page, the home page, the briefing pack)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint
from flask_login import current_user

from coordination.auth.policy import Action, can
from coordination.core.sections import add_section
from coordination.meetings.models import Meeting
from coordination.minutes import circulation, services, workflow
from coordination.minutes.labels import (
    ATTENDEE_ROLE_LABELS,
    CHANGE_LABELS,
    FOLLOW_UP_STATUS_LABELS,
    MINUTES_STATUS_LABELS,
    PRESENCE_LABELS,
)
from coordination.minutes.models import Minutes, MinutesStatus

#: The briefing pack lists the open follow-ups of the meetings of the past year.
BRIEFING_FOLLOW_UP_DAYS = 365


def register_template_helpers(bp: Blueprint) -> None:
    # The labels are in every page's context (macros imported "with context" see them).
    bp.app_context_processor(label_context)
    add_section("meeting", "minutes", minutes_for_meeting)
    add_section("home", "circulated", circulation.circulated_for_comment)
    add_section("home", "follow_ups", services.open_follow_ups_for)
    bp.add_app_template_global(briefing_follow_ups)
    bp.add_app_template_global(minutes_is_editable)
    bp.add_app_template_global(minutes_is_published)


def label_context() -> dict[str, Any]:
    return {
        "minutes_status_labels": MINUTES_STATUS_LABELS,
        "presence_labels": PRESENCE_LABELS,
        "attendee_role_labels": ATTENDEE_ROLE_LABELS,
        "follow_up_status_labels": FOLLOW_UP_STATUS_LABELS,
        "change_labels": CHANGE_LABELS,
    }


def minutes_for_meeting(meeting: Meeting) -> Minutes | None:
    """The minutes of a meeting if the current user may know they exist (meeting page)."""
    minutes = services.minutes_of_meeting(meeting.id)
    if minutes is None or not can(current_user, Action.MINUTES_VIEW, minutes):
        return None
    return minutes


def briefing_follow_ups(today: date) -> services.HomeFollowUps:
    """Open follow-up actions of the past year's meetings, for the platform briefing pack."""
    return services.open_follow_ups_for(
        current_user,
        owned_only=False,
        since=today - timedelta(days=BRIEFING_FOLLOW_UP_DAYS),
        limit=30,
    )


def minutes_is_editable(minutes: Minutes) -> bool:
    return minutes.status in workflow.EDITABLE


def minutes_is_published(minutes: Minutes) -> bool:
    return minutes.status is MinutesStatus.PUBLISHED
