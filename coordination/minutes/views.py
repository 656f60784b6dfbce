"""Minutes: reading (page, PDF, HTML file), writing, the workflow, revisions and follow-ups.

Every route loads the minutes, then asks ``minutes.view`` with ``hide=True`` before anything
else: whoever may not read them gets the same 404 as for minutes that do not exist, whatever
URL they guess (revision, diff, downloads).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
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
from sqlalchemy import select

from coordination.agencies.models import Forum
from coordination.auth.guards import authorize
from coordination.auth.policy import Action, can
from coordination.core.converters import MAX_ID
from coordination.core.errors import ConflictError, DomainError
from coordination.core.forms import ConfirmForm
from coordination.core.navigation import NavItem
from coordination.core.templating import localised
from coordination.core.urls import safe_next_url
from coordination.db import db
from coordination.meetings.models import Meeting, MeetingStatus
from coordination.minutes import export, services, workflow
from coordination.minutes.diff import Change, line_diff, summary
from coordination.minutes.forms import (
    ConfirmVersionForm,
    DecisionForm,
    DiffForm,
    FollowUpForm,
    FollowUpStatusForm,
    MinutesTextForm,
    attendance_form_class,
)
from coordination.minutes.labels import (
    CHANGE_LABELS,
    FOLLOW_UP_STATUS_LABELS,
    MINUTES_STATUS_LABELS,
    PRESENCE_LABELS,
)
from coordination.minutes.models import (
    Attendance,
    Decision,
    FollowUpAction,
    FollowUpStatus,
    Minutes,
    MinutesStatus,
    Presence,
)

bp = Blueprint("minutes", __name__, url_prefix="/minutes")

NAV_ITEMS = [NavItem("minutes.index", _l("Minutes"), Action.MINUTES_VIEW, order=30)]

#: Beyond this a page number is nonsense (and its offset could overflow the database's integer).
MAX_PAGE = 100_000


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "minutes_status_labels": MINUTES_STATUS_LABELS,
        "presence_labels": PRESENCE_LABELS,
        "follow_up_status_labels": FOLLOW_UP_STATUS_LABELS,
        "change_labels": CHANGE_LABELS,
    }


@bp.app_template_global()
def minutes_for_meeting(meeting: Meeting) -> Minutes | None:
    """The minutes of a meeting if the current user may know they exist (meeting page)."""
    minutes = services.minutes_of_meeting(meeting.id)
    if minutes is None or not can(current_user, Action.MINUTES_VIEW, minutes):
        return None
    return minutes


@bp.app_template_global()
def home_follow_ups() -> services.HomeFollowUps:
    """Open follow-up actions for the home page (the user's agency's; all for the
    secretariat)."""
    return services.open_follow_ups_for(current_user)


#: The briefing pack lists the open follow-ups of the meetings of the past year.
BRIEFING_FOLLOW_UP_DAYS = 365


@bp.app_template_global()
def briefing_follow_ups(today: date) -> services.HomeFollowUps:
    """Open follow-up actions of the past year's meetings, for the platform briefing pack."""
    return services.open_follow_ups_for(
        current_user,
        owned_only=False,
        since=today - timedelta(days=BRIEFING_FOLLOW_UP_DAYS),
        limit=30,
    )


def _load(minutes_id: int, *, full: bool = False) -> Minutes:
    """The minutes, if the current user may read them.

    :raise 404: when they do not exist or the user may not know they exist.
    """
    loader = services.get_minutes_for_reading if full else services.get_minutes
    minutes = loader(minutes_id)
    if minutes is None:
        abort(404)
    authorize(Action.MINUTES_VIEW, minutes, hide=True)
    return minutes


def _sees_drafts(minutes: Minutes | None = None) -> bool:
    """Unpublished minutes and revisions are for those who write minutes (the secretariat)."""
    return can(current_user, Action.MINUTES_WRITE, minutes)


def _positive_id(value: int | None) -> int | None:
    """A query-string number usable as an id (else None: a 404, never a database error)."""
    return value if value is not None and 0 < value <= MAX_ID else None


def _set_hidden(field: Any, value: object) -> None:
    """Set a hidden field's value even after a POST (WTForms renders the raw input first)."""
    field.data = value
    field.raw_data = []


