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
from coordination.auth.guards import authorize
from coordination.auth.policy import Action
from coordination.core.actions import form_page, submit_button
from coordination.core.errors import ValidationError
from coordination.core.forms import ConfirmForm
from coordination.core.sections import page_sections
from coordination.core.urls import safe_next_url
from coordination.db import db
from coordination.minutes import attendance, forms, services, workflow
from coordination.minutes.blueprint import bp, minutes_or_404
from coordination.minutes.models import (
    Attendee,
    AttendeeRole,
    Decision,
    FollowUpAction,
    FollowUpStatus,
    Minutes,
)

# --- attendance, decisions, follow-up actions ------------------------------------------------


@dataclass(frozen=True)
class _Attendance:
    """What the attendance page starts from: the agencies that sat in the forum that day and
    what the answers to the invitation announce for them."""

    minutes: Minutes
    agencies: list[Agency]
    announced: dict[int, attendance.Announced]

    @classmethod
    def of(cls, minutes_id: int) -> _Attendance:
        minutes = minutes_or_404(minutes_id, Action.MINUTES_WRITE, full=True)
        return cls(
            minutes,
            attendance.forum_agencies(minutes),
            attendance.announced_attendance(minutes.meeting),
        )

    def set_by_hand(self) -> list[Agency]:
        """The agencies without people recorded: their presence is chosen, not derived."""
        with_people = attendance.agencies_with_people(self.minutes)
        return [agency for agency in self.agencies if agency.id not in with_people]

    def presence_form(self, *, posted: bool = True) -> FlaskForm:
        """One presence choice per agency without people recorded (the others follow theirs).
        Unless ``posted`` (and it is), it shows what is recorded, else what the answers
        announce: the secretariat checks it and saves it in one action."""
        form_class = forms.attendance_form_class(self.set_by_hand())
        form = form_class() if posted else form_class(formdata=None)
        if not (posted and form.is_submitted()):
            presences = {key: announced.presence for key, announced in self.announced.items()}
            form.fill(self.minutes.attendance, presences)
        return form

    def person_form(self, *, posted: bool = True) -> forms.AttendeeForm:
        form = forms.AttendeeForm() if posted else forms.AttendeeForm(formdata=None)
        form.set_agencies(self.agencies)
        return form

    def page(self, form: FlaskForm, call: Callable[[], object], *, success: str, **shown):
        """The page handling one of its forms; ``shown`` gives the form it handles by its
        name in the page (``presence_form`` or ``person_form``), the other starts afresh."""
        presence_form = shown.get("presence_form") or self.presence_form(posted=False)
        return form_page(
            form,
            call,
            success=success,
            then=url_for("minutes.attendance", minutes_id=self.minutes.id),
            template="minutes/attendance.html",
            context={
                "minutes": self.minutes,
                "presence_form": presence_form,
                "person_form": shown.get("person_form") or self.person_form(posted=False),
                # Each agency set by hand, with what the answers announce for it.
                "fields": list(
                    zip(
                        presence_form.presence_fields(),
                        [self.announced.get(agency.id) for agency in self.set_by_hand()],
                        strict=True,
                    )
                ),
                "people_by_agency": [
                    (agency, people, attendance.presence_of(p.role for p in people))
                    for agency in self.agencies
                    if (people := [a for a in self.minutes.attendees if a.agency_id == agency.id])
                ],
                "anyone_answered": bool(self.announced),
                "confirm": ConfirmForm(formdata=None),
                "editable": self.minutes.status in workflow.EDITABLE,
            },
        )


@bp.route("/<id:minutes_id>/attendance", methods=["GET", "POST"], endpoint="attendance")
@login_required
def attendance_page(minutes_id: int):
    """Who attended: per agency of the forum on that date, and per person."""
    page = _Attendance.of(minutes_id)
    form = page.presence_form()
    return page.page(
        form,
        lambda: attendance.record_attendance(page.minutes, form.presences(), actor=current_user),
        success=_("The attendance has been saved."),
        presence_form=form,
    )


@bp.post("/<id:minutes_id>/attendance/people")
@login_required
def add_attendee(minutes_id: int):
    page = _Attendance.of(minutes_id)
    form = page.person_form()

    def add() -> Attendee:
        agency = form.chosen_agency()
        if agency is None:
            raise ValidationError(_l("Choose an agency that sat in the forum."))
        return attendance.add_attendee(
            page.minutes,
            name=form.name.data,
            agency_id=agency.id,
            role=AttendeeRole(form.role.data),
            actor=current_user,
        )

    return page.page(form, add, success=str(PEOPLE.added), person_form=form)


@bp.post("/<id:minutes_id>/attendance/people/<id:attendee_id>/delete")
@login_required
def delete_attendee(minutes_id: int, attendee_id: int):
    return _remove_entry(PEOPLE, minutes_id, attendee_id)


@bp.post("/<id:minutes_id>/attendance/as-announced")
@login_required
def attendance_as_announced(minutes_id: int):
    """ "All as announced": everyone the answers to the invitation name, in one action."""
    minutes = minutes_or_404(minutes_id, Action.MINUTES_WRITE, full=True)
    return submit_button(
        ConfirmForm(),
        lambda: attendance.record_as_announced(minutes, actor=current_user),
        success=_("Everyone has been recorded as they announced."),
        then=url_for("minutes.attendance", minutes_id=minutes.id),
    )


@dataclass(frozen=True)
class _Part:
    """A list of the minutes beside the text (decisions, follow-up actions): its page lists the
    entries and adds one while the minutes are a draft; a button beside an entry removes it."""

    #: Its page's endpoint and template are ``minutes.<name>`` and ``minutes/<name>.html``.
    name: str
    model: type[Attendee | Decision | FollowUpAction]
    remove: Callable[..., None]
    added: LazyString
    removed: LazyString


PEOPLE = _Part(
    "attendance",
    Attendee,
    attendance.remove_attendee,
    added=_l("The person has been added to the attendance."),
    removed=_l("The person has been removed from the attendance."),
)
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
            "sections": page_sections("minutes", minutes),
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
    form.set_owners(attendance.forum_agencies(minutes))

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
