"""Forms to manage agencies and forum memberships."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from coordination.agencies.labels import KIND_LABELS, MEMBERSHIP_ROLE_LABELS
from coordination.agencies.models import MAX_REMINDER_DAYS, SHORT_NAME_LENGTH, Agency
from coordination.core.forms import (
    Form,
    MultiCheckboxField,
    TextsField,
    short_code_validators,
    version_field,
)


class AgencyForm(Form):
    code = StringField(
        _l("Short code"),
        validators=short_code_validators(),
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]
    )
    name_nl = StringField(_l("Name in Dutch"), validators=[DataRequired(), Length(max=200)])
    name_fr = StringField(_l("Name in French"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    #: Optional: an agency without one is shown by its code.
    short_name = TextsField(_l("Short name"), max_length=SHORT_NAME_LENGTH, required=False)
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))


class MembershipForm(Form):
    agency = SelectField(_l("Agency"), choices=[], validators=[DataRequired()])
    role = SelectField(
        _l("Seat"),
        choices=[SelectChoice(role.value, label) for role, label in MEMBERSHIP_ROLE_LABELS.items()],
    )
    since = DateField(_l("Sits in the forum from"), validators=[DataRequired()])
    until = DateField(_l("Until (leave empty if open-ended)"), validators=[Optional()])
    submit = SubmitField(_l("Add to the forum"))


class EndMembershipForm(Form):
    until = DateField(_l("Last day in the forum"), validators=[DataRequired()])
    submit = SubmitField(_l("End membership"))


class ReminderDaysForm(Form):
    reminder_days = IntegerField(
        _l("Days before a meeting or a due date"),
        validators=[InputRequired(), NumberRange(0, MAX_REMINDER_DAYS)],
    )
    version = version_field()
    submit = SubmitField(_l("Save the reminders"))


class OversightForm(Form):
    """The agencies under an agency's authority (checkboxes, by code)."""

    agencies = MultiCheckboxField(_l("Agencies under its authority"), choices=[])
    submit = SubmitField(_l("Save"))

    def offer(self, agencies: list[Agency]) -> None:
        self._agencies = {agency.code: agency for agency in agencies}
        self.agencies.choices = [
            SelectChoice(agency.code, agency.choice_label()) for agency in agencies
        ]

    def chosen(self) -> list[Agency]:
        return [self._agencies[code] for code in self.agencies.data or [] if code in self._agencies]