# --- reading ---------------------------------------------------------------------------------


@bp.get("/")
@login_required
def index():
    """Minutes per forum with meeting and publication dates; the secretariat sees drafts too."""
    authorize(Action.MINUTES_VIEW)
    forums = list(db.session.scalars(select(Forum).order_by(Forum.political.desc(), Forum.code)))
    forum = None
    code = request.args.get("forum", "").strip().lower()
    if code:
        forum = next((f for f in forums if f.code == code), None)
        if forum is None:
            abort(404)
    secretariat = _sees_drafts()
    page_number = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    page = services.minutes_page(
        current_user, forum=forum, page=page_number, include_unpublished=secretariat
    )
    awaiting = services.meetings_awaiting_minutes() if secretariat else []
    return render_template(
        "minutes/index.html", page=page, forums=forums, forum=forum, awaiting=awaiting
    )


def _reading_context(minutes: Minutes) -> dict[str, Any]:
    published = [revision for revision in minutes.revisions if revision.published]
    attendance: dict[Presence, list[Attendance]] = {presence: [] for presence in Presence}
    for entry in sorted(minutes.attendance, key=lambda e: e.agency.code):
        attendance[entry.presence].append(entry)
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "attendance": attendance,
        "corrections": [r for r in published if r.change_note],
        "current_revision": minutes.revisions[-1] if minutes.revisions else None,
    }


@bp.get("/<id:minutes_id>")
@login_required
def show(minutes_id: int):
    """The clean reading view (printable with the print stylesheet)."""
    minutes = _load(minutes_id, full=True)
    return render_template(
        "minutes/show.html",
        confirm=ConfirmVersionForm(formdata=None, version=minutes.version),
        allowed_targets=workflow.allowed_targets(minutes.status),
        **_reading_context(minutes),
    )


