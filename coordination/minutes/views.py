"""Minutes: reading (page, PDF, HTML file), writing, the workflow, revisions and follow-ups.

Every route loads the minutes, then asks ``minutes.view`` with ``hide=True`` before anything
else: whoever may not read them gets the same 404 as for minutes that do not exist, whatever
URL they guess (revision, diff, downloads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import LazyString, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import Field

from coordination.agencies.models import Agency, Forum
from coordination.auth.guards import authorize, load_authorized
from coordination.auth.policy import Action, can
from coordination.core.actions import commit, form_page, submit_button
from coordination.core.converters import MAX_ID
from coordination.core.errors import NotAllowed, ValidationError
from coordination.core.forms import ConfirmForm
from coordination.core.navigation import NavItem
from coordination.core.pagination import page_number
from coordination.core.texts import Texts
from coordination.core.urls import safe_next_url
from coordination.db import db
from coordination.meetings.models import Meeting
from coordination.minutes import export, forms, services, workflow
from coordination.minutes.diff import Change, line_diff, summary
from coordination.minutes.forms import DiffForm, MinutesTextForm
from coordination.minutes.models import (
    Decision,
    FollowUpAction,
    FollowUpStatus,
    Minutes,
    MinutesRevision,
)
from coordination.minutes.templating import register_template_helpers

bp = Blueprint("minutes", __name__, url_prefix="/minutes")
register_template_helpers(bp)

NAV_ITEMS = [NavItem("minutes.index", _l("Minutes"), Action.MINUTES_VIEW, order=30)]


def _minutes(minutes_id: int, action: Action | None = None, *, full: bool = False) -> Minutes:
    """The minutes, if the current user may read them (and do ``action``, when given);
    ``full`` loads at once everything the reading view and the parts pages show.

    :raise 404: when they do not exist or the user may not know they exist (unpublished
        minutes are the secretariat's).
    :raise 403: when the user may read them but not do ``action``.
    """
    minutes = (services.get_minutes_for_reading if full else services.get_minutes)(minutes_id)
    if minutes is None:
        abort(404)
    authorize(Action.MINUTES_VIEW, minutes, hide=True)
    if action is not None:
        authorize(action, minutes)
    return minutes


def _show(minutes: Minutes) -> str:
    return url_for("minutes.show", minutes_id=minutes.id)


def _sees_drafts(minutes: Minutes | None = None) -> bool:
    """Unpublished minutes and revisions are for those who write minutes (the secretariat)."""
    return can(current_user, Action.MINUTES_WRITE, minutes)


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
    page = services.minutes_page(
        current_user, forum=forum, page=page_number(), include_unpublished=secretariat
    )
    awaiting = services.meetings_awaiting_minutes() if secretariat else []
    return render_template(
        "minutes/index.html", page=page, forums=forums, forum=forum, awaiting=awaiting
    )


@bp.get("/<id:minutes_id>")
@login_required
def show(minutes_id: int):
    """The clean reading view (printable with the print stylesheet)."""
    minutes = _minutes(minutes_id, full=True)
    return render_template(
        "minutes/show.html",
        confirm=forms.ConfirmVersionForm(formdata=None, version=minutes.version),
        allowed_targets=workflow.allowed_targets(minutes.status),
        **export.reading_context(minutes),
    )


def _download(minutes_id: int, extension: str, mimetype: str, encode: Callable[[str], bytes]):
    """The printable document as a file, ``encode``-d from its HTML.

    :raise 404: also for a circulated draft outside the secretariat: a draft is read on the
        platform, never downloaded.
    """
    minutes = _minutes(minutes_id, full=True)
    if not minutes.is_published and not _sees_drafts(minutes):
        abort(404)
    document = export.render_document(export.reading_context(minutes))
    response = Response(encode(document), mimetype=mimetype)
    filename = export.download_name(minutes, extension)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Minutes are confidential: no shared cache keeps a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<id:minutes_id>.pdf")
@login_required
def pdf(minutes_id: int):
    return _download(minutes_id, "pdf", "application/pdf", export.render_pdf)


@bp.get("/<id:minutes_id>.html")
@login_required
def html_file(minutes_id: int):
    """A self-contained HTML file (CSS inside, no external resource) to keep or send on."""
    return _download(minutes_id, "html", "text/html", lambda document: document.encode("utf-8"))


@bp.get("/<id:minutes_id>/revisions")
@login_required
def revisions(minutes_id: int):
    """Published revisions for readers; every revision for the secretariat."""
    minutes = _minutes(minutes_id)
    visible = services.revisions_for(minutes, include_unpublished=_sees_drafts(minutes))
    # The newest come first: the comparison offered is the last change.
    last_change = (visible[1], visible[0]) if len(visible) >= 2 else (None, None)
    form = DiffForm.for_revisions(visible, *last_change)
    return render_template("minutes/revisions.html", minutes=minutes, revisions=visible, form=form)


@bp.get("/<id:minutes_id>/revisions/<id:number>")
@login_required
def revision(minutes_id: int, number: int):
    minutes = _minutes(minutes_id)
    found = services.get_revision(minutes, number, include_unpublished=_sees_drafts(minutes))
    if found is None:
        abort(404)
    return render_template("minutes/revision.html", minutes=minutes, revision=found)


def _revision_in_query(minutes: Minutes, key: str, everything: bool) -> MinutesRevision | None:
    number = request.args.get(key, type=int)
    # Not usable as an id: a 404, never a database error.
    if number is None or not 0 < number <= MAX_ID:
        return None
    return services.get_revision(minutes, number, include_unpublished=everything)


@bp.get("/<id:minutes_id>/diff")
@login_required
def diff(minutes_id: int):
    """Differences between two revisions the reader may see (``?old=N&new=M``).

    :raise 404: when either revision does not exist or is hidden from the reader.
    """
    minutes = _minutes(minutes_id)
    everything = _sees_drafts(minutes)
    old = _revision_in_query(minutes, "old", everything)
    new = _revision_in_query(minutes, "new", everything)
    if old is None or new is None:
        abort(404)
    rows = line_diff(old.body, new.body)
    added, removed = summary(rows)
    visible = services.revisions_for(minutes, include_unpublished=everything)
    return render_template(
        "minutes/diff.html",
        minutes=minutes,
        old=old,
        new=new,
        rows=rows,
        added=added,
        removed=removed,
        form=DiffForm.for_revisions(visible, old, new),
        Change=Change,
    )


# --- writing the text ------------------------------------------------------------------------


def _text_editor(
    form: MinutesTextForm,
    meeting: Meeting,
    minutes: Minutes | None,
    save: Callable[[], Any],
    *,
    success: Callable[[Any], str],
    then: Callable[[Any], str],
    action_url: str,
):
    """The editor of new (``minutes`` None) and of existing minutes: a preview, or the save,
    or both texts when somebody else saved first.

    ``commit`` rather than ``submit_form``, which would flash the conflict: this page explains
    it once, beside both texts.
    """
    correcting = minutes is not None and minutes.status in workflow.CORRECTABLE
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = form.body.data
        else:
            result, refusal = commit(save)
            if refusal is None:
                flash(success(result), "success")
                return redirect(then(result))
            if refusal.is_conflict:  # theirs, as saved (read after the rollback)
                return _conflict_page(
                    services.minutes_of_meeting(meeting.id), form, refusal.message
                )
            # A correction is refused for its change note (missing, or nothing changed).
            (form.change_note if correcting else form.body).errors.append(refusal.message)
    status = 400 if form.is_submitted() and preview is None else 200
    return render_template(
        "minutes/edit.html",
        form=form,
        meeting=meeting,
        minutes=minutes,
        preview=preview,
        correcting=correcting,
        action_url=action_url,
    ), status


@bp.route("/meeting/<id:meeting_id>/new", methods=["GET", "POST"])
@login_required
def new(meeting_id: int):
    """Start the minutes of a meeting (secretariat)."""
    meeting = load_authorized(Meeting, meeting_id, Action.MEETINGS_VIEW, hide=True)
    authorize(Action.MINUTES_WRITE)
    existing = services.minutes_of_meeting(meeting.id)
    if existing is not None and request.method == "GET":
        return redirect(url_for("minutes.edit", minutes_id=existing.id))
    try:
        services.check_minutes_can_start(meeting)
    except NotAllowed as refusal:
        flash(str(refusal.message), "error")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    form = MinutesTextForm.in_language(request.args.get("language", ""))
    if not form.is_submitted():
        form.body.data = services.skeleton_text(meeting, form.language.data)
    return _text_editor(
        form,
        meeting,
        None,
        lambda: services.create_minutes(
            meeting, body=Texts(**{form.language.data: form.body.data}), actor=current_user
        ),
        success=lambda _created: _("The draft minutes have been saved."),
        then=_show,
        action_url=url_for("minutes.new", meeting_id=meeting.id),
    )


def _saved_message(revision: MinutesRevision | None, correcting: bool) -> str:
    if revision is None:
        return _("Nothing changed: no new revision was made.")
    if correcting:
        return _("The correction is published as revision %(number)d.", number=revision.number)
    return _("Saved as revision %(number)d.", number=revision.number)


@bp.route("/<id:minutes_id>/edit", methods=["GET", "POST"])
@login_required
def edit(minutes_id: int):
    """Edit the text of draft minutes, or correct published ones with a change note.

    The form carries the version it was loaded with: a save over somebody else's newer text
    shows both texts (409) and nothing is overwritten.
    """
    minutes = _minutes(minutes_id, Action.MINUTES_WRITE)
    if minutes.status not in workflow.EDITABLE | workflow.CORRECTABLE:
        flash(_("Approved minutes are frozen: withdraw the approval to change them."), "error")
        return redirect(_show(minutes))
    correcting = minutes.status in workflow.CORRECTABLE
    form = MinutesTextForm.in_language(request.args.get("language", ""))
    if not form.is_submitted():
        form.body.data = minutes.body.get(form.language.data) or services.skeleton_text(
            minutes.meeting, form.language.data
        )
        _set_hidden(form.version, minutes.version)
    return _text_editor(
        form,
        minutes.meeting,
        minutes,
        lambda: services.save_minutes_text(
            minutes,
            language=form.language.data,
            body=form.body.data,
            expected_version=form.version.data,
            actor=current_user,
            change_note=form.change_note.data,
        ),
        success=lambda revision: _saved_message(revision, correcting),
        then=lambda _revision: _show(minutes),
        action_url=url_for("minutes.edit", minutes_id=minutes.id, language=form.language.data),
    )


def _conflict_page(current: Minutes | None, form: MinutesTextForm, message: str):
    """Both texts side by side; the user decides. Nothing was saved (409 Conflict)."""
    if current is None:
        abort(404)
    latest = services.revisions_for(current, include_unpublished=True)
    _set_hidden(form.version, current.version)
    mine = form.body.data or ""
    theirs = current.body.get(form.language.data) or ""
    return render_template(
        "minutes/conflict.html",
        minutes=current,
        meeting=current.meeting,
        form=form,
        theirs=theirs,
        theirs_revision=latest[0] if latest else None,
        mine=mine,
        rows=line_diff(theirs, mine),
        Change=Change,
        message=message,
        correcting=current.status in workflow.CORRECTABLE,
    ), 409


# --- the workflow ----------------------------------------------------------------------------


def _workflow_button(
    minutes_id: int,
    action: Action,
    operation: Callable[..., Any],
    success: str | Callable[[Any], str],
) -> BaseResponse:
    """Move the minutes along their life cycle, if they are still the version the page showed."""
    minutes = _minutes(minutes_id, action)
    form = forms.ConfirmVersionForm()
    return submit_button(
        form,
        lambda: operation(minutes, actor=current_user, expected_version=form.version.data),
        success=success,
        then=_show(minutes),
    )


@bp.post("/<id:minutes_id>/withdraw-approval")
@login_required
def withdraw_approval(minutes_id: int):
    return _workflow_button(
        minutes_id,
        Action.MINUTES_APPROVE,
        services.withdraw_approval,
        _("The approval is withdrawn: the minutes are a draft again."),
    )


@bp.post("/<id:minutes_id>/publish")
@login_required
def publish(minutes_id: int):
    return _workflow_button(
        minutes_id,
        Action.MINUTES_PUBLISH,
        services.publish_minutes,
        lambda sent: ngettext(
            "The minutes are published; %(num)d person will receive an e-mail with a link.",
            "The minutes are published; %(num)d people will receive an e-mail with a link.",
            sent,
        ),
    )


# --- attendance, decisions, follow-up actions ------------------------------------------------


def _forum_agencies(minutes: Minutes) -> list[Agency]:
    """The agencies that sat in the forum on the meeting date: who attends, who owns actions."""
    meeting = minutes.meeting
    return services.agencies_in_forum_on(meeting.forum_id, meeting.local_date)


@bp.route("/<id:minutes_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(minutes_id: int):
    """Who was present, excused or absent, for every agency of the forum on that date."""
    minutes = _minutes(minutes_id, Action.MINUTES_WRITE, full=True)
    agencies = _forum_agencies(minutes)
    form = forms.attendance_form_class(agencies)()
    if not form.is_submitted():
        form.fill(minutes.attendance)
    return form_page(
        form,
        lambda: services.record_attendance(minutes, form.presences(), actor=current_user),
        success=_("The attendance has been saved."),
        then=_show(minutes),
        template="minutes/attendance.html",
        context={
            "minutes": minutes,
            "fields": form.presence_fields(),
            "editable": minutes.status in workflow.EDITABLE,
        },
    )


@dataclass(frozen=True)
class _Part:
    """A list of the minutes beside the text (decisions, follow-up actions): its page lists the
    entries and adds one while the minutes are a draft; a button beside an entry removes it."""

    #: Its page's endpoint and template are ``minutes.<name>`` and ``minutes/<name>.html``.
    name: str
    model: type[Decision | FollowUpAction]
    remove: Callable[..., None]
    added: LazyString
    removed: LazyString


DECISIONS = _Part(
    "decisions",
    Decision,
    services.delete_decision,
    added=_l("The decision has been added."),
    removed=_l("The decision has been removed."),
)
FOLLOW_UPS = _Part(
    "follow_ups",
    FollowUpAction,
    services.delete_follow_up,
    added=_l("The follow-up action has been added."),
    removed=_l("The follow-up action has been removed."),
)


def _part_page(
    part: _Part, minutes: Minutes, form: FlaskForm, add: Callable[[], object], error_field: Field
):
    """The part's page: its entries and the form that adds one."""
    return form_page(
        form,
        add,
        error_field=error_field,
        success=str(part.added),
        then=url_for(f"minutes.{part.name}", minutes_id=minutes.id),
        template=f"minutes/{part.name}.html",
        context={
            "minutes": minutes,
            "confirm": ConfirmForm(formdata=None),
            "editable": minutes.status in workflow.EDITABLE,
        },
    )


def _remove_entry(part: _Part, minutes_id: int, entry_id: int) -> BaseResponse:
    """The button beside an entry: remove it, then back to the part's page (303).

    :raise 404: when the entry does not exist or belongs to other minutes.
    """
    minutes = _minutes(minutes_id, Action.MINUTES_WRITE, full=True)
    model = part.model
    entry = db.session.scalar(
        select(model).where(model.id == entry_id, model.minutes_id == minutes.id)
    )
    if entry is None:
        abort(404)
    return submit_button(
        ConfirmForm(),
        lambda: part.remove(entry, actor=current_user),
        success=str(part.removed),
        then=url_for(f"minutes.{part.name}", minutes_id=minutes.id),
    )


@bp.route("/<id:minutes_id>/decisions", methods=["GET", "POST"])
@login_required
def decisions(minutes_id: int):
    minutes = _minutes(minutes_id, Action.MINUTES_WRITE, full=True)
    form = forms.DecisionForm()
    form.set_agenda_items(minutes.meeting.agenda_items)
    return _part_page(
        DECISIONS,
        minutes,
        form,
        lambda: services.add_decision(
            minutes, text=form.text.data, agenda_item=form.chosen_item(), actor=current_user
        ),
        error_field=form.text,
    )


@bp.post("/<id:minutes_id>/decisions/<id:decision_id>/delete")
@login_required
def delete_decision(minutes_id: int, decision_id: int):
    return _remove_entry(DECISIONS, minutes_id, decision_id)


@bp.route("/<id:minutes_id>/follow-ups", methods=["GET", "POST"])
@login_required
def follow_ups(minutes_id: int):
    minutes = _minutes(minutes_id, Action.MINUTES_WRITE, full=True)
    form = forms.FollowUpForm()
    form.set_owners(_forum_agencies(minutes))

    def add() -> FollowUpAction:
        owner = form.chosen_owner()
        if owner is None:
            raise ValidationError(_l("Choose an agency that sat in the forum."))
        return services.add_follow_up(
            minutes,
            description=form.description.data,
            owner=owner,
            due_date=form.due_date.data,
            actor=current_user,
        )

    return _part_page(FOLLOW_UPS, minutes, form, add, error_field=form.owner)


@bp.post("/<id:minutes_id>/follow-ups/<id:action_id>/delete")
@login_required
def delete_follow_up(minutes_id: int, action_id: int):
    return _remove_entry(FOLLOW_UPS, minutes_id, action_id)


def _follow_up(action_id: int) -> FollowUpAction:
    """The follow-up action, if the current user may update it.

    :raise 404: when it does not exist or its minutes are hidden from the user (the action of
        draft minutes must not leak to its owner). :raise 403: when the user may not update it.
    """
    action = db.get_or_404(FollowUpAction, action_id)
    authorize(Action.MINUTES_VIEW, action.minutes, hide=True)
    authorize(Action.FOLLOWUPS_UPDATE, action)
    return action


@bp.post("/follow-ups/<id:action_id>/status")
@login_required
def follow_up_status(action_id: int):
    """The owner agency (or the secretariat) moves an action to in progress or done."""
    action = _follow_up(action_id)
    form = forms.FollowUpStatusForm()
    # Back to the page that showed the button: the minutes, or the home page.
    back = safe_next_url(form.next.data) or url_for("minutes.show", minutes_id=action.minutes_id)
    return submit_button(
        form,
        lambda: services.update_follow_up_status(
            action,
            FollowUpStatus(form.status.data),
            expected_version=form.version.data,
            actor=current_user,
        ),
        success=_("The follow-up action has been updated."),
        then=back,
        incomplete=_l("Choose a valid status."),
    )
