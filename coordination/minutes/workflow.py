"""The life cycle of minutes: ``draft -> circulated -> approved -> published``, in one table.

- A draft is written and rewritten by the secretariat; nobody else knows it exists.
- Circulated, the draft goes to the forum's member representatives, who read it (marked as a
  draft, never in feeds or exports) and comment on its sections until a deadline; the
  secretariat still edits it and resolves each comment. Recalled, it is a private draft again.
- Approval, at a later meeting of the forum (the standing first item of the next one) or by
  written procedure, freezes the text, the attendance, the decisions and the follow-up
  actions: what is published is exactly what was approved. If an error is found before
  publication the approval is withdrawn (back to draft), corrected, circulated and approved
  again.
- Publication is final. There is no way back to draft: the e-mails have gone out and agencies
  may have acted on the text. A published text is corrected by a new published revision with a
  mandatory change note that readers see, never by editing it in place.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.core.errors import NotAllowed
from coordination.minutes.models import MinutesStatus

#: (from, to) -> the name of the transition (also the audit action "minutes.<name>").
TRANSITIONS: dict[tuple[MinutesStatus, MinutesStatus], str] = {
    (MinutesStatus.DRAFT, MinutesStatus.CIRCULATED): "circulate",
    (MinutesStatus.CIRCULATED, MinutesStatus.DRAFT): "recall",
    (MinutesStatus.CIRCULATED, MinutesStatus.APPROVED): "approve",
    (MinutesStatus.APPROVED, MinutesStatus.DRAFT): "withdraw_approval",
    (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED): "publish",
}

#: Where the text and the structured parts may be changed in place.
EDITABLE = frozenset({MinutesStatus.DRAFT, MinutesStatus.CIRCULATED})
#: Where the text may only be corrected by a new published revision with a change note.
CORRECTABLE = frozenset({MinutesStatus.PUBLISHED})

_REFUSALS = {
    MinutesStatus.CIRCULATED: _l("Only draft minutes can be circulated."),
    MinutesStatus.APPROVED: _l(
        "Only circulated minutes can be approved: the members read the draft first."
    ),
    MinutesStatus.PUBLISHED: _l("Only approved minutes can be published."),
    MinutesStatus.DRAFT: _l("Only circulated or approved minutes can go back to draft; published "
                            "minutes stay published and are corrected with a change note."),
}  # fmt: skip


def transition_name(current: MinutesStatus, target: MinutesStatus) -> str:
    """The name of the allowed transition from ``current`` to ``target``.

    :raise NotAllowed: when the table has no such transition.
    """
    try:
        return TRANSITIONS[(current, target)]
    except KeyError:
        raise NotAllowed(_REFUSALS[target]) from None


def allowed_targets(current: MinutesStatus) -> list[MinutesStatus]:
    """The statuses reachable from ``current`` (for buttons in templates)."""
    return [target for (source, target) in TRANSITIONS if source is current]


def ensure_editable(status: MinutesStatus) -> None:
    """:raise NotAllowed: unless the minutes may be changed in place."""
    if status in EDITABLE:
        return
    if status in CORRECTABLE:
        raise NotAllowed(
            _l("Published minutes are not edited in place: save a correction with a change note.")
        )
    raise NotAllowed(_l("Approved minutes are frozen: withdraw the approval to change them."))
