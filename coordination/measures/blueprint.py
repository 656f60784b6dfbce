"""The action plan's blueprint and what its pages share: the loader of a measure ("load or 404,
then authorize") and the address of its page.

The routes live in :mod:`coordination.measures.views` (measures, indicators, progress reports)
and :mod:`coordination.measures.plan_views` (the plans and their themes); both register on this
one blueprint, so every endpoint keeps the ``measures.`` prefix.
"""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import lazy_gettext as _l

from coordination.auth.guards import authorize
from coordination.auth.policy import Action
from coordination.core.navigation import NavItem
from coordination.db import db
from coordination.measures import queries
from coordination.measures.models import Measure
from coordination.measures.templating import register_template_helpers

bp = Blueprint("measures", __name__)
register_template_helpers(bp)

NAV_ITEMS = [NavItem("measures.index", _l("Action plan"), Action.MEASURES_VIEW, order=30)]


def measure_or_404(
    measure_id: int, action: Action = Action.MEASURES_VIEW, *, page: bool = False
) -> Measure:
    """The measure, if the user may ``action`` it; ``page`` loads what its page shows at once.

    :raise 404: no such measure. :raise 403: the user may not do this.
    """
    measure = queries.load_measure(measure_id) if page else db.session.get(Measure, measure_id)
    if measure is None:
        abort(404)
    authorize(action, measure)
    return measure


def measure_page(measure: Measure, anchor: str | None = None) -> str:
    """The measure's page (at ``anchor``, an element's id, if given)."""
    return url_for("measures.detail", measure_id=measure.id, _anchor=anchor)
