"""Agencies and forums: directory for everyone, management for the secretariat."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from coordination.agencies.forms import (
    AgencyForm,
    EndMembershipForm,
    MembershipForm,
    OversightForm,
    ReminderDaysForm,
)
from coordination.agencies.labels import KIND_LABELS, MEMBERSHIP_ROLE_LABELS
from coordination.agencies.models import (
    Agency,
    AgencyKind,
    Forum,
    ForumMembership,
    MembershipRole,
)
from coordination.agencies.services import (
    add_membership,
    create_agency,
    end_membership,
    get_agency_by_code,
    get_forum_with_members,
    list_agencies,
    list_forums,
    set_overseen,
    set_reminder_days,
    update_agency,
)
from coordination.auth.guards import authorize, load_authorized
from coordination.auth.policy import Action
from coordination.core.actions import form_page, submit_button
from coordination.core.errors import ValidationError
from coordination.core.navigation import NavItem
from coordination.core.time import today_brussels
from coordination.db import db

bp = Blueprint("agencies", __name__, url_prefix="/agencies")

NAV_ITEMS = [NavItem("agencies.index", _l("Agencies and forums"), Action.AGENCIES_VIEW, order=70)]


@bp.app_context_processor
def _labels() -> dict:
    return {"kind_labels": KIND_LABELS, "membership_role_labels": MEMBERSHIP_ROLE_LABELS}


@bp.get("/")
@login_required
def index():
    authorize(Action.AGENCIES_VIEW)
    return render_template(
        "agencies/index.html",
        agencies=list_agencies(),
        forums=list_forums(),
        today=today_brussels(),
    )


def _names(form: AgencyForm) -> dict[str, Any]:
    return {
        "name_nl": form.name_nl.data,
        "name_fr": form.name_fr.data,
        "name_en": form.name_en.data,
        "short_name": form.short_name.data,
    }


def _agency_page(
    form: AgencyForm, save: Callable[[], Agency], *, agency: Agency | None, **options: Any
) -> ResponseReturnValue:
    """The form of a new agency (``agency`` None) or of an existing one; saved, back to the
    directory."""
    return form_page(
        form,
        save,
        then=url_for("agencies.index"),
        template="agencies/form.html",
        context={"agency": agency},
        **options,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    authorize(Action.AGENCIES_MANAGE)
    form = AgencyForm()
    return _agency_page(
        form,
        lambda: create_agency(
            code=form.code.data,
            kind=AgencyKind(form.kind.data),
            actor=current_user,
            **_names(form),
        ),
        agency=None,
        error_field=form.code,
        success=_("The agency has been created."),
    )


@bp.route("/<id:agency_id>/edit", methods=["GET", "POST"])
@login_required
def edit(agency_id: int):
    agency = load_authorized(Agency, agency_id, Action.AGENCIES_MANAGE)
    form = AgencyForm(obj=agency)
    form.code.data = agency.code  # the short code is a stable identifier: not editable
    if not form.is_submitted():
        form.kind.data = agency.kind.value
    return _agency_page(
        form,
        lambda: update_agency(
            agency,
            kind=AgencyKind(form.kind.data),
            active=form.active.data,
            actor=current_user,
            **_names(form),
        ),
        agency=agency,
        success=_("The agency has been saved."),
    )


@bp.route("/<id:agency_id>/authority", methods=["GET", "POST"])
@login_required
def authority(agency_id: int):
    """The agencies under this one's authority (a minister's cabinet and its departments)."""
    agency = load_authorized(Agency, agency_id, Action.AGENCIES_MANAGE)
    form = OversightForm()
    form.offer([other for other in list_agencies() if other.id != agency.id])
    if not form.is_submitted():
        form.agencies.data = [overseen.code for overseen in agency.overseen]
    return form_page(
        form,
        lambda: set_overseen(agency, form.chosen(), actor=current_user),
        success=_("The agencies under its authority have been saved."),
        then=url_for("agencies.index"),
        template="agencies/authority.html",
        context={"agency": agency},
    )


@bp.route("/forums/<id:forum_id>", methods=["GET", "POST"])
@login_required
def forum(forum_id: int):
    """A forum's members (history included); the secretariat adds and ends memberships."""
    forum = get_forum_with_members(forum_id)
    if forum is None:
        abort(404)
    authorize(Action.FORUMS_VIEW, forum)
    form = MembershipForm()
    form.agency.choices = [
        SelectChoice(agency.code, agency.choice_label())
        for agency in list_agencies(active_only=True)
    ]
    if form.is_submitted():
        authorize(Action.FORUMS_MANAGE, forum)

    def add() -> ForumMembership:
        agency = get_agency_by_code(form.agency.data or "")
        if agency is None:  # deactivated since the page was shown
            raise ValidationError(_l("Choose an agency."))
        return add_membership(
            forum,
            agency,
            since=form.since.data,
            until=form.until.data,
            role=MembershipRole(form.role.data),
            actor=current_user,
        )

    return form_page(
        form,
        add,
        success=_("The membership has been added."),
        then=url_for("agencies.forum", forum_id=forum.id),
        template="agencies/forum.html",
        context={
            "forum": forum,
            "memberships": sorted(
                forum.memberships, key=lambda m: (m.until is not None, m.agency.code, m.since)
            ),
            "end_form": EndMembershipForm(),
            "today": today_brussels(),
        },
    )


@bp.route("/forums/<id:forum_id>/reminders", methods=["GET", "POST"])
@login_required
def forum_reminders(forum_id: int):
    """How many days ahead the forum's reminders go (unanswered invitations, actions due)."""
    forum = load_authorized(Forum, forum_id, Action.FORUMS_MANAGE)
    form = ReminderDaysForm()
    if not form.is_submitted():
        form.reminder_days.data = forum.reminder_days
        form.version.data = forum.version
    return form_page(
        form,
        lambda: set_reminder_days(
            forum,
            form.reminder_days.data or 0,
            expected_version=form.version.data,
            actor=current_user,
        ),
        success=_("The reminders have been saved."),
        then=url_for("agencies.forum", forum_id=forum.id),
        template="agencies/forum_reminders.html",
        context={"forum": forum},
    )


@bp.post("/memberships/<id:membership_id>/end")
@login_required
def end(membership_id: int):
    membership = db.get_or_404(ForumMembership, membership_id)
    authorize(Action.FORUMS_MANAGE, membership.forum)
    form = EndMembershipForm()
    return submit_button(
        form,
        lambda: end_membership(membership, until=form.until.data, actor=current_user),
        success=_("The membership has been ended."),
        then=url_for("agencies.forum", forum_id=membership.forum_id),
        incomplete=_l("Please give a valid end date."),
        code=302,
    )
