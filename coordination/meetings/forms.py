"""Forms of the meetings pages. Times are typed in Brussels local time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from babel.dates import get_day_names, get_month_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from coordination.agencies.models import Agency, Forum
from coordination.core import errors
from coordination.core.forms import Form, MultiCheckboxField, TextsField, version_field
from coordination.core.templating import localised
from coordination.core.time import LocalTimeError, brussels_to_utc, to_brussels, today_brussels
from coordination.db import db
from coordination.meetings.labels import KIND_LABELS, ORDINAL_LABELS, REPLY_LABELS
from coordination.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Meeting,
    MeetingReply,
    MeetingSeries,
    ReplyAnswer,
)
from coordination.meetings.recurrence import (
    PRESET_ADVANCED,
    PRESET_MONTHLY,
    PRESET_WEEKLY,
    WEEKDAYS,
    ClockChangeError,
    RecurrenceError,
    build_monthly_rule,
    build_weekly_rule,
    check_clock_changes,
    parse_rule,
    preset_of,
)
from coordination.meetings.services import Upload, horizon


def weekday_choices() -> list[SelectChoice]:
    names = get_day_names("wide", locale=get_locale())
    return [SelectChoice(code, names[index]) for index, code in enumerate(WEEKDAYS)]


def month_choices() -> list[SelectChoice]:
    names = get_month_names("wide", locale=get_locale())
    return [SelectChoice(month, names[month]) for month in range(1, 13)]


class _TimesMixin:
    start_time = TimeField(_l("Starts at (Brussels time)"), validators=[InputRequired()])
    end_time = TimeField(_l("Ends at (Brussels time)"), validators=[InputRequired()])

    def validate_end_time(self, field) -> None:
        start = self.start_time.data  # type: ignore[attr-defined]
        if start is not None and field.data is not None and field.data <= start:
            raise ValidationError(_l("The end must be after the start."))

    def duration_minutes(self) -> int:
        start: time = self.start_time.data  # type: ignore[attr-defined]
        end: time = self.end_time.data  # type: ignore[attr-defined]
        return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _check_exists_once(day: date | None, at: time | None) -> None:
    """Refuse a Brussels time the clocks skip or repeat on ``day`` (a night they change).

    :raise ValidationError: (WTForms) with the message naming the date and the change.
    """
    if day is None or at is None:
        return  # the date or time field shows its own error
    try:
        brussels_to_utc(day, at)
    except LocalTimeError as error:
        raise ValidationError(str(error.message)) from error


class _OneDayTimesMixin(_TimesMixin):
    """Start and end on one Brussels date (the ``day`` field): each must exist, once, then."""

    def validate_start_time(self, field) -> None:
        _check_exists_once(self.day.data, field.data)  # type: ignore[attr-defined]

    def validate_end_time(self, field) -> None:
        super().validate_end_time(field)
        _check_exists_once(self.day.data, field.data)  # type: ignore[attr-defined]


class _PlaceMixin:
    place = TextsField(_l("Place"), max_length=300, required=False)
    place_confidential = BooleanField(_l("Confidential place (e.g. a shelter)"))
    online_url = URLField(_l("Online meeting link"), validators=[Optional(), Length(max=500)])


class SeriesForm(_TimesMixin, _PlaceMixin, Form):
    forum = SelectField(_l("Forum"), choices=[], validators=[DataRequired()])
    title = TextsField(_l("Title"), max_length=200)
    pattern = RadioField(
        _l("How often"),
        choices=[
            SelectChoice(PRESET_MONTHLY, _l("Every month (or in chosen months) on a weekday")),
            SelectChoice(PRESET_WEEKLY, _l("Every week or every few weeks")),
            SelectChoice(
                PRESET_ADVANCED, _l("Another pattern, in calendar notation (for specialists)")
            ),
        ],
        default=PRESET_MONTHLY,
        validators=[InputRequired()],
    )
    ordinal = SelectField(
        _l("Which one in the month"),
        choices=[SelectChoice(str(o), label) for o, label in ORDINAL_LABELS.items()],
        default="2",
    )
    weekday = SelectField(_l("Weekday"), choices=[], default="TU")
    months = MultiCheckboxField(_l("Only in these months"), choices=[], coerce=int)
    interval = IntegerField(
        _l("Every how many weeks"), default=1, validators=[Optional(), NumberRange(1, 52)]
    )
    rrule = StringField(
        _l("Pattern in calendar notation"), validators=[Optional(), Length(max=255)]
    )
    starts_on = DateField(_l("First day of the series"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day of the series (optional)"), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Save the series"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.weekday.choices = weekday_choices()
        self.months.choices = month_choices()

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The series cannot end before it starts."))

    def rule_text(self) -> str:
        """The RRULE the chosen pattern describes.

        :raise RecurrenceError: when the pattern or the advanced rule is not acceptable.
        """
        if self.pattern.data == PRESET_WEEKLY:
            return build_weekly_rule(self.weekday.data, self.interval.data or 1)
        if self.pattern.data == PRESET_ADVANCED:
            return parse_rule(self.rrule.data or "").text
        return build_monthly_rule(int(self.ordinal.data), self.weekday.data, self.months.data)

    def rule_error_field(self):
        return self.rrule if self.pattern.data == PRESET_ADVANCED else self.pattern

    def validated_rule(self) -> str | None:
        """Validate the form AND its recurrence, so that every problem is shown at once.

        Returns the RRULE of a submitted form when everything is valid.
        """
        if not self.is_submitted():
            return None
        valid = self.validate()
        try:
            rule = self.rule_text()
        except RecurrenceError as error:
            self.rule_error_field().errors.append(str(error.message))
            return None
        except (TypeError, ValueError):
            return None  # a field the rule is built from is invalid; its own error says so
        return rule if valid and self._keeps_times_on_clock_changes(rule) else None

    def _clock_change_window(self) -> tuple[date, date]:
        """The dates whose meetings saving the form creates: from the first day of the series
        to the horizon (the service checks again, with the horizon it really uses)."""
        return self.starts_on.data, horizon(today_brussels())

    def _keeps_times_on_clock_changes(self, rule: str) -> bool:
        """Whether every meeting of the window keeps its wall-clock times and its length on
        the nights the clocks change; if not, the error goes on the time to correct."""
        first, last = self._clock_change_window()
        try:
            check_clock_changes(
                rule, starts_on=self.starts_on.data, start_time=self.start_time.data,
                duration_minutes=self.duration_minutes(), first=first, last=last,
                ends_on=self.ends_on.data,
            )  # fmt: skip
        except ClockChangeError as error:
            field = self.end_time if error.on_end else self.start_time
            field.errors.append(str(error.message))
            return False
        return True

    def series_arguments(self, rule: str | None) -> dict[str, Any]:
        """What the series services take from the form."""
        return {
            "title": self.title.data,
            "rrule": rule,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "start_time": self.start_time.data,
            "duration_minutes": self.duration_minutes(),
            "place": self.place.data,
            "place_confidential": self.place_confidential.data,
            "online_url": self.online_url.data,
        }

    def fill_pattern(self, preset) -> None:
        """Show an existing rule in the simple form it came from (or as advanced)."""
        self.pattern.data = preset.kind
        if preset.weekday:
            self.weekday.data = preset.weekday
        if preset.ordinal:
            self.ordinal.data = str(preset.ordinal)
        self.months.data = list(preset.months)
        self.interval.data = preset.interval


class EditSeriesForm(SeriesForm):
    """A series' own settings; its forum does not change."""

    forum = None  # type: ignore[assignment]  # WTForms drops a field set to None
    version = version_field()

    def _clock_change_window(self) -> tuple[date, date]:
        """Past meetings never change: only the future ones are checked."""
        first, last = super()._clock_change_window()
        return max(first, today_brussels()), last

    def fill(self, series: MeetingSeries) -> None:
        """Show the series' rule in the simple form it came from, and its end time."""
        self.fill_pattern(preset_of(series.rrule))
        self.rrule.data = series.rrule
        start = datetime.combine(date.min, series.start_time)
        self.end_time.data = (start + timedelta(minutes=series.duration_minutes)).time()


