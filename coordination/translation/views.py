"""The secretariat's list of texts still to translate."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from coordination.auth.guards import authorize
from coordination.auth.policy import Action
from coordination.core.navigation import NavItem
from coordination.core.time import today_brussels
from coordination.translation.content import untranslated_by_kind

bp = Blueprint("translation", __name__, url_prefix="/admin/translations")

NAV_ITEMS = [NavItem("translation.index", _l("To translate"), Action.TRANSLATIONS_VIEW, order=87)]


@bp.get("/")
@login_required
def index():
    authorize(Action.TRANSLATIONS_VIEW)
    kinds = untranslated_by_kind(today_brussels())
    return render_template(
        "translation/index.html", kinds=kinds, total=sum(kind.total for kind in kinds)
    )
