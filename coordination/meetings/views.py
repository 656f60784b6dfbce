"""Meetings of both forums: lists, month calendar, the meeting page and the secretariat's forms.

Views are thin: parse a form, load or 404, authorize, call one service, commit once. A meeting
the user may not see is a 404, never a 403: its existence is not revealed.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from typing import Any

from babel.dates import get_day_names
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_date, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from coordination.agencies.models import Agency
from coordination.agencies.services import list_agencies
from coordination.auth.guards import authorize
from coordination.auth.policy import Action, can
from coordination.core.errors import ConflictError, DomainError
from coordination.core.navigation import NavItem
from coordination.core.templating import localised
from coordination.core.time import brussels_to_utc, to_brussels, today_brussels, utcnow
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
)
from coordination.meetings.labels import KIND_LABELS, describe_rule
from coordination.meetings.links import meeting_url
from coordination.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Document,
    Meeting,
    MeetingSeries,
    MeetingStatus,
)
from coordination.meetings.notify import forum_recipients
from coordination.meetings.recurrence import RecurrenceError, preset_of
from coordination.meetings.storage import (
    ACCEPT_ATTRIBUTE,
    ALLOWED_EXTENSIONS_TEXT,
    path_for,
)
from coordination.meetings.workflow import STATUS_LABELS

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

NAV_ITEMS = [NavItem("meetings.index", _l("Meetings"), Action.MEETINGS_LIST, order=20)]

PAGE_SIZE = 20
HOME_LIMIT = 5
MIN_YEAR, MAX_YEAR = 1900, 2200


# --- template helpers ----------------------------------------------------------------------


@bp.app_template_global()
def next_meetings(limit: int = HOME_LIMIT) -> list[Meeting]:
    """The current user's next visible meetings (the home page's section)."""
    if not current_user.is_authenticated:
        return []
    return queries.next_meetings(current_user, utcnow(), limit)


@bp.app_template_global()
def meeting_status_label(status: MeetingStatus | str) -> str:
    return str(STATUS_LABELS[MeetingStatus(status)])


@bp.app_template_global()
def agenda_kind_label(kind: AgendaItemKind | str) -> str:
    return str(KIND_LABELS[AgendaItemKind(kind)])


# --- helpers -------------------------------------------------------------------------------


def _visible_meeting(meeting_id: int) -> Meeting:
    """The meeting, or 404 when it does not exist or the user may not know it does."""
    meeting = db.get_or_404(Meeting, meeting_id)
    authorize(Action.MEETINGS_VIEW, meeting, hide=True)
    return meeting


def _editable_meeting(meeting_id: int, action: Action = Action.MEETINGS_EDIT) -> Meeting:
    meeting = _visible_meeting(meeting_id)
    authorize(action, meeting)
    return meeting


def _editable_item(item_id: int) -> AgendaItem:
    item = db.get_or_404(AgendaItem, item_id)
    authorize(Action.MEETINGS_VIEW, item.meeting, hide=True)
    authorize(Action.AGENDA_EDIT, item.meeting)
    return item


def _refused(error: DomainError | StaleDataError) -> int:
    """Undo the request's changes, show why, and give the status to answer with.

    A ``StaleDataError`` is the database noticing, at a flush, that someone else changed the
    row since it was loaded: the same conflict as a stale form version.
    """
    db.session.rollback()
    if isinstance(error, StaleDataError):
        flash(str(services.CONFLICT_MESSAGE), "error")
        return 409
    flash(str(error.message), "error")
    return 409 if isinstance(error, ConflictError) else 400


def _commit() -> bool:
    """Commit the request's work; a concurrent change detected at commit is a conflict."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(str(services.CONFLICT_MESSAGE), "error")
        return False
    return True


def _forum_choices(form: Any) -> None:
    form.forum.choices = [
        SelectChoice(forum.code, localised(forum)) for forum in queries.all_forums()
    ]


def _agency_choices(form: AgendaItemForm) -> None:
    form.presenting_agency.choices = [SelectChoice("", _("Nobody in particular"))] + [
        SelectChoice(str(agency.id), f"{agency.code} — {localised(agency)}")
        for agency in list_agencies(active_only=True)
    ]