class MeetingForm(_OneDayTimesMixin, _PlaceMixin, Form):
    """A one-off meeting."""

    forum = SelectField(_l("Forum"), choices=[], validators=[DataRequired()])
    title = TextsField(_l("Title"), max_length=200)
    day = DateField(_l("Date"), validators=[InputRequired()])
    submit = SubmitField(_l("Schedule the meeting"))


class DetailsForm(_PlaceMixin, Form):
    title = TextsField(_l("Title"), max_length=200)
    version = version_field()
    submit = SubmitField(_l("Save"))


class RescheduleForm(_OneDayTimesMixin, Form):
    day = DateField(_l("New date"), validators=[InputRequired()])
    place = TextsField(_l("Place"), max_length=300, required=False)
    place_confidential = BooleanField(_l("Confidential place (e.g. a shelter)"))
    version = version_field()
    confirmed = HiddenField()
    submit = SubmitField(_l("Continue"))

    def fill(self, meeting: Meeting) -> None:
        """The meeting's current time and place, in Brussels time."""
        local_start, local_end = to_brussels(meeting.starts_at), to_brussels(meeting.ends_at)
        self.day.data = local_start.date()
        self.start_time.data = local_start.time()
        self.end_time.data = local_end.time()
        self.place.data = meeting.place
        self.place_confidential.data = meeting.place_confidential
        self.version.data = meeting.version


