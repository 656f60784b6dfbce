"""Two-step sign-in (the code page, enrolment, recovery codes) and the user's own sessions."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coordination.auth import second_factor
from coordination.auth.forms import CodeForm, EnrolForm
from coordination.auth.guards import authorize, recent_password_required
from coordination.auth.models import SecondFactor
from coordination.auth.policy import Action
from coordination.auth.session import SESSION_ROW_KEY
from coordination.auth.sessions import end_sessions, open_sessions
from coordination.auth.signing_in import (
    finish_sign_in,
    open_session,
    pending_user,
    remember_browser,
    too_many_attempts,
)
from coordination.auth.throttle import SECOND_FACTOR, Key, clear, record_failure, remaining_wait
from coordination.core.actions import commit, commit_bookkeeping, submit_button
from coordination.core.forms import ConfirmForm
from coordination.core.time import utcnow
from coordination.users.models import User

bp = Blueprint("security", __name__)

WRONG_CODE = _l("This code is not right. Type the code the app shows now.")


def _pending() -> tuple[User, str | None]:
    """The user half-way through signing in; else back to the login page."""
    found = pending_user()
    if found is None:
        abort(redirect(url_for("auth.login")))
    return found


def _code_keys(user: User) -> list[Key]:
    return [Key(f"second-factor:{user.id}", SECOND_FACTOR)]


# --- signing in: the second step -----------------------------------------------------------


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor_page() -> ResponseReturnValue:
    """The code of the authenticator app (or a recovery code), after the password."""
    user, next_url = _pending()
    if second_factor.confirmed_factor(user) is None:
        return redirect(url_for("security.enrol"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("security/code.html", form=form), 400 if form.errors else 200
    now, keys = utcnow(), _code_keys(user)
    wait = remaining_wait(keys, now)
    if wait is not None:
        return too_many_attempts("security/code.html", wait, form=form)
    if not second_factor.verify(user, form.code.data, now):
        record_failure(keys, now)
        commit_bookkeeping()
        form.code.errors = [str(WRONG_CODE)]
        return render_template("security/code.html", form=form), 200
    clear(keys)
    return finish_sign_in(user, next_url)


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol() -> ResponseReturnValue:
    """Set up the app before the first sign-in of an account that requires it."""
    user, next_url = _pending()
    if second_factor.confirmed_factor(user) is not None:
        return redirect(url_for("security.second_factor_page"))

    def signed_in_with_codes(codes: list[str]) -> Response:
        device = open_session(user)
        page = _recovery_codes_page(codes, next_url or url_for("dashboard.home"))
        return remember_browser(make_response(page), device)

    return _enrolment(user, signed_in_with_codes)


def _enrolment(user: User, confirmed: Callable[[list[str]], ResponseReturnValue]):
    """The QR code and the secret for the app, and the first code that confirms it."""
    form = EnrolForm()
    factor = second_factor.start_enrolment(user)
    if form.validate_on_submit():
        now, keys = utcnow(), _code_keys(user)
        wait = remaining_wait(keys, now)
        if wait is not None:
            context = _enrolment_context(form, user, factor)
            return too_many_attempts("security/enrol.html", wait, **context)
        codes = second_factor.confirm_enrolment(user, form.code.data, now)
        if codes is not None:
            clear(keys)
            _saved, refusal = commit(lambda: None)
            if refusal is None:  # the codes are shown only once they are stored
                return confirmed(codes)
            form.code.errors = [refusal.message]
        else:
            record_failure(keys, now)
            form.code.errors = [str(WRONG_CODE)]
    context = _enrolment_context(form, user, factor)
    commit_bookkeeping()  # the secret the page shows is the one the app will use
    status = 400 if form.is_submitted() else 200
    return render_template("security/enrol.html", **context), status


def _enrolment_context(form: EnrolForm, user: User, factor: SecondFactor) -> dict:
    uri = second_factor.provisioning_uri(factor, user)
    return {"form": form, "secret": factor.secret, "qr_code": second_factor.qr_code(uri)}


def _recovery_codes_page(codes: list[str], continue_url: str) -> str:
    return render_template("security/recovery_codes.html", codes=codes, continue_url=continue_url)


# --- the user's own two-step sign-in -------------------------------------------------------


@bp.route("/account/two-step", methods=["GET", "POST"])
@login_required
@recent_password_required
def two_step() -> ResponseReturnValue:
    """Turn two-step sign-in on, renew the recovery codes, or turn it off (where allowed)."""
    authorize(Action.ACCOUNT_EDIT_OWN, current_user)
    user = current_user._get_current_object()
    if second_factor.confirmed_factor(user) is None:

        def turned_on(codes: list[str]) -> str:
            flash(_("Two-step sign-in is on."), "success")
            return _recovery_codes_page(codes, url_for("auth.account"))

        return _enrolment(user, turned_on)
    return render_template(
        "security/two_step.html",
        required=second_factor.is_required(user),
        confirm=ConfirmForm(formdata=None),
    )


@bp.post("/account/two-step/recovery-codes")
@login_required
@recent_password_required
def new_recovery_codes() -> ResponseReturnValue:
    authorize(Action.ACCOUNT_EDIT_OWN, current_user)
    user = current_user._get_current_object()
    if second_factor.confirmed_factor(user) is None or not ConfirmForm().validate_on_submit():
        return redirect(url_for("security.two_step"))
    codes, refusal = commit(lambda: second_factor.new_recovery_codes(user))
    if refusal is not None:
        flash(refusal.message, "error")
        return redirect(url_for("security.two_step"))
    flash(_("New recovery codes are ready: the old ones no longer work."), "success")
    return _recovery_codes_page(codes or [], url_for("auth.account"))


@bp.post("/account/two-step/off")
@login_required
@recent_password_required
def turn_off() -> ResponseReturnValue:
    authorize(Action.ACCOUNT_EDIT_OWN, current_user)
    user = current_user._get_current_object()
    if second_factor.is_required(user):
        flash(_("Two-step sign-in is required for the secretariat."), "error")
        return redirect(url_for("security.two_step"))
    return submit_button(
        ConfirmForm(),
        lambda: second_factor.remove_second_factor(user, actor=user),
        success=_("Two-step sign-in is off."),
        then=url_for("auth.account"),
    )


# --- the user's own sessions ---------------------------------------------------------------


@bp.post("/account/sessions/<id:session_id>/end")
@login_required
def end_own_session(session_id: int) -> Response:
    """Sign out one of the user's browsers (this one too: the next page is the login).

    :raise 404: for a session that is not one of the user's.
    """
    authorize(Action.ACCOUNT_EDIT_OWN, current_user)
    user = current_user._get_current_object()
    if session_id not in {row.id for row in own_sessions(user)}:
        abort(404)
    return submit_button(
        ConfirmForm(),
        lambda: end_sessions(user, session_id=session_id),
        success=_("That session has ended."),
        then=url_for("auth.account"),
    )


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions() -> Response:
    """Sign out everywhere but here (a lost phone, a shared computer)."""
    authorize(Action.ACCOUNT_EDIT_OWN, current_user)
    user = current_user._get_current_object()
    here = session.get(SESSION_ROW_KEY)

    def end_others() -> int:
        others = [row for row in own_sessions(user) if row.id != here]
        return sum(end_sessions(user, session_id=row.id) for row in others)

    return submit_button(
        ConfirmForm(),
        end_others,
        success=lambda ended: ngettext(
            "%(num)d other session has ended.", "%(num)d other sessions have ended.", ended
        ),
        then=url_for("auth.account"),
    )


#: (marker in the User-Agent header, name shown), most specific first.
BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
            ("Safari/", "Safari"))  # fmt: skip
SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("Linux", "Linux"))  # fmt: skip


@bp.app_template_global()
def describe_device(user_agent: str | None) -> str:
    """ "Firefox on Windows": enough for people to recognise their own devices."""
    text = user_agent or ""
    browser = next((name for marker, name in BROWSERS if marker in text), None)
    system = next((name for marker, name in SYSTEMS if marker in text), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or _("Unknown browser")


def own_sessions(user: User) -> list:
    """The user's open sessions, for the account page."""
    return open_sessions(user, now=utcnow(), idle_limit=current_app.permanent_session_lifetime)
