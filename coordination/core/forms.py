"""Forms used across the site, and form-rendering helpers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired


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
