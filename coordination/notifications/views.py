"""The outbox page: how many e-mails wait, went and failed, and why the failed ones failed."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from coordination.auth.guards import authorize
from coordination.auth.policy import Action
from coordination.core.navigation import NavItem
from coordination.db import db
from coordination.notifications.labels import failure_label
from coordination.notifications.models import OutboxStatus
from coordination.notifications.services import failed_messages_query, outbox_counts

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")

NAV_ITEMS = [NavItem("outbox.index", _l("E-mail outbox"), Action.OUTBOX_VIEW, order=88)]

PAGE_SIZE = 50


@bp.get("/")
@login_required
def index():
    authorize(Action.OUTBOX_VIEW)
    counts = outbox_counts()
    waiting = counts[OutboxStatus.PENDING] + counts[OutboxStatus.SENDING]
    page = db.paginate(failed_messages_query(), per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "admin/outbox.html",
        waiting=waiting,
        sent=counts[OutboxStatus.SENT],
        failed=counts[OutboxStatus.FAILED],
        page=page,
        failure_label=failure_label,
    )