def _attachment(body: bytes | str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Minutes are confidential: no shared cache keeps a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<id:minutes_id>.pdf")
@login_required
def pdf(minutes_id: int):
    minutes = _load(minutes_id, full=True)
    document = export.render_document(_reading_context(minutes))
    return _attachment(
        export.render_pdf(document), "application/pdf", export.download_name(minutes, "pdf")
    )


@bp.get("/<id:minutes_id>.html")
@login_required
def html_file(minutes_id: int):
    """A self-contained HTML file (CSS inside, no external resource) to keep or send on."""
    minutes = _load(minutes_id, full=True)
    document = export.render_document(_reading_context(minutes))
    return _attachment(document.encode("utf-8"), "text/html", export.download_name(minutes, "html"))


@bp.get("/<id:minutes_id>/revisions")
@login_required
def revisions(minutes_id: int):
    """Published revisions for readers; every revision for the secretariat."""
    minutes = _load(minutes_id)
    visible = services.revisions_for(minutes, include_unpublished=_sees_drafts(minutes))
    form = DiffForm(formdata=None)
    form.set_revisions(visible, _revision_label)
    if len(visible) >= 2:
        form.old.data, form.new.data = str(visible[1].number), str(visible[0].number)
    return render_template("minutes/revisions.html", minutes=minutes, revisions=visible, form=form)


def _revision_label(revision) -> str:
    from coordination.core.templating import brussels_datetime

    when = revision.published_at if revision.published else revision.created_at
    return _("Revision %(number)d, %(date)s", number=revision.number, date=brussels_datetime(when))


@bp.get("/<id:minutes_id>/revisions/<id:number>")
@login_required
def revision(minutes_id: int, number: int):
    minutes = _load(minutes_id)
    found = services.get_revision(minutes, number, include_unpublished=_sees_drafts(minutes))
    if found is None:
        abort(404)
    return render_template("minutes/revision.html", minutes=minutes, revision=found)


@bp.get("/<id:minutes_id>/diff")
@login_required
def diff(minutes_id: int):
    """Differences between two revisions the reader may see (``?old=N&new=M``).

    :raise 404: when either revision does not exist or is hidden from the reader.
    """
    minutes = _load(minutes_id)
    everything = _sees_drafts(minutes)
    numbers = [_positive_id(request.args.get(key, type=int)) for key in ("old", "new")]
    found = [
        services.get_revision(minutes, number, include_unpublished=everything)
        if number is not None
        else None
        for number in numbers
    ]
    old, new = found
    if old is None or new is None:
        abort(404)
    rows = line_diff(old.body, new.body)
    added, removed = summary(rows)
    visible = services.revisions_for(minutes, include_unpublished=everything)
    form = DiffForm(formdata=None)
    form.set_revisions(visible, _revision_label)
    form.old.data, form.new.data = str(old.number), str(new.number)
    return render_template(
        "minutes/diff.html",
        minutes=minutes,
        old=old,
        new=new,
        rows=rows,
        added=added,
        removed=removed,
        form=form,
        Change=Change,
    )


# --- writing ---------------------------------------------------------------------------------


def _skeleton(meeting: Meeting) -> str:
    """A starting text: one heading per agenda item (the secretariat's usual layout)."""
    lines = [f"# {meeting.title}", ""]
    for item in meeting.agenda_items:
        lines += [f"## {item.position}. {item.title}", "", ""]
    return "\n".join(lines)


@bp.route("/meeting/<id:meeting_id>/new", methods=["GET", "POST"])
@login_required
def new(meeting_id: int):
    """Start the minutes of a meeting (secretariat)."""
    meeting = db.get_or_404(Meeting, meeting_id)
    authorize(Action.MEETINGS_VIEW, meeting, hide=True)
    authorize(Action.MINUTES_WRITE)
    existing = services.minutes_of_meeting(meeting.id)
    if existing is not None and request.method == "GET":
        return redirect(url_for("minutes.edit", minutes_id=existing.id))
    if meeting.status is MeetingStatus.CANCELLED:
        flash(_("A cancelled meeting has no minutes."), "error")
        return redirect(url_for("minutes.index"))
    form = MinutesTextForm()
    if not form.is_submitted():
        form.body.data = _skeleton(meeting)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = form.body.data
        else:
            try:
                minutes = services.create_minutes(meeting, body=form.body.data, actor=current_user)
            except ConflictError as error:
                db.session.rollback()
                return _conflict_page(
                    existing or services.minutes_of_meeting(meeting_id), form, error
                )
            except DomainError as error:
                db.session.rollback()
                form.body.errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("The draft minutes have been saved."), "success")
                return redirect(url_for("minutes.show", minutes_id=minutes.id))
    status = 400 if form.is_submitted() and preview is None else 200
    return render_template(
        "minutes/edit.html",
        form=form,
        meeting=meeting,
        minutes=None,
        preview=preview,
        correcting=False,
        action_url=url_for("minutes.new", meeting_id=meeting.id),
    ), status


@bp.route("/<id:minutes_id>/edit", methods=["GET", "POST"])
@login_required
def edit(minutes_id: int):
    """Edit the text of draft minutes, or correct published ones with a change note.

    The form carries the version it was loaded with: a save over somebody else's newer text
    shows both texts (409) and nothing is overwritten.
    """
    minutes = _load(minutes_id)
    authorize(Action.MINUTES_WRITE, minutes)
    if minutes.status not in workflow.EDITABLE | workflow.CORRECTABLE:
        flash(_("Approved minutes are frozen: withdraw the approval to change them."), "error")
        return redirect(url_for("minutes.show", minutes_id=minutes.id))
    correcting = minutes.status in workflow.CORRECTABLE
    form = MinutesTextForm()
    if not form.is_submitted():
        form.body.data = minutes.body
        _set_hidden(form.version, minutes.version)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = form.body.data
        else:
            try:
                revision = services.save_minutes_text(
                    minutes,
                    body=form.body.data,
                    expected_version=form.version.data,
                    actor=current_user,
                    change_note=form.change_note.data,
                )
            except ConflictError as error:
                db.session.rollback()
                return _conflict_page(services.get_minutes(minutes_id), form, error)
            except DomainError as error:
                db.session.rollback()
                target = form.change_note if correcting else form.body
                target.errors.append(str(error.message))
            else:
                db.session.commit()
                if revision is None:
                    flash(_("Nothing changed: no new revision was made."), "success")
                elif correcting:
                    flash(_("The correction is published as revision %(number)d.",
                            number=revision.number), "success")  # fmt: skip
                else:
                    flash(_("Saved as revision %(number)d.", number=revision.number), "success")
                return redirect(url_for("minutes.show", minutes_id=minutes.id))
    status = 400 if form.is_submitted() and preview is None else 200
    return render_template(
        "minutes/edit.html",
        form=form,
        meeting=minutes.meeting,
        minutes=minutes,
        preview=preview,
        correcting=correcting,
        action_url=url_for("minutes.edit", minutes_id=minutes.id),
    ), status


