"""Forms of the action plan. Forms whose fields depend on the data (targets per year of the
plan, a value per indicator, a decision per proposal) are built by a class method.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)
from wtforms.validators import ValidationError as FormValidationError
from wtforms.widgets import HiddenInput

from coordination.agencies.models import Agency
from coordination.core.forms import (
    Form,
    MultiCheckboxField,
    TextsField,
    form_with_fields,
    short_code_validators,
)
from coordination.core.templating import brussels_date, localised
from coordination.measures import queries
from coordination.measures.labels import DIRECTION_LABELS
from coordination.measures.models import ActionPlan, Indicator, Measure, MeasureStatus
from coordination.measures.queries import FilterChoices, MeasureFilters
from coordination.measures.workflow import (
    ACTION_LABELS,
    PLATFORM_DECISIONS,
    STATUS_LABELS,
    allowed_targets,
    status_label,
)
from coordination.meetings.models import Meeting

#: Largest magnitude a Numeric(14, 2) column holds.
AMOUNT_LIMIT = Decimal(10) ** 12


class AmountField(DecimalField):
    """A number typed with a decimal comma or point (Belgian users type both)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str):
            cleaned = valuelist[0].strip().replace("\u00a0", "").replace(" ", "")
            valuelist = [cleaned.replace(",", ".")]
        super().process_formdata(valuelist)

    def pre_validate(self, form: Any) -> None:
        super().pre_validate(form)
        if self.data is None:
            return
        try:
            finite = self.data.is_finite()
            exponent = self.data.as_tuple().exponent
        except (InvalidOperation, AttributeError):
            finite, exponent = False, 0
        if not finite:
            raise StopValidation(_l("Enter a number."))
        if isinstance(exponent, int) and exponent < -2:
            raise StopValidation(_l("Use at most two decimals."))
        if abs(self.data) >= AMOUNT_LIMIT:
            raise StopValidation(_l("This number is too large."))


YEAR_RANGE = NumberRange(min=1990, max=2100, message=_l("Enter a year between 1990 and 2100."))


# --- list ----------------------------------------------------------------------------------


class LeadAgencyField(SearchField):
    """A lead agency typed as people name it (see ``queries.lead_agencies_named``), with
    suggestions: the page lists the agencies the text matches in a ``<datalist>`` (the
    browser offers them, script or not), and a script fills it while the user types. A text
    that names no agency, or several, is an error that says which, never a guess."""

    data: str | None

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(
            label,
            validators=[Optional(), Length(max=queries.LEAD_TEXT_LIMIT)],
            render_kw={"autocomplete": "off"},
            **kwargs,
        )
        #: The agency the text names, once validated.
        self.agency: Agency | None = None
        #: The agencies the text matches, offered as suggestions.
        self.matches: list[Agency] = []

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        text = (self.data or "").strip()
        if validation_stopped or self.errors or not text:
            return
        self.matches = queries.lead_agencies_named(text)
        if len(self.matches) == 1:
            self.agency = self.matches[0]
            # The field then shows the agency's name, not the number of a link or a fragment.
            self.data = self.agency.choice_label()
        elif not self.matches:
            self.errors.append(
                _(
                    "No agency leading a measure is called “%(text)s”. Check the spelling, "
                    "or type a part of its name and choose from the suggestions.",
                    text=text,
                )
            )
        else:
            self.errors.append(
                _(
                    "Several agencies match “%(text)s”: %(names)s. Choose one from the "
                    "suggestions, or type more of its name.",
                    text=text,
                    names=", ".join(str(agency.label) for agency in self.matches),
                )
            )