def _presenting_agency(form: AgendaItemForm) -> Agency | None:
    if not form.presenting_agency.data:
        return None
    return db.session.get(Agency, int(form.presenting_agency.data))


def _local(day: date, at: time) -> datetime:
    return brussels_to_utc(day, at)


def _show(meeting: Meeting, anchor: str | None = None):
    return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor=anchor))


# --- lists and calendar --------------------------------------------------------------------


@bp.get("/")
@login_required
def index():
    """Upcoming or past meetings of one forum, paginated."""
    authorize(Action.MEETINGS_LIST)
    forums = queries.visible_forums(current_user)
    code = request.args.get("forum")
    if code:
        forum = queries.forum_by_code(code)
        if forum is None:
            abort(404)
    else:
        forum = forums[0] if forums else None
    when = "past" if request.args.get("when") == "past" else "upcoming"
    page = None
    if forum is not None:
        page = db.paginate(
            queries.forum_meetings(current_user, forum, upcoming=when == "upcoming", now=utcnow()),
            per_page=PAGE_SIZE,
            max_per_page=PAGE_SIZE,
            error_out=False,
        )
    return render_template("meetings/index.html", forums=forums, forum=forum, when=when, page=page)


def _month_from_args(today: date) -> tuple[int, int, bool]:
    """(year, month, valid) from the query string; today's month when absent or invalid."""
    raw_year, raw_month = request.args.get("year"), request.args.get("month")
    if raw_year is None and raw_month is None:
        return today.year, today.month, True
    try:
        year = int(raw_year) if raw_year is not None else today.year
        month = int(raw_month) if raw_month is not None else today.month
    except ValueError:
        return today.year, today.month, False
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return today.year, today.month, False
    return year, month, True


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


@bp.get("/calendar")
@login_required
def month_calendar():
    """A month of meetings as an accessible table (Monday first, as in Belgium)."""
    authorize(Action.MEETINGS_LIST)
    today = today_brussels()
    year, month, valid = _month_from_args(today)
    code = request.args.get("forum")
    forum = None
    if code:
        forum = queries.forum_by_code(code)
        if forum is None:
            abort(404)
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    meetings = queries.meetings_between(current_user, weeks[0][0], weeks[-1][-1], forum)
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.local_date, []).append(meeting)
    day_names = get_day_names("wide", locale=get_locale())
    short_names = get_day_names("abbreviated", locale=get_locale())
    previous_month, next_month = _shift_month(year, month, -1), _shift_month(year, month, 1)
    if not valid:
        flash(_("Choose a month between 1 and 12 and a year between 1900 and 2200."), "error")
    return render_template(
        "meetings/calendar.html",
        year=year,
        month=month,
        month_start=date(year, month, 1),
        weeks=weeks,
        by_day=by_day,
        weekdays=[(day_names[i], short_names[i]) for i in range(7)],
        previous=date(*previous_month, 1) if previous_month[0] >= MIN_YEAR else None,
        next=date(*next_month, 1) if next_month[0] <= MAX_YEAR else None,
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
        upload.agenda_item.choices = _document_targets(meeting)
        context.update(
            upload_form=upload,
            accept=ACCEPT_ATTRIBUTE,
            allowed_types=ALLOWED_EXTENSIONS_TEXT,
            max_mb=current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024),
        )
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


def _document_targets(meeting: Meeting) -> list[SelectChoice]:
    items = sorted(meeting.agenda_items, key=lambda item: item.position)
    return [SelectChoice("", _("The meeting as a whole"))] + [
        SelectChoice(str(item.id), f"{item.position}. {item.title}") for item in items
    ]


# --- series --------------------------------------------------------------------------------


@bp.get("/series")
@login_required
def series_index():
    authorize(Action.MEETINGS_MANAGE)
    return render_template("meetings/series_index.html", all_series=queries.list_series())