class CancelForm(Form):
    reason = TextAreaField(
        _l("Reason for the cancellation"), validators=[DataRequired(), Length(max=1000)]
    )
    version = version_field()
    submit = SubmitField(_l("Cancel the meeting"))


class HeldForm(Form):
    version = version_field()
    submit = SubmitField(_l("Mark as held"))


class FinaliseForm(Form):
    version = version_field()
    submit = SubmitField(_l("Mark the agenda final"))


class StandingItemForm(Form):
    """A forum's standing item: what each of its new meetings finds on its agenda."""

    title = TextsField(_l("Title"), max_length=255)
    closing = RadioField(
        _l("Place on the agenda"),
        choices=[
            SelectChoice("opening", _l("At the opening")),
            SelectChoice("closing", _l("At the close")),
        ],
        default="opening",
        validators=[InputRequired()],
    )
    duration_minutes = IntegerField(
        _l("Planned duration (minutes)"), validators=[Optional(), NumberRange(1, 600)]
    )
    submit = SubmitField(_l("Add the standing item"))


class AgendaItemForm(Form):
    title = TextsField(_l("Title"), max_length=255)
    kind = RadioField(
        _l("Type"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        default=AgendaItemKind.INFORMATION.value,
        validators=[InputRequired()],
    )
    presenting_agency = SelectField(_l("Presented by"), choices=[], validators=[Optional()])
    duration_minutes = IntegerField(
        _l("Planned duration (minutes)"), validators=[Optional(), NumberRange(1, 600)]
    )
    description = TextsField(
        _l("Description (Markdown)"), max_length=20000, multiline=True, required=False
    )
    version = HiddenField()
    submit = SubmitField(_l("Save the item"))

    def item_arguments(self) -> dict[str, Any]:
        """What the agenda services take from the form (the agency is looked up by id)."""
        agency_id = self.presenting_agency.data
        return {
            "title": self.title.data,
            "kind": AgendaItemKind(self.kind.data),
            "presenting_agency": db.session.get(Agency, int(agency_id)) if agency_id else None,
            "duration_minutes": self.duration_minutes.data,
            "description": self.description.data,
        }

    def set_agency_choices(self, agencies: Iterable[Agency]) -> None:
        self.presenting_agency.choices = [SelectChoice("", _l("Nobody in particular"))] + [
            SelectChoice(str(agency.id), agency.choice_label()) for agency in agencies
        ]


class EditAgendaItemForm(AgendaItemForm):
    version = version_field()

    def fill(self, item: AgendaItem) -> None:
        self.kind.data = item.kind.value
        self.presenting_agency.data = str(item.presenting_agency_id or "")


class DeleteAgendaItemForm(Form):
    version = version_field()
    submit = SubmitField(_l("Remove the item"))


class MoveForm(Form):
    """One step up or down (the buttons), or to a position (the page's drag and drop)."""

    direction = HiddenField(validators=[Optional(), AnyOf(["up", "down"])])
    position = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(1, 10_000)])

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) and bool(
            self.direction.data or self.position.data
        )

    def move(self) -> dict[str, int]:
        """The arguments of :func:`coordination.meetings.services.move_agenda_item`."""
        if self.position.data:
            return {"to": self.position.data}
        return {"offset": -1 if self.direction.data == "up" else 1}


