"""Home pages per role."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from coordination.core.time import today_brussels
from coordination.dashboard import queries

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def home():
    """What matters first to each role."""
    today = today_brussels()
    context: dict = {"today": today}
    if current_user.is_secretariat:
        context["counts"] = queries.admin_counts()
    if current_user.agency_id is not None:
        context["agency_forums"] = queries.forums_of_agency_on(current_user.agency_id, today)
    return render_template("dashboard/home.html", **context)
