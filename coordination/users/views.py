"""Account management for the secretariat."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from coordination.agencies.services import get_agency_by_code, list_agencies
from coordination.auth.guards import authorize, load_authorized, recent_password_required
from coordination.auth.policy import Action
from coordination.auth.sessions import end_sessions
from coordination.core.actions import form_page, submit_button, submit_form
from coordination.core.forms import ConfirmForm
from coordination.core.navigation import NavItem
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
    form.set_agency_choices(list_agencies())


@bp.get("/")
@login_required
def index():
    authorize(Action.USERS_MANAGE)
    return render_template("users/index.html", users=list_users(), confirm=ConfirmForm())


def _account_arguments(form: UserForm) -> dict:
    return {
        "email": form.email.data,
        "full_name": form.full_name.data,
        "role": Role(form.role.data),
        "agency": get_agency_by_code(form.agency.data) if form.agency.data else None,
        "locale": form.locale.data or None,
        "actor": current_user,
    }


@bp.route("/new", methods=["GET", "POST"])
@login_required
@recent_password_required
def new():
    authorize(Action.USERS_MANAGE)
    form = NewUserForm()
    _agency_choices(form)

    def create() -> User:
        user = create_user(password=form.password.data or None, **_account_arguments(form))
        if form.send_invitation.data:
            send_password_setup_link(user, actor=current_user, reason="invitation")
        return user

    submission = submit_form(
        form,
        create,
        success=lambda user: _("The account of %(email)s has been created.", email=user.email),
        then=url_for("users.index"),
    )
    if submission.result is not None and form.send_invitation.data:
        email = submission.result.email
        flash(_("An invitation e-mail is on its way to %(email)s.", email=email), "info")
    if submission.done:
        return submission.response
    return render_template("users/form.html", form=form, user=None), submission.status


@bp.route("/<id:user_id>/edit", methods=["GET", "POST"])
@login_required
@recent_password_required
def edit(user_id: int):
    user = load_authorized(User, user_id, Action.USERS_MANAGE)
    form = UserForm(obj=user)
    _agency_choices(form)
    if not form.is_submitted():
        form.role.data = user.role.value
        form.agency.data = user.agency.code if user.agency else ""
        form.locale.data = user.locale or ""
    return form_page(
        form,
        lambda: update_user(user, **_account_arguments(form)),
        success=_("The account has been saved."),
        then=url_for("users.index"),
        template="users/form.html",
        context={"user": user},
    )


def _account_button(call: Callable[[], object], success: str) -> BaseResponse:
    """A button of the accounts list: act on the account, then back to the list."""
    return submit_button(
        ConfirmForm(), call, success=success, then=url_for("users.index"), code=302
    )


@bp.post("/<id:user_id>/password-link")
@login_required
@recent_password_required
def password_link(user_id: int):
    """E-mail a one-time link to choose a new password (the secretariat's "reset")."""
    user = load_authorized(User, user_id, Action.USERS_MANAGE)
    return _account_button(
        lambda: send_password_setup_link(user, actor=current_user, reason="password_reset"),
        _("A link to choose a new password was sent to %(email)s.", email=user.email),
    )


@bp.post("/<id:user_id>/deactivate")
@login_required
def deactivate(user_id: int):
    user = load_authorized(User, user_id, Action.USERS_DEACTIVATE)
    return _account_button(
        lambda: deactivate_user(user, actor=current_user),
        _("The account of %(email)s is deactivated.", email=user.email),
    )


@bp.post("/<id:user_id>/reactivate")
@login_required
def reactivate(user_id: int):
    user = load_authorized(User, user_id, Action.USERS_MANAGE)
    return _account_button(
        lambda: reactivate_user(user, actor=current_user),
        _("The account of %(email)s is active again.", email=user.email),
    )


@bp.post("/<id:user_id>/sign-out")
@login_required
def sign_out_everywhere(user_id: int):
    """End every session of the account (a lost laptop, someone leaving a shared office)."""
    user = load_authorized(User, user_id, Action.USERS_MANAGE)
    return _account_button(
        lambda: end_sessions(user),
        _("%(email)s is signed out everywhere.", email=user.email),
    )
