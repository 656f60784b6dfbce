"""The request boundary of every form: validate -> call one service -> roll back and show the
error (400) or the conflict (409), else commit -> flash -> redirect.

Views describe what to call and where to go next; this module decides the transaction. It is
the one place where a view's work is committed (Indico's request handler, Warehouse's
``request.tm``), so a service never commits and a view never forgets to roll back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from flask import flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response
from wtforms import Field

from coordination.core.errors import CONFLICT_MESSAGE, ConflictError, DomainError
from coordination.core.once import earlier_answer, remember_answer, submission_key
from coordination.db import db

T = TypeVar("T")

#: A button's form came back without its confirmation or its hidden fields.
INCOMPLETE_MESSAGE = _l("The request was incomplete. Please try again.")

#: The same form arrived twice (a double click): it was done once, here is its result.
ALREADY_DONE_MESSAGE = _l("This was already done: the form was sent twice.")

Message = str | Callable[[T], str]
Target = str | Callable[[T], str]


@dataclass
class Refusal:
    """Why the work was undone: the message, and 409 for a conflict or 400 otherwise."""

    message: str
    status: int

    @property
    def is_conflict(self) -> bool:
        return self.status == 409


@dataclass
class Submission(Generic[T]):
    """What became of a form: shown (200), refused (400), in conflict (409), or done."""

    status: int = 200
    result: T | None = None
    response: Response | None = None
    #: The service refused (or conflicted): the form was valid, its work is undone.
    refused: bool = False

    @property
    def done(self) -> bool:
        return self.response is not None

    @property
    def conflicted(self) -> bool:
        return self.status == 409


def commit(call: Callable[[], T]) -> tuple[T | None, Refusal | None]:
    """Run ``call`` and commit its work; on a domain error or a conflict, roll it all back.

    :return: ``(result, None)`` once committed, or ``(None, refusal)``.
    """
    try:
        result = call()
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return None, Refusal(str(CONFLICT_MESSAGE), 409)
    except DomainError as error:
        db.session.rollback()
        return None, Refusal(str(error.message), 409 if isinstance(error, ConflictError) else 400)
    return result, None


def commit_bookkeeping() -> None:
    """Commit what a reading request recorded on its way (when a feed was last served).

    A conflict there is nobody's problem: the record is dropped and the answer still goes out.
    """
    commit(lambda: None)


def submit_form(
    form: FlaskForm,
    call: Callable[[], T],
    *,
    success: Message[T],
    then: Target[T],
    error_field: Field | None = None,
    form_error: bool = False,
    validate: Callable[[], bool] | None = None,
) -> Submission[T]:
    """Handle a form page's POST: validate, call, commit, flash ``success``, redirect to ``then``.

    ``success`` and ``then`` may be functions of the service's result (the new object). A
    domain error is shown under ``error_field``, or at the top of the form with
    ``form_error``, or flashed; a conflict is always flashed, so the page can show the current
    state. ``validate`` replaces ``form.validate`` when the view checks more than the form (a
    recurrence, a state the object must be in); it runs only for a submitted form.
    """
    if not form.is_submitted():
        return Submission()
    if not (form.validate() if validate is None else validate()):
        return Submission(400)
    key = submission_key()
    earlier = earlier_answer(key)
    if earlier is not None:
        return Submission(303, response=_already_done(earlier))
    outcome, refusal = commit(lambda: _done_once(key, call, then))
    if refusal is not None:
        _show_refusal(form, refusal, error_field, form_error)
        return Submission(refusal.status, refused=True)
    result, target = cast(tuple[T, str], outcome)  # committed: ``commit`` gave the result
    flash(_resolve(success, result), "success")
    return Submission(302, result, redirect(target))


def _done_once(key: str, call: Callable[[], T], then: Target[T]) -> tuple[T, str]:
    """Do the work, and record where it leads in the same transaction (``core.once``)."""
    result = call()
    db.session.flush()  # the new object's id, for the address it leads to
    target = _resolve(then, result)
    remember_answer(key, target)
    return result, target


def _already_done(target: str) -> Response:
    flash(str(ALREADY_DONE_MESSAGE), "info")
    db.session.rollback()
    return redirect(target, 303)


def form_page(
    form: FlaskForm,
    call: Callable[[], T],
    *,
    template: str,
    context: dict[str, Any] | None = None,
    **options: Any,
) -> ResponseReturnValue:
    """A whole form page: :func:`submit_form`, then the page again (with its status) unless
    the work is done. ``context`` goes to the template beside ``form``."""
    submission = submit_form(form, call, **options)
    if submission.response is not None:
        return submission.response
    return render_template(template, form=form, **(context or {})), submission.status


def submit_button(
    form: FlaskForm,
    call: Callable[[], T],
    *,
    success: Message[T],
    then: str,
    incomplete: object = INCOMPLETE_MESSAGE,
    code: int = 303,
) -> Response:
    """Handle a button (a confirmation form that posts): the answer is always a redirect.

    The outcome is flashed: ``success``, the refusal, or ``incomplete`` when the form itself
    was not valid (a missing confirmation, a stale hidden field).
    """
    if not form.validate_on_submit():
        flash(str(incomplete), "error")
        return redirect(then, code)
    key = submission_key()
    earlier = earlier_answer(key)
    if earlier is not None:
        return _already_done(earlier)
    outcome, refusal = commit(lambda: _done_once(key, call, then))
    if refusal is not None:
        flash(refusal.message, "error")
    else:
        result, _target = cast(tuple[T, str], outcome)
        flash(_resolve(success, result), "success")
    return redirect(then, code)


def _show_refusal(
    form: FlaskForm, refusal: Refusal, error_field: Field | None, form_error: bool
) -> None:
    if refusal.is_conflict:
        flash(refusal.message, "error")
    elif error_field is not None:
        error_field.errors = [*error_field.errors, refusal.message]
    elif form_error:
        form.form_errors.append(refusal.message)
    else:
        flash(refusal.message, "error")


def _resolve(value: Message[T] | Target[T], result: T | None) -> str:
    return str(value(result)) if callable(value) else str(value)  # type: ignore[arg-type]
