"""Forms of the minutes pages."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from coordination.agencies.models import Agency
from coordination.core.forms import Form, TextsField
from coordination.core.i18n import current_language
from coordination.core.templating import LANGUAGE_NAMES, brussels_date, brussels_datetime
from coordination.core.texts import CONTENT_LANGUAGES, OFFICIAL_LANGUAGES
from coordination.meetings.models import AgendaItem, Meeting
from coordination.minutes.attendance import NAME_MAX
from coordination.minutes.labels import (
    ATTENDEE_ROLE_LABELS,
    FOLLOW_UP_STATUS_LABELS,
    PRESENCE_LABELS,
)
from coordination.minutes.models import Attendance, MinutesRevision, Presence
from coordination.minutes.services import BODY_MAX, CHANGE_NOTE_MAX


class MinutesTextForm(Form):
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
    #: The language of the text being written (each has its own revisions).
    language = HiddenField(
        validators=[AnyOf(CONTENT_LANGUAGES, message=_l("Choose the language of the text."))]
    )
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))

    @classmethod
    def in_language(cls, asked: str) -> MinutesTextForm:
        """The editor of one language: the one posted, else ``asked`` (``?language=fr``),
        else the editor's own (Dutch for an English-speaking one)."""
        form = cls()
        if not form.is_submitted() or not form.language.data:  # a form from before languages
            own = current_language()
            form.language.data = (
                asked if asked in CONTENT_LANGUAGES else own if own in OFFICIAL_LANGUAGES else "nl"
            )
        return form


class ConfirmVersionForm(Form):
    """A confirmation button that also says which version of the minutes the page showed."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    submit = SubmitField(_l("Confirm"))


class DecisionForm(Form):
    text = TextsField(_l("Decision"), max_length=5000, multiline=True)
    agenda_item = SelectField(_l("Agenda item"), choices=[], validators=[Optional()])
    submit = SubmitField(_l("Add the decision"))

    def set_agenda_items(self, items: list) -> None:
        self._agenda_items = {str(item.id): item for item in items}
        self.agenda_item.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(item.id), f"{item.position}. {item.title}") for item in items
        ]

    def chosen_item(self) -> AgendaItem | None:
        """The agenda item chosen among those of :meth:`set_agenda_items`, if any."""
        return self._agenda_items.get(self.agenda_item.data or "")


class _ForumAgencyChoice:
    """A form with a field choosing one of the agencies of the forum (by code)."""

    _agencies: dict[str, Agency]

    def _offer_agencies(self, field: SelectField, agencies: list[Agency]) -> None:
        self._agencies = {agency.code: agency for agency in agencies}
        field.choices = [SelectChoice("", _l("Choose an agency"))] + [
            SelectChoice(agency.code, agency.choice_label()) for agency in agencies
        ]

    def _chosen_agency(self, field: SelectField) -> Agency | None:
        return self._agencies.get(field.data or "")


class FollowUpForm(Form, _ForumAgencyChoice):
    description = TextsField(_l("Action"), max_length=2000, multiline=True)
    owner = SelectField(_l("Owner agency"), choices=[], validators=[DataRequired()])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    submit = SubmitField(_l("Add the action"))

    def set_owners(self, agencies: list[Agency]) -> None:
        self._offer_agencies(self.owner, agencies)

    def chosen_owner(self) -> Agency | None:
        """The agency chosen among those of :meth:`set_owners`."""
        return self._chosen_agency(self.owner)


class AttendeeForm(Form, _ForumAgencyChoice):
    """One person at the meeting: name, agency, and how they took part."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    agency = SelectField(_l("Agency"), choices=[], validators=[DataRequired()])
    role = SelectField(
        _l("Took part"),
        choices=[SelectChoice(r.value, label) for r, label in ATTENDEE_ROLE_LABELS.items()],
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Add the person"))

    def set_agencies(self, agencies: list[Agency]) -> None:
        self._offer_agencies(self.agency, agencies)

    def chosen_agency(self) -> Agency | None:
        return self._chosen_agency(self.agency)


class FollowUpStatusForm(Form):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, label) for s, label in FOLLOW_UP_STATUS_LABELS.items()],
        validators=[DataRequired()],
    )
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    next = HiddenField()
    submit = SubmitField(_l("Update"))


