"""THE table of what a meeting may decide on a proposal of its agenda, and what each outcome
does to the measure. Free of request code: the services and the pages read it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.decisions.models import Outcome
from coordination.measures.models import MeasureStatus
from coordination.meetings.models import Meeting

#: The platform decides; the bureau prepares and forwards.
PLATFORM_OUTCOMES = (Outcome.ADOPTED, Outcome.REJECTED, Outcome.DEFERRED, Outcome.RETURNED)
BUREAU_OUTCOMES = (Outcome.FORWARDED, Outcome.DEFERRED)

#: The status an outcome gives the measure; the others leave it a proposal.
NEW_STATUS = {Outcome.ADOPTED: MeasureStatus.ADOPTED, Outcome.REJECTED: MeasureStatus.REJECTED}

OUTCOME_LABELS = {
    Outcome.ADOPTED: _l("Adopted"),
    Outcome.REJECTED: _l("Rejected"),
    Outcome.DEFERRED: _l("Deferred to a later meeting"),
    Outcome.RETURNED: _l("Returned to the bureau for rework"),
    Outcome.FORWARDED: _l("Forwarded to the platform"),
}


def status_after(outcome: Outcome) -> MeasureStatus:
    """The measure's status once ``outcome`` is decided (the others leave it a proposal)."""
    return NEW_STATUS.get(outcome, MeasureStatus.PROPOSED)


def outcomes_for(meeting: Meeting) -> tuple[Outcome, ...]:
    """What ``meeting``'s forum may decide on a proposal of its agenda."""
    return PLATFORM_OUTCOMES if meeting.forum.political else BUREAU_OUTCOMES


def outcome_label(outcome: Outcome | str) -> str:
    return str(OUTCOME_LABELS[Outcome(outcome)])
