"""The meeting's decisions on the proposals of its agenda, one choice and a note each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from coordination.core.forms import Form, form_with_fields
from coordination.decisions.models import ItemDecision, Outcome
from coordination.decisions.workflow import OUTCOME_LABELS
from coordination.measures.models import Measure

UNDECIDED = "undecided"


class DecisionsForm(Form):
    #: The proposals the page listed, so that a decision is never dropped silently when
    #: someone else decided on a proposal in the meantime.
    listed = HiddenField()
    submit = SubmitField(_l("Record the decisions"))

    measure_ids: list[int]

    @classmethod
    def for_proposals(
        cls, proposals: Iterable[Measure], outcomes: Sequence[Outcome], **kwargs: Any
    ) -> DecisionsForm:
        """One choice (an outcome the forum may decide, or "not decided") and a note per
        proposal."""
        proposals = list(proposals)
        choices = [
            SelectChoice(UNDECIDED, _l("Not decided")),
            *(SelectChoice(outcome.value, OUTCOME_LABELS[outcome]) for outcome in outcomes),
        ]
        fields: dict[str, Any] = {}
        for measure in proposals:
            fields[f"decision_{measure.id}"] = RadioField(
                f"{measure.code} — {measure.title}",
                choices=choices,
                default=UNDECIDED,
                validators=[InputRequired()],
            )
            fields[f"note_{measure.id}"] = StringField(
                _l("Note"), validators=[Optional(), Length(max=2000)]
            )
        form = form_with_fields(cls, fields, **kwargs)
        form.measure_ids = [measure.id for measure in proposals]
        if not form.is_submitted():
            form.list_current_proposals()
        return form

    def _listing(self) -> str:
        return ",".join(str(measure_id) for measure_id in self.measure_ids)

    def list_current_proposals(self) -> None:
        self.listed.data = self._listing()

    def lists_the_same_proposals(self) -> bool:
        return self.listed.data == self._listing()

    def decisions(self) -> dict[int, tuple[Outcome | None, str]]:
        result = {}
        for measure_id in self.measure_ids:
            choice = self[f"decision_{measure_id}"].data
            outcome = None if choice == UNDECIDED else Outcome(choice)
            result[measure_id] = (outcome, (self[f"note_{measure_id}"].data or "").strip())
        return result


class CorrectionForm(Form):
    """The decision the meeting actually took, and why the record changes."""

    outcome = RadioField(_l("Corrected decision"), validators=[InputRequired()])
    note = TextAreaField(
        _l("Reason for the correction"), validators=[InputRequired(), Length(max=500)]
    )
    #: The decision as the page showed it, so that two corrections at once do not overwrite
    #: each other.
    recorded = HiddenField()
    submit = SubmitField(_l("Correct the decision"))

    @classmethod
    def for_decision(
        cls, recorded: ItemDecision, outcomes: Sequence[Outcome], **kwargs: Any
    ) -> CorrectionForm:
        form = cls(**kwargs)
        form.outcome.choices = [
            SelectChoice(outcome.value, OUTCOME_LABELS[outcome]) for outcome in outcomes
        ]
        if not form.is_submitted():
            form.recorded.data = recorded.outcome.value
        return form

    def shows_the_recorded(self, recorded: ItemDecision) -> bool:
        return self.recorded.data == recorded.outcome.value