class DiffForm(Form):
    """Which two revisions to compare (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    old = SelectField(_l("From revision"), choices=[], validators=[DataRequired()])
    new = SelectField(_l("To revision"), choices=[], validators=[DataRequired()])
    submit = SubmitField(_l("Compare"))

    @classmethod
    def for_revisions(
        cls,
        revisions: list[MinutesRevision],
        old: MinutesRevision | None,
        new: MinutesRevision | None,
    ) -> DiffForm:
        """The choice among ``revisions`` (not submitted), ``old`` and ``new`` chosen if given."""
        form = cls(formdata=None)
        choices = [SelectChoice(str(r.number), revision_label(r)) for r in revisions]
        form.old.choices = choices
        form.new.choices = list(choices)
        if old is not None and new is not None:
            form.old.data, form.new.data = str(old.number), str(new.number)
        return form


def revision_label(revision: MinutesRevision) -> str:
    """Its number, language and when it was published (or, not yet published, written)."""
    when = revision.published_at if revision.published else revision.created_at
    return _(
        "Revision %(number)d (%(language)s), %(date)s",
        number=revision.number,
        language=LANGUAGE_NAMES[revision.language],
        date=brussels_datetime(when),
    )


def attendance_form_class(agencies: list) -> type[Form]:
    """A form with one presence choice per agency of the forum (``agency_<id>`` fields)."""

    class AttendanceForm(Form):
        submit = SubmitField(_l("Save the attendance"))

        def presence_fields(self) -> list[SelectField]:
            """One field per agency, in the order of ``agencies``."""
            return [getattr(self, f"agency_{agency.id}") for agency in agencies]

        def fill(
            self, recorded: list[Attendance], announced: Mapping[int, Presence] | None = None
        ) -> None:
            """Show what is recorded (on a form not submitted), else what was ``announced``."""
            presences = {agency_id: p.value for agency_id, p in (announced or {}).items()}
            presences.update({entry.agency_id: entry.presence.value for entry in recorded})
            for agency, field in zip(agencies, self.presence_fields(), strict=True):
                field.data = presences.get(agency.id, "")

        def presences(self) -> dict[int, Presence | None]:
            """Each agency's presence; None where it is not recorded."""
            return {
                agency.id: Presence(field.data) if field.data else None
                for agency, field in zip(agencies, self.presence_fields(), strict=True)
            }

    choices = [SelectChoice("", _l("Not recorded"))] + [
        SelectChoice(presence.value, text) for presence, text in PRESENCE_LABELS.items()
    ]
    for agency in agencies:
        setattr(
            AttendanceForm,
            f"agency_{agency.id}",
            SelectField(agency.choice_label(), choices=choices, validators=[Optional()]),
        )
    return AttendanceForm


# --- circulation, approval, comments ---------------------------------------------------------

#: The choice of the approval form that means "not at a meeting: by written procedure".
WRITTEN_PROCEDURE = "written"


class CirculateForm(ConfirmVersionForm):
    comments_until = DateField(_l("Members can comment until"), validators=[DataRequired()])
    submit = SubmitField(_l("Circulate to the members"))


class ApproveForm(ConfirmVersionForm):
    approved_by = SelectField(_l("Approved"), choices=[], validators=[InputRequired()])
    written_on = DateField(
        _l("Date the written procedure closed"),
        validators=[Optional()],
        description=_l("Only for a written procedure."),
    )
    submit = SubmitField(_l("Record the approval"))

    def set_meetings(self, meetings: list[Meeting]) -> None:
        self.approved_by.choices = [
            *(
                SelectChoice(
                    str(meeting.id),
                    _("At the meeting of %(date)s", date=brussels_date(meeting.local_date)),
                )
                for meeting in meetings
            ),
            SelectChoice(WRITTEN_PROCEDURE, _l("By written procedure")),
        ]

    def chosen_meeting_id(self) -> int | None:
        value = self.approved_by.data
        return None if value == WRITTEN_PROCEDURE else int(value)


class CommentForm(Form):
    section = SelectField(_l("Section"), choices=[], validators=[Optional()])
    body = TextAreaField(
        _l("Your comment"), validators=[DataRequired(), Length(max=4000)], render_kw={"rows": 5}
    )
    submit = SubmitField(_l("Send the comment"))

    def set_sections(self, sections: list[str]) -> None:
        self.section.choices = [
            SelectChoice("", _l("The whole text")),
            *(SelectChoice(section, section) for section in sections),
        ]


class ResolveForm(Form):
    resolution = StringField(_l("What was done"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Resolve"))
