"""Account management for the secretariat."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from coordination.agencies.services import get_agency_by_code, list_agencies
from coordination.auth.guards import authorize, recent_password_required
from coordination.auth.policy import Action
from coordination.core.errors import DomainError
from coordination.core.forms import ConfirmForm
from coordination.core.navigation import NavItem
from coordination.core.templating import localised
from coordination.db import db
from coordination.users.forms import NewUserForm, UserForm
from coordination.users.labels import role_label
from coordination.users.models import Role, User
from coordination.users.services import (
    create_user,
    deactivate_user,
    list_users,
    reactivate_user,
    send_password_setup_link,
    update_user,
)

bp = Blueprint("users", __name__, url_prefix="/admin/users")

NAV_ITEMS = [NavItem("users.index", _l("Accounts"), Action.USERS_MANAGE, order=80)]

bp.add_app_template_global(role_label, "role_label")


def _agency_choices(form: UserForm) -> None:
    form.set_agency_choices(list_agencies(), localised)


@bp.get("/")
@login_required
def index():
    authorize(Action.USERS_MANAGE)
    return render_template("users/index.html", users=list_users(), confirm=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
@login_required
@recent_password_required
def new():
    authorize(Action.USERS_MANAGE)
    form = NewUserForm()
    _agency_choices(form)
    if form.validate_on_submit():
        try:
            user = create_user(
                email=form.email.data,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                agency=get_agency_by_code(form.agency.data) if form.agency.data else None,
                locale=form.locale.data or None,
                password=form.password.data or None,
                actor=current_user,
            )
            if form.send_invitation.data:
                send_password_setup_link(user, actor=current_user, reason="invitation")
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The account of %(email)s has been created.", email=user.email), "success")
            if form.send_invitation.data:
                flash(
                    _("An invitation e-mail is on its way to %(email)s.", email=user.email), "info"
                )
            return redirect(url_for("users.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("users/form.html", form=form, user=None), status


@bp.route("/<id:user_id>/edit", methods=["GET", "POST"])
@login_required
@recent_password_required
def edit(user_id: int):
    user = db.get_or_404(User, user_id)
    authorize(Action.USERS_MANAGE, user)
    form = UserForm(obj=user)
    _agency_choices(form)
    if not form.is_submitted():
        form.role.data = user.role.value
        form.agency.data = user.agency.code if user.agency else ""
        form.locale.data = user.locale or ""
    if form.validate_on_submit():
        try:
            update_user(
                user,
                email=form.email.data,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                agency=get_agency_by_code(form.agency.data) if form.agency.data else None,
                locale=form.locale.data or None,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The account has been saved."), "success")
            return redirect(url_for("users.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("users/form.html", form=form, user=user), status


@bp.post("/<id:user_id>/password-link")
@login_required
@recent_password_required
def password_link(user_id: int):
    """E-mail a one-time link to choose a new password (the secretariat's "reset")."""
    user = db.get_or_404(User, user_id)
    authorize(Action.USERS_MANAGE, user)
    if ConfirmForm().validate_on_submit():
        try:
            send_password_setup_link(user, actor=current_user, reason="password_reset")
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(
                _("A link to choose a new password was sent to %(email)s.", email=user.email),
                "success",
            )
    return redirect(url_for("users.index"))


@bp.post("/<id:user_id>/deactivate")
@login_required
def deactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    authorize(Action.USERS_DEACTIVATE, user)
    if ConfirmForm().validate_on_submit():
        deactivate_user(user, actor=current_user)
        db.session.commit()
        flash(_("The account of %(email)s is deactivated.", email=user.email), "success")
    return redirect(url_for("users.index"))


@bp.post("/<id:user_id>/reactivate")
@login_required
def reactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    authorize(Action.USERS_MANAGE, user)
    if ConfirmForm().validate_on_submit():
        reactivate_user(user, actor=current_user)
        db.session.commit()
        flash(_("The account of %(email)s is active again.", email=user.email), "success")
    return redirect(url_for("users.index"))