class MeasureFilterForm(Form):
    """Filters of the measures list, in the GET URL (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Code or title contains"), validators=[Optional(), Length(max=100)])
    plan = SelectField(_l("Action plan"), choices=[], default="", validators=[Optional()])
    theme = SelectField(_l("Theme"), choices=[], default="", validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], default="", validators=[Optional()])
    lead = LeadAgencyField(_l("Lead agency"))
    late = BooleanField(_l("Late measures only"))
    submit = SubmitField(_l("Filter"))

    @classmethod
    def with_choices(cls, args: Any, choices: FilterChoices) -> MeasureFilterForm:
        """The form on the query string, offering the plans, themes and agencies that exist."""
        form = cls(args)
        anything = SelectChoice("", _l("Any"))
        form.plan.choices = [anything] + [
            SelectChoice(str(plan.id), f"{plan.code} — {localised(plan, 'title')}")
            for plan in choices.plans
        ]
        form.theme.choices = [anything] + [
            SelectChoice(
                str(theme.id), f"{theme.position}. {localised(theme)}", optgroup=theme.plan.code
            )
            for theme in choices.themes
        ]
        form.status.choices = [anything] + [
            SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()
        ]
        return form

    def filters(self) -> MeasureFilters:
        """The filters of a validated form."""

        # ``Optional`` lets a blank value through without checking it against the choices:
        # white space ("\r\n\t" in a hand-made address) means "any", like an empty value.
        def chosen(field: SelectField) -> str:
            return (field.data or "").strip()

        def number(field: SelectField) -> int | None:
            return int(chosen(field)) if chosen(field) else None

        return MeasureFilters(
            plan_id=number(self.plan),
            theme_id=number(self.theme),
            status=MeasureStatus(chosen(self.status)) if chosen(self.status) else None,
            lead_agency_id=self.lead.agency.id if self.lead.agency else None,
            late=bool(self.late.data),
            q=self.q.data or "",
        )


def agency_choices(agencies: Iterable[Agency]) -> list[SelectChoice]:
    return [SelectChoice(str(agency.id), agency.choice_label()) for agency in agencies]


# --- measure content and status ------------------------------------------------------------


class MeasureForm(Form):
    theme = SelectField(_l("Theme"), choices=[], validators=[DataRequired()])
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(
                r"^[0-9A-Za-z][0-9A-Za-z.\-]*$",
                message=_l("Use digits, letters, dots and hyphens, e.g. 3.4."),
            ),
        ],
    )
    title = TextsField(_l("Title"), max_length=255)
    description = TextsField(_l("Description"), max_length=20000, multiline=True, required=False)
    lead_agency = SelectField(_l("Lead agency"), choices=[], validators=[DataRequired()])
    partners = MultiCheckboxField(_l("Partner agencies"), choices=[], validators=[Optional()])
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    #: The version the editor loaded (optimistic locking).
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Save the measure"))

    def set_choices(
        self, plans: Sequence[ActionPlan], agencies: Sequence[Agency], *, choose_theme=False
    ) -> None:
        """The themes of ``plans`` and the agencies (``choose_theme``: no theme preselected)."""
        themes = [
            SelectChoice(str(theme.id), f"{theme.position}. {localised(theme)}", optgroup=plan.code)
            for plan in plans
            for theme in plan.themes
        ]
        prompt = [SelectChoice("", _l("Choose a theme"))] if choose_theme else []
        self.theme.choices = prompt + themes
        self.lead_agency.choices = [
            SelectChoice("", _l("Choose the lead agency")),
            *agency_choices(agencies),
        ]
        self.partners.choices = agency_choices(agencies)

    def fill(self, measure: Measure) -> None:
        """Show the measure as saved, with the version the editor loaded."""
        self.theme.data = str(measure.theme_id)
        self.code.data = measure.code
        self.title.data = measure.title
        self.description.data = measure.description
        self.lead_agency.data = str(measure.lead_agency_id)
        self.partners.data = [str(agency.id) for agency in measure.partners]
        self.deadline.data = measure.deadline
        self.version.data = measure.version


class StatusForm(Form):
    status = RadioField(_l("New status"), choices=[], validators=[InputRequired()])
    meeting = SelectField(_l("Meeting where it was decided"), choices=[], default="")
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Change the status"))

    def set_choices(self, measure: Measure, meetings: Sequence[Meeting]) -> None:
        """The statuses the measure may go to here; adoption and rejection are decisions of a
        platform meeting, recorded on its agenda item (coordination.decisions), never here."""
        self.status.choices = [
            SelectChoice(target.value, str(ACTION_LABELS[target]))
            for target in allowed_targets(MeasureStatus(measure.status))
            if target not in PLATFORM_DECISIONS
        ]
        self.meeting.choices = [SelectChoice("", _l("No meeting")), *meeting_choices(meetings)]


class AgendaForm(Form):
    meeting = SelectField(_l("Meeting"), choices=[], validators=[DataRequired()])
    submit = SubmitField(_l("Put on the agenda"))

    def set_choices(self, meetings: Sequence[Meeting]) -> None:
        self.meeting.choices = [
            SelectChoice("", _l("Choose a meeting")),
            *meeting_choices(meetings),
        ]


def meeting_choices(meetings: Sequence[Meeting]) -> list[SelectChoice]:
    """Meetings to choose from, each named by its date, forum and title."""
    return [
        SelectChoice(
            str(meeting.id),
            f"{brussels_date(meeting.local_date)} — {localised(meeting.forum)} — {meeting.title}",
        )
        for meeting in meetings
    ]


# --- indicators ----------------------------------------------------------------------------


class IndicatorForm(Form):
    name = TextsField(_l("Indicator"), max_length=255)
    unit = StringField(
        _l("Unit"), validators=[DataRequired(), Length(max=80)], description=_l("e.g. inspections")
    )
    direction = RadioField(
        _l("Direction"),
        choices=[SelectChoice(key.value, label) for key, label in DIRECTION_LABELS.items()],
        validators=[InputRequired()],
    )
    baseline_value = AmountField(_l("Baseline value"), validators=[Optional()])
    baseline_year = IntegerField(_l("Baseline year"), validators=[Optional(), YEAR_RANGE])
    submit = SubmitField(_l("Save the indicator"))

    target_years: list[int]

    @classmethod
    def for_years(cls, years: Iterable[int], **kwargs: Any) -> IndicatorForm:
        """The form with one target field per year of the plan."""
        years = list(years)
        targets = {
            f"target_{year}": AmountField(_l("Target for %(year)s", year=year), [Optional()])
            for year in years
        }
        form = form_with_fields(cls, targets, **kwargs)
        form.target_years = years
        return form

    def target_fields(self) -> list[Any]:
        return [self[f"target_{year}"] for year in self.target_years]

    def targets(self) -> dict[int, Decimal | None]:
        return {year: self[f"target_{year}"].data for year in self.target_years}

    def fill_targets(self, indicator: Indicator) -> None:
        for target in indicator.targets:
            if target.year in self.target_years:
                self[f"target_{target.year}"].data = target.target


# --- progress reports ----------------------------------------------------------------------


class ReportForm(Form):
    year = SelectField(_l("Year covered"), coerce=int, choices=[], validators=[InputRequired()])
    text = TextAreaField(
        _l("Progress"), validators=[DataRequired(), Length(max=20000)], render_kw={"rows": 10}
    )
    submit = SubmitField(_l("Submit the report"))

    indicator_ids: list[int]

    @classmethod
    def for_indicators(
        cls, indicators: Iterable[Indicator], years: Iterable[int], **kwargs: Any
    ) -> ReportForm:
        """The form with a value and a source field per indicator of the measure."""
        indicators = list(indicators)
        fields: dict[str, Any] = {}
        for indicator in indicators:
            fields[f"value_{indicator.id}"] = AmountField(
                f"{indicator.name} ({indicator.unit})", validators=[Optional()]
            )
            fields[f"source_{indicator.id}"] = StringField(
                _l("Source"), validators=[Optional(), Length(max=255)]
            )
        form = form_with_fields(cls, fields, **kwargs)
        form.indicator_ids = [indicator.id for indicator in indicators]
        form.year.choices = [SelectChoice(year, str(year)) for year in sorted(years, reverse=True)]
        return form

    def value_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"value_{i}"], self[f"source_{i}"]) for i in self.indicator_ids]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for value, source in self.value_fields():
            if value.data is not None and not (source.data or "").strip():
                source.errors.append(_l("Give the source of this value."))
                valid = False
            if value.data is None and (source.data or "").strip() and not value.errors:
                value.errors.append(_l("Give the value, or leave its source empty."))
                valid = False
        return valid

    def values(self) -> dict[int, tuple[Decimal, str]]:
        return {
            indicator_id: (self[f"value_{indicator_id}"].data, self[f"source_{indicator_id}"].data)
            for indicator_id in self.indicator_ids
            if self[f"value_{indicator_id}"].data is not None
        }


class ReviewForm(Form):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("accept", _l("Accept the report")),
            SelectChoice("return", _l("Send it back to the lead agency")),
        ],
        validators=[InputRequired()],
    )
    #: No Optional(): it would stop the chain before ``validate_comment`` sees an empty comment.
    comment = TextAreaField(_l("Comment to the lead agency"), validators=[Length(max=5000)])
    submit = SubmitField(_l("Record the review"))

    def validate_comment(self, field: Any) -> None:
        if self.decision.data == "return" and not (field.data or "").strip():
            raise FormValidationError(_l("Say why the report is sent back."))


# --- decisions of a platform meeting -------------------------------------------------------

# --- plans ---------------------------------------------------------------------------------


class PlanForm(Form):
    code = StringField(
        _l("Code"),
        validators=short_code_validators(),
        description=_l("e.g. NAP-2026-2030"),
    )
    title_nl = StringField(_l("Title in Dutch"), validators=[DataRequired(), Length(max=255)])
    title_fr = StringField(_l("Title in French"), validators=[DataRequired(), Length(max=255)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=255)])
    start_year = IntegerField(_l("First year"), validators=[InputRequired(), YEAR_RANGE])
    end_year = IntegerField(_l("Last year"), validators=[InputRequired(), YEAR_RANGE])
    copy_themes_from = SelectField(_l("Copy the themes of"), choices=[], default="")
    submit = SubmitField(_l("Open the plan"))

    def validate_end_year(self, field: Any) -> None:
        start = self.start_year.data
        if start is not None and field.data is not None and field.data < start:
            raise FormValidationError(_l("The plan cannot end before it starts."))


class ThemeForm(Form):
    name_nl = StringField(_l("Name in Dutch"), validators=[DataRequired(), Length(max=200)])
    name_fr = StringField(_l("Name in French"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Add the theme"))


class CarryOverForm(Form):
    measures = MultiCheckboxField(
        _l("Unfinished measures of earlier plans"), choices=[], validators=[DataRequired()]
    )
    submit = SubmitField(_l("Carry the selected measures over"))

    def set_choices(self, candidates: Iterable[Measure]) -> None:
        self.measures.choices = [
            SelectChoice(
                str(measure.id),
                f"{measure.plan.code} {measure.code} — {measure.title} "
                f"({status_label(measure.status)}, {measure.lead_agency.label})"
                + (f" — {_l('Late')}" if measure.is_late else ""),
            )
            for measure in candidates
        ]


class ClosePlanForm(Form):
    confirm = BooleanField(
        _l("I confirm: no new measure can be added to this plan."),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Close the plan"))