def _series_arguments(form: SeriesForm, rule: str) -> dict[str, Any]:
    return {
        "title": form.title.data,
        "rrule": rule,
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "start_time": form.start_time.data,
        "duration_minutes": form.duration_minutes(),
        "place": form.place.data,
        "place_confidential": form.place_confidential.data,
        "online_url": form.online_url.data,
        "actor": current_user,
    }


def _validated_series_form(form: SeriesForm) -> str | None:
    """Validate the form AND its recurrence, so that every problem is shown at once.

    Returns the RRULE when everything is valid.
    """
    if not form.is_submitted():
        return None
    valid = form.validate()
    try:
        rule = form.rule_text()
    except RecurrenceError as error:
        form.rule_error_field().errors.append(str(error.message))
        return None
    except (TypeError, ValueError):
        return None  # a field the rule is built from is invalid; its own error says so
    return rule if valid else None


@bp.route("/series/new", methods=["GET", "POST"])
@login_required
def new_series():
    authorize(Action.MEETINGS_MANAGE)
    form = SeriesForm()
    _forum_choices(form)
    rule = _validated_series_form(form)
    if rule is not None:
        forum = queries.forum_by_code(form.forum.data)
        if forum is not None:
            try:
                series = services.create_series(
                    forum, today=today_brussels(), **_series_arguments(form, rule)
                )
            except DomainError as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(
                    ngettext(
                        "The series has been created with %(num)d meeting.",
                        "The series has been created with %(num)d meetings.",
                        len(series.meetings),
                    ),
                    "success",
                )
                return redirect(url_for("meetings.series_index"))
    status = 400 if form.is_submitted() else 200
    return render_template("meetings/series_form.html", form=form, series=None), status


@bp.route("/series/<id:series_id>/edit", methods=["GET", "POST"])
@login_required
def edit_series(series_id: int):
    authorize(Action.MEETINGS_MANAGE)
    series = db.get_or_404(MeetingSeries, series_id)
    form = EditSeriesForm(obj=series)
    del form.forum
    if not form.is_submitted():
        form.fill_pattern(preset_of(series.rrule))
        form.rrule.data = series.rrule
        start = datetime.combine(date.min, series.start_time)
        form.end_time.data = (start + timedelta(minutes=series.duration_minutes)).time()
    status = 200
    rule = _validated_series_form(form)
    if form.is_submitted():
        status = 400
        if rule is not None:
            try:
                change = services.update_series(
                    series,
                    expected_version=form.version.data,
                    now=utcnow(),
                    **_series_arguments(form, rule),
                )
            except (DomainError, StaleDataError) as error:
                status = _refused(error)
            else:
                if _commit():
                    flash(
                        _(
                            "The series has been saved: %(moved)d meetings changed, %(added)d "
                            "added, %(cancelled)d cancelled.",
                            moved=len(change.moved),
                            added=len(change.added),
                            cancelled=len(change.cancelled),
                        ),
                        "success",
                    )
                    return redirect(url_for("meetings.series_index"))
                status = 409
    return render_template("meetings/series_form.html", form=form, series=series), status


# --- one meeting: schedule, details, reschedule, cancel, held ------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Schedule a one-off meeting."""
    authorize(Action.MEETINGS_MANAGE)
    form = MeetingForm()
    _forum_choices(form)
    if form.validate_on_submit():
        forum = queries.forum_by_code(form.forum.data)
        if forum is not None:
            try:
                meeting = services.schedule_meeting(
                    forum,
                    title=form.title.data,
                    starts_at=_local(form.day.data, form.start_time.data),
                    ends_at=_local(form.day.data, form.end_time.data),
                    place=form.place.data,
                    place_confidential=form.place_confidential.data,
                    online_url=form.online_url.data,
                    actor=current_user,
                    now=utcnow(),
                )
            except DomainError as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("The meeting has been scheduled; the members are informed."), "success")
                return _show(meeting)
    status = 400 if form.is_submitted() else 200
    return render_template("meetings/meeting_form.html", form=form), status


