"""Meetings of both forums: lists, month calendar, the meeting page, series and the
secretariat's forms for one meeting (the agenda's and the documents' are in ``agenda_views``).

Views are thin: load or 404 and authorize (a meeting the user may not see is a 404, never a
403: its existence is not revealed), parse a form, call one service; ``core.actions`` commits.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from coordination.agencies.models import Forum
from coordination.auth.guards import authorize
from coordination.auth.policy import Action, can
from coordination.core.actions import form_page, submit_button
from coordination.core.errors import ValidationError
from coordination.core.forms import ConfirmForm
from coordination.core.pagination import paginate
from coordination.core.sections import page_sections
from coordination.core.templating import brussels_date
from coordination.core.time import brussels_to_utc, today_brussels, utcnow
from coordination.db import db
from coordination.meetings import queries, replies, services
from coordination.meetings.blueprint import NAV_ITEMS as NAV_ITEMS  # the app's menu reads it here
from coordination.meetings.blueprint import (
    bp,
    editable_meeting,
    meeting_page,
    upload_limits,
    version_confirmation,
)
from coordination.meetings.forms import (
    CancelForm,
    DetailsForm,
    DocumentForm,
    EditSeriesForm,
    HeldForm,
    MeetingForm,
    MoveForm,
    RescheduleForm,
    SeriesForm,
    forum_choices,
)
from coordination.meetings.models import (
    MeetingSeries,
    MeetingStatus,
)
from coordination.meetings.month import month_from_args, month_grid
from coordination.meetings.notify import forum_recipients

PAGE_SIZE = 20


# --- helpers -------------------------------------------------------------------------------


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
    context: dict[str, Any] = {"meeting": meeting, "sections": page_sections("meeting", meeting)}
    if replies.replies_open(meeting, utcnow()) and can(
        current_user, Action.MEETINGS_REPLY, meeting
    ):
        context.update(replying=True, answer=replies.reply_of(meeting, current_user))
    if can(current_user, Action.AGENDA_EDIT, meeting):
        context["move_form"] = MoveForm()
        if not meeting.is_cancelled:
            context["source"] = services.agenda_to_copy(meeting)
    if can(current_user, Action.DOCUMENTS_MANAGE, meeting):
        upload = DocumentForm()
        upload.set_targets(meeting)
        context.update(upload_form=upload, **upload_limits())
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
    return render_template(
        "meetings/series_index.html",
        all_series=queries.list_series(),
        confirm=ConfirmForm(formdata=None),
    )


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


@bp.post("/series/<id:series_id>/extend")
@login_required
def extend_series(series_id: int):
    """Create a series' meetings a year further ahead than it has them."""
    authorize(Action.MEETINGS_MANAGE)
    series = db.get_or_404(MeetingSeries, series_id)
    return submit_button(
        ConfirmForm(),
        lambda: services.extend_series(series, today=today_brussels(), actor=current_user),
        success=lambda done: ngettext(
            "%(num)d meeting added: the series has meetings until %(date)s.",
            "%(num)d meetings added: the series has meetings until %(date)s.",
            len(done.created),
            date=brussels_date(series.materialised_until),
        ),
        then=url_for("meetings.series_index"),
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
        then=meeting_page,
        template="meetings/meeting_form.html",
    )


@bp.route("/<id:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = editable_meeting(meeting_id)
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
        then=meeting_page(meeting),
        template="meetings/details_form.html",
        context={"meeting": meeting},
    )


@bp.route("/<id:meeting_id>/reschedule", methods=["GET", "POST"])
@login_required
def reschedule(meeting_id: int):
    """Two steps: the new time and place, then an explicit confirmation."""
    meeting = editable_meeting(meeting_id)
    form = RescheduleForm()
    if not form.is_submitted():
        form.fill(meeting)
    if meeting.status is not MeetingStatus.SCHEDULED:
        flash(_("Only a scheduled meeting can be rescheduled."), "error")
        return redirect(meeting_page(meeting))
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
        then=meeting_page(meeting),
        template="meetings/reschedule.html",
        context={"meeting": meeting},
    )


@bp.route("/<id:meeting_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(meeting_id: int):
    meeting = editable_meeting(meeting_id)
    form = CancelForm()
    return version_confirmation(
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
        then=meeting_page(meeting),
        template="meetings/cancel.html",
        context={
            "meeting": meeting,
            "recipients": len(forum_recipients(meeting.forum_id, meeting.local_date)),
        },
    )


@bp.route("/<id:meeting_id>/held", methods=["GET", "POST"])
@login_required
def held(meeting_id: int):
    meeting = editable_meeting(meeting_id)
    form = HeldForm()
    return version_confirmation(
        meeting,
        form,
        lambda: services.mark_meeting_held(
            meeting, expected_version=form.version.data, actor=current_user, now=utcnow()
        ),
        success=_("The meeting is marked as held."),
        then=meeting_page(meeting),
        template="meetings/held.html",
        context={"meeting": meeting},
    )
