"""The minutes' blueprint and what its pages share: the loader of the minutes ("load or 404,
then authorize", hiding what may not be read) and the address of their reading view.

The routes live in :mod:`coordination.minutes.views` (reading, writing, the workflow, revisions)
and :mod:`coordination.minutes.parts_views` (attendance, decisions, follow-up actions); both
register on this one blueprint, so every endpoint keeps the ``minutes.`` prefix.
"""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import lazy_gettext as _l

from coordination.auth.guards import authorize
from coordination.auth.policy import Action
from coordination.core.navigation import NavItem
from coordination.minutes import services
from coordination.minutes.models import Minutes
from coordination.minutes.templating import register_template_helpers

bp = Blueprint("minutes", __name__, url_prefix="/minutes")
register_template_helpers(bp)

NAV_ITEMS = [NavItem("minutes.index", _l("Minutes"), Action.MINUTES_VIEW, order=30)]


def minutes_or_404(minutes_id: int, action: Action | None = None, *, full: bool = False) -> Minutes:
    """The minutes, if the current user may read them (and do ``action``, when given);
    ``full`` loads at once everything the reading view and the parts pages show.

    :raise 404: when they do not exist or the user may not know they exist (unpublished
        minutes are the secretariat's).
    :raise 403: when the user may read them but not do ``action``.
    """
    minutes = (services.get_minutes_for_reading if full else services.get_minutes)(minutes_id)
    if minutes is None:
        abort(404)
    authorize(Action.MINUTES_VIEW, minutes, hide=True)
    if action is not None:
        authorize(action, minutes)
    return minutes


def minutes_page(minutes: Minutes, anchor: str | None = None) -> str:
    """The reading view of ``minutes`` (at ``anchor``, an element's id, if given)."""
    return url_for("minutes.show", minutes_id=minutes.id, _anchor=anchor)