@bp.route("/<id:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = _editable_meeting(meeting_id)
    form = DetailsForm(obj=meeting)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_meeting_details(
                meeting,
                expected_version=form.version.data,
                title=form.title.data,
                place=form.place.data,
                place_confidential=form.place_confidential.data,
                online_url=form.online_url.data,
                actor=current_user,
                now=utcnow(),
            )
        except (DomainError, StaleDataError) as error:
            status = _refused(error)
        else:
            if _commit():
                flash(_("The meeting has been saved."), "success")
                return _show(meeting)
            status = 409
    elif form.is_submitted():
        status = 400
    return render_template("meetings/details_form.html", form=form, meeting=meeting), status


@bp.route("/<id:meeting_id>/reschedule", methods=["GET", "POST"])
@login_required
def reschedule(meeting_id: int):
    """Two steps: the new time and place, then an explicit confirmation."""
    meeting = _editable_meeting(meeting_id)
    form = RescheduleForm()
    if not form.is_submitted():
        local_start, local_end = to_brussels(meeting.starts_at), to_brussels(meeting.ends_at)
        form.day.data = local_start.date()
        form.start_time.data = local_start.time()
        form.end_time.data = local_end.time()
        form.place.data = meeting.place
        form.place_confidential.data = meeting.place_confidential
        form.version.data = meeting.version
    status = 200
    if meeting.status is not MeetingStatus.SCHEDULED:
        flash(_("Only a scheduled meeting can be rescheduled."), "error")
        return _show(meeting)
    if form.validate_on_submit():
        starts_at = _local(form.day.data, form.start_time.data)
        ends_at = _local(form.day.data, form.end_time.data)
        if form.confirmed.data != "yes":
            return render_template(
                "meetings/reschedule_confirm.html",
                form=form,
                meeting=meeting,
                starts_at=starts_at,
                ends_at=ends_at,
                recipients=len(forum_recipients(meeting.forum_id, form.day.data)),
            )
        try:
            services.reschedule_meeting(
                meeting,
                expected_version=form.version.data,
                starts_at=starts_at,
                ends_at=ends_at,
                place=form.place.data,
                place_confidential=form.place_confidential.data,
                actor=current_user,
                now=utcnow(),
            )
        except (DomainError, StaleDataError) as error:
            status = _refused(error)
        else:
            if _commit():
                flash(_("The meeting has been rescheduled; the members are informed."), "success")
                return _show(meeting)
            status = 409
    elif form.is_submitted():
        status = 400
    return render_template("meetings/reschedule.html", form=form, meeting=meeting), status


@bp.route("/<id:meeting_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(meeting_id: int):
    meeting = _editable_meeting(meeting_id)
    form = CancelForm()
    if not form.is_submitted():
        form.version.data = meeting.version
    status = 200
    if form.validate_on_submit():
        try:
            services.cancel_meeting(
                meeting,
                expected_version=form.version.data,
                reason=form.reason.data,
                actor=current_user,
                now=utcnow(),
            )
        except (DomainError, StaleDataError) as error:
            status = _refused(error)
        else:
            if _commit():
                flash(_("The meeting has been cancelled; the members are informed."), "success")
                return _show(meeting)
            status = 409
    elif form.is_submitted():
        status = 400
    return render_template(
        "meetings/cancel.html",
        form=form,
        meeting=meeting,
        recipients=len(forum_recipients(meeting.forum_id, meeting.local_date)),
    ), status


@bp.route("/<id:meeting_id>/held", methods=["GET", "POST"])
@login_required
def held(meeting_id: int):
    meeting = _editable_meeting(meeting_id)
    form = HeldForm()
    if not form.is_submitted():
        form.version.data = meeting.version
    status = 200
    if form.validate_on_submit():
        try:
            services.mark_meeting_held(
                meeting, expected_version=form.version.data, actor=current_user, now=utcnow()
            )
        except (DomainError, StaleDataError) as error:
            status = _refused(error)
        else:
            if _commit():
                flash(_("The meeting is marked as held."), "success")
                return _show(meeting)
            status = 409
    elif form.is_submitted():
        status = 400
    return render_template("meetings/held.html", form=form, meeting=meeting), status


# --- agenda --------------------------------------------------------------------------------


def _agenda_arguments(form: AgendaItemForm) -> dict[str, Any]:
    return {
        "title": form.title.data,
        "kind": AgendaItemKind(form.kind.data),
        "presenting_agency": _presenting_agency(form),
        "duration_minutes": form.duration_minutes.data,
        "description": form.description.data,
        "actor": current_user,
    }


@bp.route("/<id:meeting_id>/agenda/new", methods=["GET", "POST"])
@login_required
def new_agenda_item(meeting_id: int):
    meeting = _editable_meeting(meeting_id, Action.AGENDA_EDIT)
    form = AgendaItemForm()
    _agency_choices(form)
    status = 200
    if form.validate_on_submit():
        try:
            services.add_agenda_item(meeting, **_agenda_arguments(form))
        except (DomainError, StaleDataError) as error:
            status = _refused(error)
        else:
            db.session.commit()
            flash(_("The item has been added to the agenda."), "success")
            return _show(meeting, "agenda")
    elif form.is_submitted():
        status = 400
    return render_template(
        "meetings/agenda_item_form.html", form=form, meeting=meeting, item=None
    ), status


@bp.route("/agenda/<id:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_agenda_item(item_id: int):
    item = _editable_item(item_id)
    form = EditAgendaItemForm(obj=item)
    _agency_choices(form)
    if not form.is_submitted():
        form.kind.data = item.kind.value
        form.presenting_agency.data = str(item.presenting_agency_id or "")
    status = 200
    if form.validate_on_submit():
        try:
            services.update_agenda_item(
                item, expected_version=form.version.data, **_agenda_arguments(form)
            )
        except (DomainError, StaleDataError) as error:
            status = _refused(error)
        else:
            if _commit():
                flash(_("The agenda item has been saved."), "success")
                return _show(item.meeting, f"item-{item.id}")
            status = 409
    elif form.is_submitted():
        status = 400
    return render_template(
        "meetings/agenda_item_form.html", form=form, meeting=item.meeting, item=item
    ), status


@bp.route("/agenda/<id:item_id>/delete", methods=["GET", "POST"])
@login_required
def delete_agenda_item(item_id: int):
    item = _editable_item(item_id)
    meeting = item.meeting
    form = DeleteAgendaItemForm()
    if not form.is_submitted():
        form.version.data = item.version
    status = 200
    if form.validate_on_submit():
        try:
            services.remove_agenda_item(
                item, expected_version=form.version.data, actor=current_user
            )
        except (DomainError, StaleDataError) as error:
            status = _refused(error)
        else:
            if _commit():
                flash(_("The item has been removed from the agenda."), "success")
                return _show(meeting, "agenda")
            status = 409
    elif form.is_submitted():
        status = 400
    return render_template(
        "meetings/agenda_item_delete.html", form=form, meeting=meeting, item=item
    ), status


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
        return _show(meeting, "agenda"), 303
    try:
        moved = services.move_agenda_item(
            item, offset=-1 if form.direction.data == "up" else 1, actor=current_user
        )
    except (DomainError, StaleDataError) as error:
        if _wants_json():
            db.session.rollback()
            if isinstance(error, StaleDataError):
                return jsonify(error=str(services.CONFLICT_MESSAGE)), 409
            return jsonify(error=str(error.message)), 400
        _refused(error)
        return _show(meeting, "agenda"), 303
    committed = _commit()
    if _wants_json():
        if not committed:
            return jsonify(error=str(services.CONFLICT_MESSAGE)), 409
        order = [i.id for i in sorted(meeting.agenda_items, key=lambda i: i.position)]
        return jsonify(moved=moved, order=order)
    return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor=f"item-{item.id}"))


@bp.route("/<id:meeting_id>/agenda/finalise", methods=["GET", "POST"])
@login_required
def finalise(meeting_id: int):
    meeting = _editable_meeting(meeting_id, Action.AGENDA_EDIT)
    form = FinaliseForm()
    if not form.is_submitted():
        form.version.data = meeting.version
    status = 200
    if form.validate_on_submit():
        try:
            services.finalise_agenda(
                meeting, expected_version=form.version.data, actor=current_user, now=utcnow()
            )
        except (DomainError, StaleDataError) as error:
            status = _refused(error)
        else:
            if _commit():
                flash(_("The agenda is final; the members are informed."), "success")
                return _show(meeting, "agenda")
            status = 409
    elif form.is_submitted():
        status = 400
    return render_template(
        "meetings/finalise.html",
        form=form,
        meeting=meeting,
        items=sorted(meeting.agenda_items, key=lambda item: item.position),
        recipients=len(forum_recipients(meeting.forum_id, meeting.local_date)),
    ), status


# --- documents -----------------------------------------------------------------------------


@bp.route("/<id:meeting_id>/documents/new", methods=["GET", "POST"])
@login_required
def upload(meeting_id: int):
    meeting = _editable_meeting(meeting_id, Action.DOCUMENTS_MANAGE)
    form = DocumentForm()
    form.agenda_item.choices = _document_targets(meeting)
    status = 200
    if form.validate_on_submit():
        item = None
        if form.agenda_item.data:
            item = db.session.get(AgendaItem, int(form.agenda_item.data))
        uploaded = form.file.data
        try:
            document = services.store_document(
                meeting,
                stream=uploaded.stream,
                filename=uploaded.filename,
                agenda_item=item,
                actor=current_user,
                upload_dir=current_app.config["UPLOAD_DIR"],
                max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
            )
        except DomainError as error:
            db.session.rollback()
            form.file.errors.append(str(error.message))
            status = 400
        else:
            db.session.commit()
            flash(_("%(name)s has been attached.", name=document.filename), "success")
            return _show(meeting, "documents")
    elif form.is_submitted():
        status = 400
    return render_template(
        "meetings/document_form.html",
        form=form,
        meeting=meeting,
        accept=ACCEPT_ATTRIBUTE,
        allowed_types=ALLOWED_EXTENSIONS_TEXT,
        max_mb=current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024),
    ), status


