"""Login and account forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from coordination.auth.passwords import MAX_PASSWORD_LENGTH
from coordination.core.forms import Form


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=255)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class ReauthenticateForm(Form):
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    next = HiddenField()
    submit = SubmitField(_l("Confirm"))


def new_password_fields() -> tuple[Any, Any]:
    """A new password and the same typed again (made where they stand in the form, so that
    WTForms keeps them in that order)."""
    return (
        PasswordField(
            _l("New password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
        ),
        PasswordField(
            _l("Repeat the new password"),
            validators=[
                DataRequired(),
                EqualTo("new_password", message=_l("The two new passwords are not the same.")),
            ],
        ),
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    new_password, confirm_password = new_password_fields()
    submit = SubmitField(_l("Change password"))


class PreferencesForm(Form):
    locale = SelectField(
        _l("Preferred language"),
        choices=[
            SelectChoice("", _l("Follow my browser")),
            SelectChoice("nl", "Nederlands"),
            SelectChoice("fr", "Français"),
            SelectChoice("en", "English"),
        ],
    )
    submit = SubmitField(_l("Save preferences"))


class SetupPasswordForm(Form):
    new_password, confirm_password = new_password_fields()
    submit = SubmitField(_l("Save my password"))


class CodeForm(Form):
    """The six digits of the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )
    submit = SubmitField(_l("Continue"))


class EnrolForm(Form):
    code = StringField(
        _l("Code shown by the app"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Turn on two-step sign-in"))
