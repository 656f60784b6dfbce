"""The page where the secretariat records a meeting's decisions on the proposals of its agenda:
adopted or rejected by the platform, forwarded by the bureau, deferred or returned."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from coordination.auth.guards import authorize, load_authorized
from coordination.auth.policy import Action
from coordination.core.actions import submit_form
from coordination.core.errors import ConflictError, ValidationError
from coordination.db import db
from coordination.decisions import services
from coordination.decisions.forms import CorrectionForm, DecisionsForm
from coordination.decisions.models import ItemDecision, Outcome
from coordination.decisions.templating import register_template_helpers
from coordination.decisions.workflow import OUTCOME_LABELS, outcomes_for
from coordination.meetings.models import Meeting
from coordination.minutes.services import minutes_of_meeting

bp = Blueprint("decisions", __name__)
register_template_helpers(bp)


def _decision_to_correct(decision_id: int) -> ItemDecision:
    """The recorded decision, for whoever may record the decisions of its meeting.

    :raise 404: it does not exist or the user may not see its meeting.
    """
    recorded = db.get_or_404(ItemDecision, decision_id)
    meeting = recorded.agenda_item.meeting
    authorize(Action.MEETINGS_VIEW, meeting, hide=True)
    authorize(Action.MEASURES_DECIDE, meeting)
    return recorded


def _decisions_form(meeting: Meeting, items: list) -> DecisionsForm:
    """The form for the proposals of ``items`` (:func:`services.items_to_decide`) still
    awaiting a decision."""
    proposals = [measure for _item, measure in services.awaiting_decision(items)]
    return DecisionsForm.for_proposals(proposals, outcomes_for(meeting))


@bp.route("/meetings/<id:meeting_id>/decisions", methods=["GET", "POST"])
@login_required
def meeting(meeting_id: int):
    """The meeting's decisions on every proposal of its agenda, recorded in one step.

    :raise 404: the meeting does not exist or the user may not see it.
    """
    meeting = load_authorized(Meeting, meeting_id, Action.MEETINGS_VIEW, hide=True)
    authorize(Action.MEASURES_DECIDE, meeting)
    items = services.items_to_decide(meeting)
    form = _decisions_form(meeting, items)

    def record() -> list:
        if not form.lists_the_same_proposals():
            raise ValidationError(
                _l(
                    "The proposals on this agenda changed since the page was loaded. "
                    "Nothing was recorded: check the list and record the decisions again."
                )
            )
        return services.record_meeting_decisions(meeting, form.decisions(), actor=current_user)

    submission = submit_form(
        form,
        record,
        success=lambda recorded: ngettext(
            "%(num)d decision recorded.", "%(num)d decisions recorded.", len(recorded)
        ),
        then=url_for("decisions.meeting", meeting_id=meeting.id),
    )
    if submission.done:
        return submission.response
    if submission.refused:  # show the agenda as it is now
        items = services.items_to_decide(meeting)
        form = _decisions_form(meeting, items)
        form.list_current_proposals()
    return render_template(
        "decisions/meeting.html",
        form=form,
        meeting=meeting,
        items=items,
        waiting=[measure for _item, measure in services.awaiting_decision(items)],
        outcome_labels=OUTCOME_LABELS,
    ), submission.status


@bp.route("/decisions/<id:decision_id>/correct", methods=["GET", "POST"])
@login_required
def correct(decision_id: int):
    """Correct a recorded decision through the meeting's minutes (a reason is required).

    :raise 404: the decision does not exist or the user may not see its meeting.
    """
    recorded = _decision_to_correct(decision_id)
    meeting = recorded.agenda_item.meeting
    form = CorrectionForm.for_decision(recorded, services.correction_outcomes(recorded))

    def correct_it():
        if not form.shows_the_recorded(recorded):
            raise ConflictError(
                _l("Someone corrected this decision in the meantime: check it and try again.")
            )
        return services.correct_decision(
            recorded, Outcome(form.outcome.data), note=form.note.data, actor=current_user
        )

    submission = submit_form(
        form,
        correct_it,
        success=_l("The decision was corrected; the measure and the minutes follow."),
        then=url_for("decisions.meeting", meeting_id=meeting.id),
        form_error=True,
    )
    if submission.done:
        return submission.response
    return render_template(
        "decisions/correct.html",
        form=form,
        recorded=recorded,
        meeting=meeting,
        minutes=minutes_of_meeting(meeting.id),
    ), submission.status