def _conflict_page(current: Minutes | None, form: MinutesTextForm, error: DomainError):
    """Both texts side by side; the user decides. Nothing was saved (409 Conflict)."""
    if current is None:
        abort(404)
    latest = services.revisions_for(current, include_unpublished=True)
    _set_hidden(form.version, current.version)
    mine = form.body.data or ""
    rows = line_diff(current.body, mine)
    return render_template(
        "minutes/conflict.html",
        minutes=current,
        meeting=current.meeting,
        form=form,
        theirs=current.body,
        theirs_revision=latest[0] if latest else None,
        mine=mine,
        rows=rows,
        Change=Change,
        message=error.message,
        correcting=current.status in workflow.CORRECTABLE,
    ), 409


def _workflow_action(minutes_id: int, action: Action, operation, done_message: str):
    minutes = _load(minutes_id)
    authorize(action, minutes)
    form = ConfirmVersionForm()
    if not form.validate_on_submit():
        flash(_("The request was incomplete. Please try again."), "error")
        return redirect(url_for("minutes.show", minutes_id=minutes.id)), 303
    try:
        operation(minutes, actor=current_user, expected_version=form.version.data)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(done_message, "success")
    return redirect(url_for("minutes.show", minutes_id=minutes_id)), 303


@bp.post("/<id:minutes_id>/approve")
@login_required
def approve(minutes_id: int):
    return _workflow_action(
        minutes_id, Action.MINUTES_APPROVE, services.approve_minutes, _("The minutes are approved.")
    )


@bp.post("/<id:minutes_id>/withdraw-approval")
@login_required
def withdraw_approval(minutes_id: int):
    return _workflow_action(
        minutes_id,
        Action.MINUTES_APPROVE,
        services.withdraw_approval,
        _("The approval is withdrawn: the minutes are a draft again."),
    )


