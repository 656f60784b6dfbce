"""Agencies and forums: directory for everyone, management for the secretariat."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from coordination.agencies.forms import AgencyForm, EndMembershipForm, MembershipForm
from coordination.agencies.labels import KIND_LABELS, MEMBERSHIP_ROLE_LABELS
from coordination.agencies.models import Agency, AgencyKind, ForumMembership, MembershipRole
from coordination.agencies.services import (
    add_membership,
    create_agency,
    end_membership,
    get_agency_by_code,
    get_forum_with_members,
    list_agencies,
    list_forums,
    update_agency,
)
from coordination.auth.guards import authorize
from coordination.auth.policy import Action
from coordination.core.errors import DomainError
from coordination.core.navigation import NavItem
from coordination.core.templating import localised
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


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    authorize(Action.AGENCIES_MANAGE)
    form = AgencyForm()
    if form.validate_on_submit():
        try:
            create_agency(
                code=form.code.data,
                kind=AgencyKind(form.kind.data),
                name_nl=form.name_nl.data,
                name_fr=form.name_fr.data,
                name_en=form.name_en.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            form.code.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The agency has been created."), "success")
            return redirect(url_for("agencies.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("agencies/form.html", form=form, agency=None), status


@bp.route("/<id:agency_id>/edit", methods=["GET", "POST"])
@login_required
def edit(agency_id: int):
    agency = db.get_or_404(Agency, agency_id)
    authorize(Action.AGENCIES_MANAGE, agency)
    form = AgencyForm(obj=agency)
    form.code.data = agency.code  # the short code is a stable identifier: not editable
    if not form.is_submitted():
        form.kind.data = agency.kind.value
    if form.validate_on_submit():
        update_agency(
            agency,
            kind=AgencyKind(form.kind.data),
            name_nl=form.name_nl.data,
            name_fr=form.name_fr.data,
            name_en=form.name_en.data,
            active=form.active.data,
            actor=current_user,
        )
        db.session.commit()
        flash(_("The agency has been saved."), "success")
        return redirect(url_for("agencies.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("agencies/form.html", form=form, agency=agency), status


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
        SelectChoice(agency.code, f"{agency.code} — {localised(agency)}")
        for agency in list_agencies(active_only=True)
    ]
    if form.is_submitted():
        authorize(Action.FORUMS_MANAGE, forum)
    agency = get_agency_by_code(form.agency.data or "") if form.is_submitted() else None
    if form.validate_on_submit() and agency is not None:
        try:
            add_membership(
                forum,
                agency,
                since=form.since.data,
                until=form.until.data,
                role=MembershipRole(form.role.data),
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The membership has been added."), "success")
            return redirect(url_for("agencies.forum", forum_id=forum.id))
    status = 400 if form.is_submitted() else 200
    memberships = sorted(
        forum.memberships, key=lambda m: (m.until is not None, m.agency.code, m.since)
    )
    return render_template(
        "agencies/forum.html",
        forum=forum,
        memberships=memberships,
        form=form,
        end_form=EndMembershipForm(),
        today=today_brussels(),
    ), status


@bp.post("/memberships/<id:membership_id>/end")
@login_required
def end(membership_id: int):
    membership = db.get_or_404(ForumMembership, membership_id)
    authorize(Action.FORUMS_MANAGE, membership.forum)
    form = EndMembershipForm()
    if form.validate_on_submit():
        try:
            end_membership(membership, until=form.until.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The membership has been ended."), "success")
    else:
        flash(_("Please give a valid end date."), "error")
    return redirect(url_for("agencies.forum", forum_id=membership.forum_id))
