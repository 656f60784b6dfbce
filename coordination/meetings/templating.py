"""What the meetings give templates: labels, the next meetings, the meeting's address, the
month's caption and file sizes."""

from __future__ import annotations

from datetime import date

from flask import Blueprint
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from coordination.auth.policy import Action, can
from coordination.core.sections import add_section
from coordination.core.templating import localised
from coordination.core.time import today_brussels, utcnow
from coordination.meetings import queries, replies
from coordination.meetings.convocation import convocation_url
from coordination.meetings.labels import KIND_LABELS, REPLY_LABELS, describe_series_pattern
from coordination.meetings.links import meeting_url
from coordination.meetings.models import (
    AgendaItemKind,
    Meeting,
    MeetingReply,
    MeetingStatus,
    ReplyAnswer,
)
from coordination.meetings.timetable import timetable
from coordination.meetings.workflow import STATUS_LABELS

#: Meetings listed on the home page.
HOME_LIMIT = 5


def register_template_helpers(bp: Blueprint) -> None:
    for function in (
        meeting_status_label,
        agenda_kind_label,
        month_label,
        reply_label,
    ):
        bp.add_app_template_global(function)
    bp.add_app_template_global(replies.reply_link, "reply_link")
    bp.add_app_template_global(ReplyAnswer, "reply_answers")
    bp.add_app_template_global(describe_series_pattern, "describe_series_pattern")
    bp.add_app_template_global(meeting_url)
    bp.add_app_template_global(convocation_url)
    bp.add_app_template_global(timetable, "agenda_timetable")
    bp.add_app_template_filter(filesize)
    add_section("home", "planning_gaps", lambda user: meeting_planning_gaps())
    add_section("home", "next_meetings", lambda user: next_meetings())


def next_meetings(limit: int = HOME_LIMIT) -> list[Meeting]:
    """The current user's next visible meetings (the home page's section)."""
    if not current_user.is_authenticated:
        return []
    return queries.next_meetings(current_user, utcnow(), limit)


def meeting_planning_gaps() -> list[queries.PlanningGap]:
    """For the secretariat's home page: the forums with nothing planned three months ahead."""
    if not can(current_user, Action.MEETINGS_MANAGE):
        return []
    return queries.planning_gaps(today_brussels())


def meeting_status_label(status: MeetingStatus | str) -> str:
    return str(STATUS_LABELS[MeetingStatus(status)])


def agenda_kind_label(kind: AgendaItemKind | str) -> str:
    return str(KIND_LABELS[AgendaItemKind(kind)])


def month_label(day: date) -> str:
    """ "March 2026" in the reader's language (the calendar's caption)."""
    return format_date(day, "LLLL yyyy")


def filesize(size: int) -> str:
    """A file size for people: 840 kB, 1.2 MB."""
    if size < 1024 * 1024:
        return _("%(size)s kB", size=format_decimal(max(1, round(size / 1024))))
    return _("%(size)s MB", size=format_decimal(round(size / (1024 * 1024), 1)))


def reply_label(reply: MeetingReply) -> str:
    """An answer as people read it; a substitute with their name and agency."""
    label = str(REPLY_LABELS[reply.answer])
    if reply.answer is ReplyAnswer.SUBSTITUTE and reply.substitute_name:
        agency = localised(reply.substitute_agency)
        who = f"{reply.substitute_name} ({agency})" if agency else reply.substitute_name
        return _("%(answer)s: %(name)s", answer=label, name=who)
    return label
