"""Login, logout, re-authentication and the user's own account page."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import confirm_login, current_user, login_required, login_user, logout_user

from coordination.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    PreferencesForm,
    ReauthenticateForm,
    SetupPasswordForm,
)
from coordination.auth.guards import authorize, mark_authenticated_now, recent_password_required
from coordination.auth.passwords import verify_password
from coordination.auth.policy import Action, can
from coordination.auth.services import (
    authenticate,
    change_password,
    normalise_email,
    set_password,
)
from coordination.auth.setup_links import user_for_setup_token
from coordination.core.actions import commit, commit_bookkeeping
from coordination.core.i18n import SESSION_KEY
from coordination.core.navigation import ShownNavItem, visible_nav_items
from coordination.core.urls import safe_next_url
from coordination.extensions import limiter
from coordination.users.services import set_preferred_language

bp = Blueprint("auth", __name__)


@bp.app_template_global("can")
def can_in_template(action: str, obj: object = None) -> bool:
    """Templates hide what the current user may not do."""
    return can(current_user, action, obj)


@bp.app_template_global()
def nav_items() -> list[ShownNavItem]:
    return visible_nav_items("main", lambda action: can(current_user, action))


@bp.app_template_global()
def account_links() -> list[ShownNavItem]:
    return visible_nav_items("account", lambda action: can(current_user, action))


def _login_account_key() -> str:
    """Rate-limit key for one account, whatever IP the attempts come from."""
    return "login-account:" + normalise_email(request.form.get("email", ""))[:255]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute;100 per hour", methods=["POST"])
@limiter.limit("10 per 15 minutes", key_func=_login_account_key, methods=["POST"])
def login():
    """Log in by e-mail and password; one generic message for every failure."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data, ip_address=request.remote_addr)
        if user is not None:
            session.clear()
            login_user(user)
            mark_authenticated_now()
            session.permanent = True
            if user.locale:
                session[SESSION_KEY] = user.locale
            commit_bookkeeping()  # the audit record of the login
            return redirect(safe_next_url(form.next.data) or url_for("dashboard.home"))
        commit_bookkeeping()  # keep the audit record of the failed attempt
        flash(_("The e-mail address or password is not correct."), "error")
        return render_template("auth/login.html", form=form), 200
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per 15 minutes", methods=["POST"])
def reauthenticate():
    """Confirm the password before a sensitive change (password, e-mail)."""
    form = ReauthenticateForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            confirm_login()
            mark_authenticated_now()
            return redirect(safe_next_url(form.next.data) or url_for("auth.account"))
        flash(_("The password is not correct."), "error")
    return render_template("auth/reauthenticate.html", form=form)


@bp.route("/account/setup/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def setup_password(token: str):
    """Choose a password with a one-time link (invitation or reset); logs the user in."""
    user = user_for_setup_token(token)
    if user is None:
        response = make_response(render_template("auth/setup_link_invalid.html"), 404)
    else:
        form = SetupPasswordForm()
        if form.validate_on_submit():
            _saved, refusal = commit(lambda: set_password(user, form.new_password.data, actor=user))
            if refusal is not None:
                form.new_password.errors.append(refusal.message)
            else:
                session.clear()
                login_user(user)
                mark_authenticated_now()
                flash(_("Your password is saved. Welcome to the platform."), "success")
                return redirect(url_for("dashboard.home"))
        status = 400 if form.is_submitted() else 200
        response = make_response(
            render_template("auth/setup_password.html", form=form, user=user), status
        )
    # The token is in the URL: never leak it through a Referer header.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/account")
@login_required
def account():
    authorize(Action.ACCOUNT_EDIT_OWN, current_user)
    preferences = PreferencesForm(locale=current_user.locale or "")
    return render_template("auth/account.html", preferences=preferences)


@bp.post("/account/preferences")
@login_required
def save_preferences():
    authorize(Action.ACCOUNT_EDIT_OWN, current_user)
    form = PreferencesForm()
    if form.validate_on_submit():
        commit(lambda: set_preferred_language(current_user, form.locale.data or None))
        if form.locale.data:
            session[SESSION_KEY] = form.locale.data
        else:
            session.pop(SESSION_KEY, None)
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", preferences=form), 400


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@recent_password_required
def change_own_password():
    authorize(Action.ACCOUNT_EDIT_OWN, current_user)
    form = ChangePasswordForm()
    if form.validate_on_submit():
        _changed, refusal = commit(
            lambda: change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        )
        if refusal is not None:
            form.new_password.errors.append(refusal.message)
        else:
            # The epoch changed: log in again in this session so the user stays signed in.
            login_user(current_user._get_current_object(), fresh=True)
            mark_authenticated_now()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"))
    status = 400 if form.errors else 200
    return render_template("auth/change_password.html", form=form), status
