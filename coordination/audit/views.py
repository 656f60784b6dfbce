"""The audit log, browsable and filterable by the secretariat."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.audit.forms import AuditFilterForm
from coordination.audit.models import AuditEvent
from coordination.auth.guards import authorize
from coordination.auth.policy import Action
from coordination.core.navigation import NavItem
from coordination.core.pagination import paginate

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

NAV_ITEMS = [NavItem("audit.index", _l("Audit log"), Action.AUDIT_VIEW, order=90)]

PAGE_SIZE = 50


@bp.get("/")
@login_required
def index():
    authorize(Action.AUDIT_VIEW)
    form = AuditFilterForm(request.args, meta={"csrf": False})
    query = select(AuditEvent).options(selectinload(AuditEvent.actor))
    valid = form.validate()
    if valid:
        if form.action.data:
            query = query.where(AuditEvent.action.startswith(form.action.data.strip()))
        if form.actor.data:
            query = query.where(AuditEvent.actor_label.contains(form.actor.data.strip().lower()))
        if form.object_type.data:
            query = query.where(AuditEvent.object_type == form.object_type.data.strip())
        if form.object_id.data is not None:
            query = query.where(AuditEvent.object_id == form.object_id.data)
    page = paginate(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()), per_page=PAGE_SIZE)
    filters = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "admin/audit.html", form=form, page=page, filters=filters
    ), 200 if valid else 400
