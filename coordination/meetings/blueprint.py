"""The meetings' blueprint and what its pages share: one loader per object ("load or 404,
then authorize", flaskr's ``get_post``), the address of a meeting's page, the confirmation
pages that carry a version.

The routes live in :mod:`coordination.meetings.views` (lists, calendar, the meeting page, series,
scheduling) and :mod:`coordination.meetings.agenda_views` (agenda and documents); both register
on this one blueprint, so every endpoint keeps the ``meetings.`` prefix.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from coordination.auth.guards import authorize, load_authorized
from coordination.auth.policy import Action
from coordination.core.actions import form_page
from coordination.core.navigation import NavItem
from coordination.db import db
from coordination.meetings.models import AgendaItem, Meeting
from coordination.meetings.services import MAX_FILES_AT_ONCE
from coordination.meetings.storage import ACCEPT_ATTRIBUTE, ALLOWED_EXTENSIONS_TEXT
from coordination.meetings.templating import register_template_helpers

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
register_template_helpers(bp)

NAV_ITEMS = [NavItem("meetings.index", _l("Meetings"), Action.MEETINGS_LIST, order=20)]


def visible_meeting(meeting_id: int) -> Meeting:
    """The meeting, or 404 when it does not exist or the user may not know it does."""
    return load_authorized(Meeting, meeting_id, Action.MEETINGS_VIEW, hide=True)


def editable_meeting(meeting_id: int, action: Action = Action.MEETINGS_EDIT) -> Meeting:
    """A meeting the user sees (else 404) and may ``action`` (else 403)."""
    meeting = visible_meeting(meeting_id)
    authorize(action, meeting)
    return meeting


def editable_item(item_id: int) -> AgendaItem:
    """An agenda item of a meeting the user sees (else 404) and may edit (else 403)."""
    item = db.get_or_404(AgendaItem, item_id)
    authorize(Action.MEETINGS_VIEW, item.meeting, hide=True)
    authorize(Action.AGENDA_EDIT, item.meeting)
    return item


def meeting_page(meeting: Meeting, anchor: str | None = None) -> str:
    return url_for("meetings.show", meeting_id=meeting.id, _anchor=anchor)


def version_confirmation(
    obj: Any, form: Any, call: Any, *, template: str, **options: Any
) -> ResponseReturnValue:
    """A confirmation page whose form carries the version of ``obj`` the user saw."""
    if not form.is_submitted():
        form.version.data = obj.version
    return form_page(form, call, template=template, **options)


def upload_limits() -> dict[str, Any]:
    """What the upload form tells the user about the files it accepts."""
    return {
        "accept": ACCEPT_ATTRIBUTE,
        "allowed_types": ALLOWED_EXTENSIONS_TEXT,
        "max_mb": current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024),
        "total_mb": current_app.config["MAX_UPLOADS_TOTAL_BYTES"] // (1024 * 1024),
        "max_files": MAX_FILES_AT_ONCE,
    }