@bp.get("/documents/<id:document_id>")
@login_required
def download(document_id: int):
    """The file, as an attachment, only to those who may see its meeting."""
    document = db.get_or_404(Document, document_id)
    authorize(Action.DOCUMENTS_VIEW, document, hide=True)
    path = path_for(current_app.config["UPLOAD_DIR"], document.content_hash)
    if not path.is_file():
        current_app.logger.error("document %s: file %s is missing", document.id, path)
        abort(404)
    response = send_file(
        path,
        mimetype=document.media_type,
        as_attachment=True,
        download_name=document.filename,
        conditional=True,
        etag=document.content_hash,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/documents/<id:document_id>/delete", methods=["GET", "POST"])
@login_required
def delete_document(document_id: int):
    document = db.get_or_404(Document, document_id)
    authorize(Action.DOCUMENTS_VIEW, document, hide=True)
    authorize(Action.DOCUMENTS_MANAGE, document)
    meeting = document.meeting
    form = DeleteDocumentForm()
    if form.validate_on_submit():
        name = document.filename
        services.delete_document(
            document, actor=current_user, upload_dir=current_app.config["UPLOAD_DIR"]
        )
        db.session.commit()
        flash(_("%(name)s has been deleted.", name=name), "success")
        return _show(meeting, "documents")
    return render_template(
        "meetings/document_delete.html", form=form, meeting=meeting, document=document
    ), 400 if form.is_submitted() else 200


@bp.app_template_global()
def month_label(day: date) -> str:
    """ "March 2026" in the reader's language (the calendar's caption)."""
    return format_date(day, "LLLL yyyy")


@bp.app_template_filter()
def filesize(size: int) -> str:
    """A file size for people: 840 kB, 1.2 MB."""
    if size < 1024 * 1024:
        return _("%(size)s kB", size=format_decimal(max(1, round(size / 1024))))
    return _("%(size)s MB", size=format_decimal(round(size / (1024 * 1024), 1)))


bp.add_app_template_global(describe_rule, "describe_rule")
bp.add_app_template_global(meeting_url)
