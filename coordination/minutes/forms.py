"""Forms of the minutes pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from coordination.minutes.labels import FOLLOW_UP_STATUS_LABELS, PRESENCE_LABELS
from coordination.minutes.services import BODY_MAX, CHANGE_NOTE_MAX


class MinutesTextForm(FlaskForm):
    """The Markdown text; ``version`` is the version the editor loaded (optimistic locking)."""

    body = TextAreaField(
        _l("Text of the minutes (Markdown)"),
        validators=[DataRequired(), Length(max=BODY_MAX)],
        render_kw={"rows": 24, "spellcheck": "true"},
    )
    change_note = StringField(
        _l("Change note"), validators=[Optional(), Length(max=CHANGE_NOTE_MAX)]
    )
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))


class ConfirmVersionForm(FlaskForm):
    """A confirmation button that also says which version of the minutes the page showed."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    submit = SubmitField(_l("Confirm"))


class DecisionForm(FlaskForm):
    text = TextAreaField(
        _l("Decision"), validators=[DataRequired(), Length(max=5000)], render_kw={"rows": 3}
    )
    agenda_item = SelectField(_l("Agenda item"), choices=[], validators=[Optional()])
    submit = SubmitField(_l("Add the decision"))

    def set_agenda_items(self, items: list) -> None:
        self.agenda_item.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(item.id), f"{item.position}. {item.title}") for item in items
        ]


class FollowUpForm(FlaskForm):
    description = TextAreaField(
        _l("Action"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 2}
    )
    owner = SelectField(_l("Owner agency"), choices=[], validators=[DataRequired()])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    submit = SubmitField(_l("Add the action"))

    def set_owners(self, agencies: list, label) -> None:
        self.owner.choices = [SelectChoice("", _l("Choose an agency"))] + [
            SelectChoice(agency.code, f"{agency.code} — {label(agency)}") for agency in agencies
        ]


class FollowUpStatusForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, label) for s, label in FOLLOW_UP_STATUS_LABELS.items()],
        validators=[DataRequired()],
    )
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    next = HiddenField()
    submit = SubmitField(_l("Update"))


class DiffForm(FlaskForm):
    """Which two revisions to compare (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    old = SelectField(_l("From revision"), choices=[], validators=[DataRequired()])
    new = SelectField(_l("To revision"), choices=[], validators=[DataRequired()])
    submit = SubmitField(_l("Compare"))

    def set_revisions(self, revisions: list, label) -> None:
        choices = [SelectChoice(str(r.number), label(r)) for r in revisions]
        self.old.choices = choices
        self.new.choices = list(choices)


def attendance_form_class(agencies: list, label) -> type[FlaskForm]:
    """A form with one presence choice per agency of the forum (``agency_<id>`` fields)."""

    class AttendanceForm(FlaskForm):
        submit = SubmitField(_l("Save the attendance"))

        def presences(self) -> dict[int, str | None]:
            return {
                agency.id: (getattr(self, f"agency_{agency.id}").data or None)
                for agency in agencies
            }

    choices = [SelectChoice("", _l("Not recorded"))] + [
        SelectChoice(presence.value, text) for presence, text in PRESENCE_LABELS.items()
    ]
    for agency in agencies:
        setattr(
            AttendanceForm,
            f"agency_{agency.id}",
            SelectField(
                f"{agency.code} — {label(agency)}", choices=choices, validators=[Optional()]
            ),
        )
    return AttendanceForm
