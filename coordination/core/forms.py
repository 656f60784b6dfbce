"""Forms used across the site, and form-rendering helpers."""

from __future__ import annotations

from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

F = TypeVar("F", bound=FlaskForm)


def short_code_validators() -> list[Any]:
    """A short code that identifies a row for good (FEDPOL, NAP-2026-2030): it ends up in URLs
    and on the command line, so letters, digits, - and _ only."""
    return [
        DataRequired(),
        Length(max=40),
        Regexp(
            r"^[A-Za-z][A-Za-z0-9_-]*$",
            message=_l("Use letters, digits, - and _ only, starting with a letter."),
        ),
    ]


def form_with_fields(form_class: type[F], fields: dict[str, Any], **kwargs: Any) -> F:
    """A ``form_class`` form with more fields, for forms shaped by the data (a target per year
    of the plan, a value per indicator, a decision per proposal).

    WTForms reads fields from the class, so they go on a subclass made for this form.
    """
    subclass = type(form_class.__name__, (form_class,), fields)
    return subclass(**kwargs)


class LanguageForm(FlaskForm):
    language = SelectField(
        _l("Language"),
        choices=[
            SelectChoice("nl", "Nederlands"),
            SelectChoice("fr", "Français"),
            SelectChoice("en", "English"),
        ],
        validators=[DataRequired()],
    )
    next = HiddenField()
    submit = SubmitField(_l("Change language"))


class ConfirmForm(FlaskForm):
    """An empty form: a CSRF-protected confirmation button for state-changing actions."""

    submit = SubmitField(_l("Confirm"))