@bp.post("/<id:minutes_id>/publish")
@login_required
def publish(minutes_id: int):
    minutes = _load(minutes_id)
    authorize(Action.MINUTES_PUBLISH, minutes)
    form = ConfirmVersionForm()
    if not form.validate_on_submit():
        flash(_("The request was incomplete. Please try again."), "error")
        return redirect(url_for("minutes.show", minutes_id=minutes.id)), 303
    try:
        sent = services.publish_minutes(
            minutes, actor=current_user, expected_version=form.version.data
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(
            ngettext(
                "The minutes are published; %(num)d person will receive an e-mail with a link.",
                "The minutes are published; %(num)d people will receive an e-mail with a link.",
                sent,
            ),
            "success",
        )
    return redirect(url_for("minutes.show", minutes_id=minutes_id)), 303


# --- attendance, decisions, follow-up actions ----------------------------------------------


def _load_for_parts(minutes_id: int) -> Minutes:
    minutes = _load(minutes_id, full=True)
    authorize(Action.MINUTES_WRITE, minutes)
    return minutes


@bp.route("/<id:minutes_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(minutes_id: int):
    """Who was present, excused or absent, for every agency of the forum on that date."""
    minutes = _load_for_parts(minutes_id)
    meeting = minutes.meeting
    agencies = services.agencies_in_forum_on(meeting.forum_id, meeting.local_date)
    form_class = attendance_form_class(agencies, localised)
    form = form_class()
    if not form.is_submitted():
        recorded = {entry.agency_id: entry.presence.value for entry in minutes.attendance}
        for agency in agencies:
            getattr(form, f"agency_{agency.id}").data = recorded.get(agency.id, "")
    if form.validate_on_submit():
        try:
            services.record_attendance(
                minutes,
                {k: Presence(v) if v else None for k, v in form.presences().items()},
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The attendance has been saved."), "success")
            return redirect(url_for("minutes.show", minutes_id=minutes.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "minutes/attendance.html",
        minutes=minutes,
        form=form,
        fields=[getattr(form, f"agency_{agency.id}") for agency in agencies],
        editable=minutes.status in workflow.EDITABLE,
    ), status


@bp.route("/<id:minutes_id>/decisions", methods=["GET", "POST"])
@login_required
def decisions(minutes_id: int):
    minutes = _load_for_parts(minutes_id)
    form = DecisionForm()
    form.set_agenda_items(minutes.meeting.agenda_items)
    if form.validate_on_submit():
        item = None
        if form.agenda_item.data:
            item = next(
                (i for i in minutes.meeting.agenda_items if str(i.id) == form.agenda_item.data),
                None,
            )
        try:
            services.add_decision(
                minutes, text=form.text.data, agenda_item=item, actor=current_user
            )
        except DomainError as error:
            db.session.rollback()
            form.text.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The decision has been added."), "success")
            return redirect(url_for("minutes.decisions", minutes_id=minutes.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "minutes/decisions.html",
        minutes=minutes,
        form=form,
        confirm=ConfirmForm(formdata=None),
        editable=minutes.status in workflow.EDITABLE,
    ), status


@bp.post("/<id:minutes_id>/decisions/<id:decision_id>/delete")
@login_required
def delete_decision(minutes_id: int, decision_id: int):
    minutes = _load_for_parts(minutes_id)
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.minutes_id != minutes.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            services.delete_decision(decision, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The decision has been removed."), "success")
    return redirect(url_for("minutes.decisions", minutes_id=minutes.id)), 303


@bp.route("/<id:minutes_id>/follow-ups", methods=["GET", "POST"])
@login_required
def follow_ups(minutes_id: int):
    minutes = _load_for_parts(minutes_id)
    meeting = minutes.meeting
    owners = services.agencies_in_forum_on(meeting.forum_id, meeting.local_date)
    form = FollowUpForm()
    form.set_owners(owners, localised)
    if form.validate_on_submit():
        owner = next((a for a in owners if a.code == form.owner.data), None)
        try:
            if owner is None:
                raise DomainError(_l("Choose an agency that sat in the forum."))
            services.add_follow_up(
                minutes,
                description=form.description.data,
                owner=owner,
                due_date=form.due_date.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            form.owner.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The follow-up action has been added."), "success")
            return redirect(url_for("minutes.follow_ups", minutes_id=minutes.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "minutes/follow_ups.html",
        minutes=minutes,
        form=form,
        confirm=ConfirmForm(formdata=None),
        editable=minutes.status in workflow.EDITABLE,
    ), status


@bp.post("/<id:minutes_id>/follow-ups/<id:action_id>/delete")
@login_required
def delete_follow_up(minutes_id: int, action_id: int):
    minutes = _load_for_parts(minutes_id)
    action = db.session.get(FollowUpAction, action_id)
    if action is None or action.minutes_id != minutes.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            services.delete_follow_up(action, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The follow-up action has been removed."), "success")
    return redirect(url_for("minutes.follow_ups", minutes_id=minutes.id)), 303


@bp.post("/follow-ups/<id:action_id>/status")
@login_required
def follow_up_status(action_id: int):
    """The owner agency (or the secretariat) moves an action to in progress or done."""
    action = db.get_or_404(FollowUpAction, action_id)
    authorize(Action.MINUTES_VIEW, action.minutes, hide=True)
    authorize(Action.FOLLOWUPS_UPDATE, action)
    form = FollowUpStatusForm()
    back = safe_next_url(form.next.data) or url_for("minutes.show", minutes_id=action.minutes_id)
    if not form.validate_on_submit():
        flash(_("Choose a valid status."), "error")
        return redirect(back), 303
    try:
        services.update_follow_up_status(
            action,
            FollowUpStatus(form.status.data),
            expected_version=form.version.data,
            actor=current_user,
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The follow-up action has been updated."), "success")
    return redirect(back), 303


@bp.app_template_global()
def minutes_is_editable(minutes: Minutes) -> bool:
    return minutes.status in workflow.EDITABLE


@bp.app_template_global()
def minutes_is_published(minutes: Minutes) -> bool:
    return minutes.status is MinutesStatus.PUBLISHED
