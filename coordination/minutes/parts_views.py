"""The parts of the minutes beside their text: attendance, decisions and follow-up actions
(added and removed while the minutes are editable), and the owner agency's updates of its
actions (registered on the minutes' blueprint, :mod:`coordination.minutes.blueprint`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import Field

from coordination.agencies.models import Agency
from coordination.agencies.services import agencies_in_forum_on
from coordination.auth.guards import authorize
from coordination.auth.policy import Action
from coordination.core.actions import form_page, submit_button
from coordination.core.errors import ValidationError
from coordination.core.forms import ConfirmForm
from coordination.core.urls import safe_next_url
from coordination.db import db
from coordination.minutes import forms, services, workflow
from coordination.minutes.blueprint import bp, minutes_or_404, minutes_page
from coordination.minutes.models import Decision, FollowUpAction, FollowUpStatus, Minutes

# --- attendance, decisions, follow-up actions ------------------------------------------------


def _forum_agencies(minutes: Minutes) -> list[Agency]:
    """The agencies that sat in the forum on the meeting date: who attends, who owns actions."""
    meeting = minutes.meeting
    return agencies_in_forum_on(meeting.forum_id, meeting.local_date)


@bp.route("/<id:minutes_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(minutes_id: int):
    """Who was present, excused or absent, for every agency of the forum on that date."""
    minutes = minutes_or_404(minutes_id, Action.MINUTES_WRITE, full=True)
    agencies = _forum_agencies(minutes)
    form = forms.attendance_form_class(agencies)()
    announced = services.announced_attendance(minutes.meeting)
    if not form.is_submitted():
        # What the answers to the invitation announced, where nothing is recorded yet: the
        # secretariat checks it and saves it in one action.
        form.fill(minutes.attendance, {key: a.presence for key, a in announced.items()})
    return form_page(
        form,
        lambda: services.record_attendance(minutes, form.presences(), actor=current_user),
        success=_("The attendance has been saved."),
        then=minutes_page(minutes),
        template="minutes/attendance.html",
        context={
            "minutes": minutes,
            "fields": form.presence_fields(),
            "announced": [announced.get(agency.id) for agency in agencies],
            "editable": minutes.status in workflow.EDITABLE,
        },
    )


@dataclass(frozen=True)
class _Part:
    """A list of the minutes beside the text (decisions, follow-up actions): its page lists the
    entries and adds one while the minutes are a draft; a button beside an entry removes it."""

    #: Its page's endpoint and template are ``minutes.<name>`` and ``minutes/<name>.html``.
    name: str
    model: type[Decision | FollowUpAction]
    remove: Callable[..., None]
    added: LazyString
    removed: LazyString


DECISIONS = _Part(
    "decisions",
    Decision,
    services.delete_decision,
    added=_l("The decision has been added."),
    removed=_l("The decision has been removed."),
)
FOLLOW_UPS = _Part(
    "follow_ups",
    FollowUpAction,
    services.delete_follow_up,
    added=_l("The follow-up action has been added."),
    removed=_l("The follow-up action has been removed."),
)


def _part_page(
    part: _Part, minutes: Minutes, form: FlaskForm, add: Callable[[], object], error_field: Field
):
    """The part's page: its entries and the form that adds one."""
    return form_page(
        form,
        add,
        error_field=error_field,
        success=str(part.added),
        then=url_for(f"minutes.{part.name}", minutes_id=minutes.id),
        template=f"minutes/{part.name}.html",
        context={
            "minutes": minutes,
            "confirm": ConfirmForm(formdata=None),
            "editable": minutes.status in workflow.EDITABLE,
        },
    )


def _remove_entry(part: _Part, minutes_id: int, entry_id: int) -> BaseResponse:
    """The button beside an entry: remove it, then back to the part's page (303).

    :raise 404: when the entry does not exist or belongs to other minutes.
    """
    minutes = minutes_or_404(minutes_id, Action.MINUTES_WRITE, full=True)
    model = part.model
    entry = db.session.scalar(
        select(model).where(model.id == entry_id, model.minutes_id == minutes.id)
    )
    if entry is None:
        abort(404)
    return submit_button(
        ConfirmForm(),
        lambda: part.remove(entry, actor=current_user),
        success=str(part.removed),
        then=url_for(f"minutes.{part.name}", minutes_id=minutes.id),
    )


@bp.route("/<id:minutes_id>/decisions", methods=["GET", "POST"])
@login_required
def decisions(minutes_id: int):
    minutes = minutes_or_404(minutes_id, Action.MINUTES_WRITE, full=True)
    form = forms.DecisionForm()
    form.set_agenda_items(minutes.meeting.agenda_items)
    return _part_page(
        DECISIONS,
        minutes,
        form,
        lambda: services.add_decision(
            minutes, text=form.text.data, agenda_item=form.chosen_item(), actor=current_user
        ),
        error_field=form.text,
    )


@bp.post("/<id:minutes_id>/decisions/<id:decision_id>/delete")
@login_required
def delete_decision(minutes_id: int, decision_id: int):
    return _remove_entry(DECISIONS, minutes_id, decision_id)


@bp.route("/<id:minutes_id>/follow-ups", methods=["GET", "POST"])
@login_required
def follow_ups(minutes_id: int):
    minutes = minutes_or_404(minutes_id, Action.MINUTES_WRITE, full=True)
    form = forms.FollowUpForm()
    form.set_owners(_forum_agencies(minutes))

    def add() -> FollowUpAction:
        owner = form.chosen_owner()
        if owner is None:
            raise ValidationError(_l("Choose an agency that sat in the forum."))
        return services.add_follow_up(
            minutes,
            description=form.description.data,
            owner=owner,
            due_date=form.due_date.data,
            actor=current_user,
        )

    return _part_page(FOLLOW_UPS, minutes, form, add, error_field=form.owner)


@bp.post("/<id:minutes_id>/follow-ups/<id:action_id>/delete")
@login_required
def delete_follow_up(minutes_id: int, action_id: int):
    return _remove_entry(FOLLOW_UPS, minutes_id, action_id)


def _follow_up(action_id: int) -> FollowUpAction:
    """The follow-up action, if the current user may update it.

    :raise 404: when it does not exist or its minutes are hidden from the user (the action of
        draft minutes must not leak to its owner). :raise 403: when the user may not update it.
    """
    action = db.get_or_404(FollowUpAction, action_id)
    authorize(Action.MINUTES_VIEW, action.minutes, hide=True)
    authorize(Action.FOLLOWUPS_UPDATE, action)
    return action


@bp.post("/follow-ups/<id:action_id>/status")
@login_required
def follow_up_status(action_id: int):
    """The owner agency (or the secretariat) moves an action to in progress or done."""
    action = _follow_up(action_id)
    form = forms.FollowUpStatusForm()
    # Back to the page that showed the button: the minutes, or the home page.
    back = safe_next_url(form.next.data) or url_for("minutes.show", minutes_id=action.minutes_id)
    return submit_button(
        form,
        lambda: services.update_follow_up_status(
            action,
            FollowUpStatus(form.status.data),
            expected_version=form.version.data,
            actor=current_user,
        ),
        success=_("The follow-up action has been updated."),
        then=back,
        incomplete=_l("Choose a valid status."),
    )
