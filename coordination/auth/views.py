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
from flask_login import confirm_login, current_user, login_required, logout_user

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
from coordination.auth.second_factor import confirmed_factor
from coordination.auth.security_views import own_sessions
from coordination.auth.services import (
    authenticate,
    change_password,
    find_user_by_email,
    normalise_email,
    set_password,
)
from coordination.auth.session import SESSION_ROW_KEY, current_session_secret
from coordination.auth.sessions import device_owner, end_session
from coordination.auth.setup_links import user_for_setup_token
from coordination.auth.signing_in import (
    DEVICE_COOKIE,
    continue_sign_in,
    finish_sign_in,
    too_many_attempts,
)
from coordination.auth.throttle import Key, clear, login_keys, record_failure, remaining_wait
from coordination.core.actions import commit, commit_bookkeeping
from coordination.core.forms import ConfirmForm
from coordination.core.i18n import SESSION_KEY
from coordination.core.navigation import ShownNavItem, visible_nav_items
from coordination.core.time import utcnow
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


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in by e-mail and password; one generic message for every failure.

    Failures are throttled per address and IP, per IP and per known device, with a growing
    wait that the page states (429); a second factor, where set up, comes next.
    """
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.errors else 200
    now = utcnow()
    keys = _login_keys(form.email.data)
    wait = remaining_wait(keys, now)
    if wait is not None:
        return too_many_attempts("auth/login.html", wait, form=form)
    user = authenticate(form.email.data, form.password.data, ip_address=request.remote_addr)
    if user is None:
        record_failure(keys, now)
        commit_bookkeeping()  # the audit record and the count of the failed attempt
        flash(_("The e-mail address or password is not correct."), "error")
        return render_template("auth/login.html", form=form), 200
    clear(keys)
    return continue_sign_in(user, safe_next_url(form.next.data))


def _login_keys(email: str) -> list[Key]:
    """The throttle keys of an attempt: this browser's own, if its owner signed in here."""
    address = normalise_email(email)[:255]
    device = request.cookies.get(DEVICE_COOKIE)
    owner = device_owner(device)
    account = find_user_by_email(address) if owner is not None else None
    return login_keys(
        address,
        request.remote_addr,
        device_user_id=owner if account is not None and account.id == owner else None,
        device=device,
    )


@bp.post("/logout")
@login_required
def logout():
    secret = current_session_secret()
    if secret:
        commit(lambda: end_session(secret))
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
                flash(_("Your password is saved. Welcome to the platform."), "success")
                return continue_sign_in(user, None)
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
    return _account_page(preferences)


def _account_page(preferences: PreferencesForm, status: int = 200):
    user = current_user._get_current_object()
    return render_template(
        "auth/account.html",
        preferences=preferences,
        sessions=own_sessions(user),
        this_session=session.get(SESSION_ROW_KEY),
        two_step=confirmed_factor(user) is not None,
        confirm=ConfirmForm(formdata=None),
    ), status


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
    return _account_page(form, 400)


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
            # Every session ended with the old password: this browser gets a new one.
            flash(_("Your password has been changed."), "success")
            return finish_sign_in(current_user._get_current_object(), url_for("auth.account"))
    status = 400 if form.errors else 200
    return render_template("auth/change_password.html", form=form), status
