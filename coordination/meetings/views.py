"""Meetings of both forums: lists, month calendar, the meeting page and the secretariat's forms.

Views are thin: load or 404 and authorize (a meeting the user may not see is a 404, never a
403: its existence is not revealed), parse a form, call one service; ``core.actions`` commits.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from coordination.agencies.models import Forum
from coordination.agencies.services import list_agencies
from coordination.auth.guards import authorize, load_authorized
from coordination.auth.policy import Action, can
from coordination.core.actions import commit, form_page
from coordination.core.errors import ValidationError
from coordination.core.navigation import NavItem
from coordination.core.pagination import paginate
from coordination.core.time import brussels_to_utc, today_brussels, utcnow
from coordination.db import db
from coordination.meetings import queries, services
from coordination.meetings.forms import (
    AgendaItemForm,
    CancelForm,
    DeleteAgendaItemForm,
    DeleteDocumentForm,
    DetailsForm,
    DocumentForm,
    EditAgendaItemForm,
    EditSeriesForm,
    FinaliseForm,
    HeldForm,
    MeetingForm,
    MoveForm,
    RescheduleForm,
    SeriesForm,
    forum_choices,
)
from coordination.meetings.models import (
    AgendaItem,
    Document,
    Meeting,
    MeetingSeries,
    MeetingStatus,
)
from coordination.meetings.month import month_from_args, month_grid
from coordination.meetings.notify import forum_recipients
from coordination.meetings.storage import (
    ACCEPT_ATTRIBUTE,
    ALLOWED_EXTENSIONS_TEXT,
    file_response,
    path_for,
)
from coordination.meetings.templating import register_template_helpers

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
register_template_helpers(bp)

NAV_ITEMS = [NavItem("meetings.index", _l("Meetings"), Action.MEETINGS_LIST, order=20)]

PAGE_SIZE = 20


# --- loaders and helpers -------------------------------------------------------------------


def _visible_meeting(meeting_id: int) -> Meeting:
    """The meeting, or 404 when it does not exist or the user may not know it does."""
    return load_authorized(Meeting, meeting_id, Action.MEETINGS_VIEW, hide=True)


def _editable_meeting(meeting_id: int, action: Action = Action.MEETINGS_EDIT) -> Meeting:
    """A meeting the user sees (else 404) and may ``action`` (else 403)."""
    meeting = _visible_meeting(meeting_id)
    authorize(action, meeting)
    return meeting


def _editable_item(item_id: int) -> AgendaItem:
    """An agenda item of a meeting the user sees (else 404) and may edit (else 403)."""
    item = db.get_or_404(AgendaItem, item_id)
    authorize(Action.MEETINGS_VIEW, item.meeting, hide=True)
    authorize(Action.AGENDA_EDIT, item.meeting)
    return item


def _page(meeting: Meeting, anchor: str | None = None) -> str:
    return url_for("meetings.show", meeting_id=meeting.id, _anchor=anchor)


def _chosen_forum(code: str | None):
    forum = queries.forum_by_code(code or "")
    if forum is None:
        raise ValidationError(_l("Choose a forum."))
    return forum


def _forum_in_args() -> Forum | None:
    """The forum named by ``?forum=`` (None without one). :raise 404: for an unknown code."""
    code = request.args.get("forum")
    if not code:
        return None
    forum = queries.forum_by_code(code)
    if forum is None:
        abort(404)
    return forum


def _local(day: date, at: time) -> datetime:
    return brussels_to_utc(day, at)


def _upload_limits() -> dict[str, Any]:
    return {
        "accept": ACCEPT_ATTRIBUTE,
        "allowed_types": ALLOWED_EXTENSIONS_TEXT,
        "max_mb": current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024),
    }


# --- lists and calendar --------------------------------------------------------------------


@bp.get("/")
@login_required
def index():
    """Upcoming or past meetings of one forum, paginated."""
    authorize(Action.MEETINGS_LIST)
    forums = queries.visible_forums(current_user)
    forum = _forum_in_args() or (forums[0] if forums else None)
    when = "past" if request.args.get("when") == "past" else "upcoming"
    page = None
    if forum is not None:
        page = paginate(
            queries.forum_meetings(current_user, forum, upcoming=when == "upcoming", now=utcnow()),
            per_page=PAGE_SIZE,
        )
    return render_template("meetings/index.html", forums=forums, forum=forum, when=when, page=page)


@bp.get("/calendar")
@login_required
def month_calendar():
    """A month of meetings as an accessible table (Monday first, as in Belgium)."""
    authorize(Action.MEETINGS_LIST)
    today = today_brussels()
    year, month, valid = month_from_args(request.args, today)
    forum = _forum_in_args()
    if not valid:
        flash(_("Choose a month between 1 and 12 and a year between 1900 and 2200."), "error")
    return render_template(
        "meetings/calendar.html",
        **month_grid(current_user, year, month, forum),
        today=today,
        forum=forum,
        forums=queries.visible_forums(current_user),
    ), 200 if valid else 400


# --- the meeting page ----------------------------------------------------------------------


@bp.get("/<id:meeting_id>")
@login_required
def show(meeting_id: int):
    meeting = queries.meeting_for_page(meeting_id)
    if meeting is None:
        abort(404)
    authorize(Action.MEETINGS_VIEW, meeting, hide=True)
    context: dict[str, Any] = {"meeting": meeting}
    if can(current_user, Action.AGENDA_EDIT, meeting):
        context["move_form"] = MoveForm()
    if can(current_user, Action.DOCUMENTS_MANAGE, meeting):
        upload = DocumentForm()
        upload.set_targets(meeting)
        context.update(upload_form=upload, **_upload_limits())
    items = sorted(meeting.agenda_items, key=lambda item: item.position)
    documents = sorted(meeting.documents, key=lambda d: (d.uploaded_at, d.id))
    return render_template(
        "meetings/show.html",
        items=items,
        meeting_documents=[d for d in documents if d.agenda_item_id is None],
        item_documents={
            item.id: [d for d in documents if d.agenda_item_id == item.id] for item in items
        },
        **context,
    )


# --- series --------------------------------------------------------------------------------


@bp.get("/series")
@login_required
def series_index():
    authorize(Action.MEETINGS_MANAGE)
    return render_template("meetings/series_index.html", all_series=queries.list_series())


@bp.route("/series/new", methods=["GET", "POST"])
@login_required
def new_series():
    authorize(Action.MEETINGS_MANAGE)
    form = SeriesForm()
    form.forum.choices = forum_choices(queries.all_forums())
    rule = form.validated_rule()
    return form_page(
        form,
        lambda: services.create_series(
            _chosen_forum(form.forum.data),
            today=today_brussels(),
            actor=current_user,
            **form.series_arguments(rule),
        ),
        validate=lambda: rule is not None,
        form_error=True,
        success=lambda series: ngettext(
            "The series has been created with %(num)d meeting.",
            "The series has been created with %(num)d meetings.",
            len(series.meetings),
        ),
        then=url_for("meetings.series_index"),
        template="meetings/series_form.html",
        context={"series": None},
    )


@bp.route("/series/<id:series_id>/edit", methods=["GET", "POST"])
@login_required
def edit_series(series_id: int):
    authorize(Action.MEETINGS_MANAGE)
    series = db.get_or_404(MeetingSeries, series_id)
    form = EditSeriesForm(obj=series)
    if not form.is_submitted():
        form.fill(series)
    rule = form.validated_rule()
    return form_page(
        form,
        lambda: services.update_series(
            series,
            expected_version=form.version.data,
            now=utcnow(),
            actor=current_user,
            **form.series_arguments(rule),
        ),
        validate=lambda: rule is not None,
        success=lambda change: _(
            "The series has been saved: %(moved)d meetings changed, %(added)d "
            "added, %(cancelled)d cancelled.",
            moved=len(change.moved),
            added=len(change.added),
            cancelled=len(change.cancelled),
        ),
        then=url_for("meetings.series_index"),
        template="meetings/series_form.html",
        context={"series": series},
    )


# --- one meeting: schedule, details, reschedule, cancel, held ------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Schedule a one-off meeting."""
    authorize(Action.MEETINGS_MANAGE)
    form = MeetingForm()
    form.forum.choices = forum_choices(queries.all_forums())
    return form_page(
        form,
        lambda: services.schedule_meeting(
            _chosen_forum(form.forum.data),
            title=form.title.data,
            starts_at=_local(form.day.data, form.start_time.data),
            ends_at=_local(form.day.data, form.end_time.data),
            place=form.place.data,
            place_confidential=form.place_confidential.data,
            online_url=form.online_url.data,
            actor=current_user,
            now=utcnow(),
        ),
        form_error=True,
        success=_("The meeting has been scheduled; the members are informed."),
        then=_page,
        template="meetings/meeting_form.html",
    )