class _AttachTo:
    """A form whose ``agenda_item`` field attaches to the meeting or one of its items."""

    agenda_item: SelectField
    _items: dict[str, AgendaItem]

    def set_targets(self, meeting: Meeting) -> None:
        """The meeting as a whole, or one of its agenda items."""
        items = sorted(meeting.agenda_items, key=lambda item: item.position)
        self._items = {str(item.id): item for item in items}
        self.agenda_item.choices = [SelectChoice("", _l("The meeting as a whole"))] + [
            SelectChoice(str(item.id), f"{item.position}. {item.title}") for item in items
        ]

    def item_for(self, key: str | None) -> AgendaItem | None:
        """The item ``key`` names (None: the meeting as a whole).

        :raise ValidationError: a key that names no item of the meeting.
        """
        if not key:
            return None
        item = self._items.get(key)
        if item is None:
            raise errors.ValidationError(_l("Choose an agenda item of this meeting."))
        return item


class DocumentForm(Form, _AttachTo):
    """Files to attach, all to ``agenda_item``, or each to its own ``targets`` entry (the
    page's script offers one choice per file, in the files' order)."""

    file = MultipleFileField(_l("Files"), validators=[FileRequired(_l("Choose a file to upload."))])
    agenda_item = SelectField(_l("Attach to"), choices=[], validators=[Optional()])
    targets = FieldList(StringField(validators=[Optional()]))
    submit = SubmitField(_l("Upload"))

    def uploads(self) -> list[Upload]:
        """Each file with the item it goes to.

        :raise ValidationError: a target that names no item of the meeting.
        """
        files = self.file.data or []
        chosen = [entry.data for entry in self.targets]
        if len(chosen) != len(files):
            chosen = [self.agenda_item.data] * len(files)
        return [
            Upload(file.stream, file.filename, self.item_for(target))
            for file, target in zip(files, chosen, strict=True)
        ]


class AttachDocumentForm(Form, _AttachTo):
    agenda_item = SelectField(_l("Attach to"), choices=[], validators=[Optional()])
    submit = SubmitField(_l("Save"))


def forum_choices(forums: Iterable[Forum]) -> list[SelectChoice]:
    return [SelectChoice(forum.code, localised(forum)) for forum in forums]


class DeleteDocumentForm(Form):
    submit = SubmitField(_l("Delete the document"))


class ReplyForm(Form):
    """An invited person's answer; the substitute's fields count only for that answer."""

    answer = RadioField(
        _l("Will you attend?"),
        choices=[SelectChoice(answer.value, label) for answer, label in REPLY_LABELS.items()],
        validators=[InputRequired(message=_l("Choose your answer."))],
    )
    substitute_name = StringField(
        _l("Name of the person coming in your place"), validators=[Length(max=200)]
    )
    substitute_agency = SelectField(_l("Their agency"), choices=[], validators=[Optional()])
    submit = SubmitField(_l("Send my answer"))

    def set_agency_choices(self, agencies: Iterable[Agency], own: Agency | None) -> None:
        """The agencies sitting in the forum that day, the person's own first (the default)."""
        ordered = sorted(agencies, key=lambda agency: agency != own)
        self.substitute_agency.choices = [
            SelectChoice(str(agency.id), agency.choice_label()) for agency in ordered
        ]

    def fill(self, reply: MeetingReply | None) -> None:
        if reply is None:
            return
        self.answer.data = reply.answer.value
        self.substitute_name.data = reply.substitute_name or ""
        if reply.substitute_agency_id is not None:
            self.substitute_agency.data = str(reply.substitute_agency_id)

    def answer_arguments(self) -> dict[str, Any]:
        """What :func:`.replies.answer_invitation` takes from the form."""
        agency_id = self.substitute_agency.data
        return {
            "answer": ReplyAnswer(self.answer.data),
            "substitute_name": self.substitute_name.data,
            "substitute_agency": db.session.get(Agency, int(agency_id)) if agency_id else None,
        }
