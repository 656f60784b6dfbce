"""Account management forms (secretariat)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from coordination.agencies.models import Agency
from coordination.auth.passwords import MAX_PASSWORD_LENGTH
from coordination.core.forms import Form
from coordination.users.labels import ROLE_LABELS

LOCALE_CHOICES = [
    SelectChoice("", _l("Follow the browser")),
    SelectChoice("nl", "Nederlands"),
    SelectChoice("fr", "Français"),
    SelectChoice("en", "English"),
]


class UserForm(Form):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=255)],
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(
        _l("Role"), choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]
    )
    agency = SelectField(_l("Agency"), choices=[], validators=[Optional()])
    locale = SelectField(_l("Preferred language"), choices=LOCALE_CHOICES)
    submit = SubmitField(_l("Save"))

    def set_agency_choices(self, agencies: list[Agency]) -> None:
        self.agency.choices = [SelectChoice("", _l("None (secretariat only)"))] + [
            SelectChoice(agency.code, agency.choice_label()) for agency in agencies
        ]


class NewUserForm(UserForm):
    send_invitation = BooleanField(
        _l("Send an invitation e-mail with a link to choose a password"), default=True
    )
    password = PasswordField(
        _l("Or set an initial password"),
        validators=[Optional(), Length(max=MAX_PASSWORD_LENGTH)],
    )
    submit = SubmitField(_l("Create account"))

    def validate(self, extra_validators=None) -> bool:
        # Checked here, not in validate_password: Optional() stops a field's own validators
        # when it is empty, which is exactly the case to refuse.
        valid = super().validate(extra_validators)
        if not self.password.data and not self.send_invitation.data:
            self.password.errors = [
                *self.password.errors,
                _l("Send an invitation or set an initial password."),
            ]
            return False
        return valid