@bp.route("/<id:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = _editable_meeting(meeting_id)
    form = DetailsForm(obj=meeting)
    return form_page(
        form,
        lambda: services.update_meeting_details(
            meeting,
            expected_version=form.version.data,
            title=form.title.data,
            place=form.place.data,
            place_confidential=form.place_confidential.data,
            online_url=form.online_url.data,
            actor=current_user,
            now=utcnow(),
        ),
        success=_("The meeting has been saved."),
        then=_page(meeting),
        template="meetings/details_form.html",
        context={"meeting": meeting},
    )


@bp.route("/<id:meeting_id>/reschedule", methods=["GET", "POST"])
@login_required
def reschedule(meeting_id: int):
    """Two steps: the new time and place, then an explicit confirmation."""
    meeting = _editable_meeting(meeting_id)
    form = RescheduleForm()
    if not form.is_submitted():
        form.fill(meeting)
    if meeting.status is not MeetingStatus.SCHEDULED:
        flash(_("Only a scheduled meeting can be rescheduled."), "error")
        return redirect(_page(meeting))
    valid = form.validate_on_submit()
    if valid and form.confirmed.data != "yes":
        return render_template(
            "meetings/reschedule_confirm.html",
            form=form,
            meeting=meeting,
            starts_at=_local(form.day.data, form.start_time.data),
            ends_at=_local(form.day.data, form.end_time.data),
            recipients=len(forum_recipients(meeting.forum_id, form.day.data)),
        )
    return form_page(
        form,
        lambda: services.reschedule_meeting(
            meeting,
            expected_version=form.version.data,
            starts_at=_local(form.day.data, form.start_time.data),
            ends_at=_local(form.day.data, form.end_time.data),
            place=form.place.data,
            place_confidential=form.place_confidential.data,
            actor=current_user,
            now=utcnow(),
        ),
        validate=lambda: valid,
        success=_("The meeting has been rescheduled; the members are informed."),
        then=_page(meeting),
        template="meetings/reschedule.html",
        context={"meeting": meeting},
    )


def _version_confirmation(
    obj: Any, form: Any, call: Any, *, template: str, **options: Any
) -> ResponseReturnValue:
    """A confirmation page whose form carries the version of ``obj`` the user saw."""
    if not form.is_submitted():
        form.version.data = obj.version
    return form_page(form, call, template=template, **options)


@bp.route("/<id:meeting_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(meeting_id: int):
    meeting = _editable_meeting(meeting_id)
    form = CancelForm()
    return _version_confirmation(
        meeting,
        form,
        lambda: services.cancel_meeting(
            meeting,
            expected_version=form.version.data,
            reason=form.reason.data,
            actor=current_user,
            now=utcnow(),
        ),
        success=_("The meeting has been cancelled; the members are informed."),
        then=_page(meeting),
        template="meetings/cancel.html",
        context={
            "meeting": meeting,
            "recipients": len(forum_recipients(meeting.forum_id, meeting.local_date)),
        },
    )


@bp.route("/<id:meeting_id>/held", methods=["GET", "POST"])
@login_required
def held(meeting_id: int):
    meeting = _editable_meeting(meeting_id)
    form = HeldForm()
    return _version_confirmation(
        meeting,
        form,
        lambda: services.mark_meeting_held(
            meeting, expected_version=form.version.data, actor=current_user, now=utcnow()
        ),
        success=_("The meeting is marked as held."),
        then=_page(meeting),
        template="meetings/held.html",
        context={"meeting": meeting},
    )


# --- agenda --------------------------------------------------------------------------------


@bp.route("/<id:meeting_id>/agenda/new", methods=["GET", "POST"])
@login_required
def new_agenda_item(meeting_id: int):
    meeting = _editable_meeting(meeting_id, Action.AGENDA_EDIT)
    form = AgendaItemForm()
    form.set_agency_choices(list_agencies(active_only=True))
    return form_page(
        form,
        lambda: services.add_agenda_item(meeting, actor=current_user, **form.item_arguments()),
        success=_("The item has been added to the agenda."),
        then=_page(meeting, "agenda"),
        template="meetings/agenda_item_form.html",
        context={"meeting": meeting, "item": None},
    )


@bp.route("/agenda/<id:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_agenda_item(item_id: int):
    item = _editable_item(item_id)
    form = EditAgendaItemForm(obj=item)
    form.set_agency_choices(list_agencies(active_only=True))
    if not form.is_submitted():
        form.fill(item)
    return form_page(
        form,
        lambda: services.update_agenda_item(
            item, expected_version=form.version.data, actor=current_user, **form.item_arguments()
        ),
        success=_("The agenda item has been saved."),
        then=_page(item.meeting, f"item-{item.id}"),
        template="meetings/agenda_item_form.html",
        context={"meeting": item.meeting, "item": item},
    )


@bp.route("/agenda/<id:item_id>/delete", methods=["GET", "POST"])
@login_required
def delete_agenda_item(item_id: int):
    item = _editable_item(item_id)
    meeting = item.meeting
    form = DeleteAgendaItemForm()
    return _version_confirmation(
        item,
        form,
        lambda: services.remove_agenda_item(
            item, expected_version=form.version.data, actor=current_user
        ),
        success=_("The item has been removed from the agenda."),
        then=_page(meeting, "agenda"),
        template="meetings/agenda_item_delete.html",
        context={"meeting": meeting, "item": item},
    )


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


@bp.post("/agenda/<id:item_id>/move")
@login_required
def move_agenda_item(item_id: int):
    """Move an item up or down; answers JSON to the page's script, else redirects back."""
    item = _editable_item(item_id)
    meeting = item.meeting
    form = MoveForm()
    if not form.validate_on_submit():
        if _wants_json():
            return jsonify(error=_("Choose to move the item up or down.")), 400
        flash(_("Choose to move the item up or down."), "error")
        return redirect(_page(meeting, "agenda"), 303)
    moved, refusal = commit(
        lambda: services.move_agenda_item(
            item, offset=-1 if form.direction.data == "up" else 1, actor=current_user
        )
    )
    if _wants_json():
        if refusal is not None:
            return jsonify(error=refusal.message), refusal.status
        order = [i.id for i in sorted(meeting.agenda_items, key=lambda i: i.position)]
        return jsonify(moved=moved, order=order)
    if refusal is not None:
        flash(refusal.message, "error")
        return redirect(_page(meeting, "agenda"), 303)
    return redirect(_page(meeting, f"item-{item.id}"))


@bp.route("/<id:meeting_id>/agenda/finalise", methods=["GET", "POST"])
@login_required
def finalise(meeting_id: int):
    meeting = _editable_meeting(meeting_id, Action.AGENDA_EDIT)
    form = FinaliseForm()
    return _version_confirmation(
        meeting,
        form,
        lambda: services.finalise_agenda(
            meeting, expected_version=form.version.data, actor=current_user, now=utcnow()
        ),
        success=_("The agenda is final; the members are informed."),
        then=_page(meeting, "agenda"),
        template="meetings/finalise.html",
        context={
            "meeting": meeting,
            "items": sorted(meeting.agenda_items, key=lambda item: item.position),
            "recipients": len(forum_recipients(meeting.forum_id, meeting.local_date)),
        },
    )


# --- documents -----------------------------------------------------------------------------


@bp.route("/<id:meeting_id>/documents/new", methods=["GET", "POST"])
@login_required
def upload(meeting_id: int):
    meeting = _editable_meeting(meeting_id, Action.DOCUMENTS_MANAGE)
    form = DocumentForm()
    form.set_targets(meeting)

    def store() -> Document:
        item_id = form.agenda_item.data
        return services.store_document(
            meeting,
            stream=form.file.data.stream,
            filename=form.file.data.filename,
            agenda_item=db.session.get(AgendaItem, int(item_id)) if item_id else None,
            actor=current_user,
            upload_dir=current_app.config["UPLOAD_DIR"],
            max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
        )

    return form_page(
        form,
        store,
        error_field=form.file,
        success=lambda document: _("%(name)s has been attached.", name=document.filename),
        then=_page(meeting, "documents"),
        template="meetings/document_form.html",
        context={"meeting": meeting, **_upload_limits()},
    )


@bp.get("/documents/<id:document_id>")
@login_required
def download(document_id: int):
    """The file, as an attachment, only to those who may see its meeting."""
    document = load_authorized(Document, document_id, Action.DOCUMENTS_VIEW, hide=True)
    return file_response(
        path_for(current_app.config["UPLOAD_DIR"], document.content_hash),
        filename=document.filename,
        media_type=document.media_type,
        content_hash=document.content_hash,
    )


@bp.route("/documents/<id:document_id>/delete", methods=["GET", "POST"])
@login_required
def delete_document(document_id: int):
    document = load_authorized(Document, document_id, Action.DOCUMENTS_VIEW, hide=True)
    authorize(Action.DOCUMENTS_MANAGE, document)
    meeting, name = document.meeting, document.filename
    return form_page(
        DeleteDocumentForm(),
        lambda: services.delete_document(
            document, actor=current_user, upload_dir=current_app.config["UPLOAD_DIR"]
        ),
        success=_("%(name)s has been deleted.", name=name),
        then=_page(meeting, "documents"),
        template="meetings/document_delete.html",
        context={"meeting": meeting, "document": document},
    )
