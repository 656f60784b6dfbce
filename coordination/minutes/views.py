"""Minutes: reading (page, PDF, HTML file), writing, the workflow and revisions (their
attendance, decisions and follow-up actions are in ``parts_views``).

Every route loads the minutes, then asks ``minutes.view`` with ``hide=True`` before anything
else: whoever may not read them gets the same 404 as for minutes that do not exist, whatever
URL they guess (revision, diff, downloads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from coordination.agencies.models import Forum
from coordination.auth.guards import authorize, load_authorized
from coordination.auth.policy import Action, can
from coordination.core.actions import commit, submit_button
from coordination.core.converters import MAX_ID
from coordination.core.documents import attachment, render_pdf
from coordination.core.errors import NotAllowed
from coordination.core.pagination import page_number
from coordination.core.texts import Texts
from coordination.db import db
from coordination.meetings.models import Meeting
from coordination.minutes import circulation, export, forms, services, workflow
from coordination.minutes.blueprint import NAV_ITEMS as NAV_ITEMS  # the app's menu reads it here
from coordination.minutes.blueprint import bp, minutes_or_404, minutes_page
from coordination.minutes.circulation_views import circulation_panel
from coordination.minutes.diff import Change, line_diff, summary
from coordination.minutes.forms import DiffForm, MinutesTextForm
from coordination.minutes.models import (
    Minutes,
    MinutesRevision,
)


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
        "minutes/index.html",
        page=page,
        forums=forums,
        forum=forum,
        awaiting=awaiting,
        circulated=circulation.circulated_for_comment(current_user),
    )


@bp.get("/<id:minutes_id>")
@login_required
def show(minutes_id: int):
    """The clean reading view (printable with the print stylesheet)."""
    minutes = minutes_or_404(minutes_id, full=True)
    return render_template(
        "minutes/show.html",
        panel=circulation_panel(minutes),
        confirm=forms.ConfirmVersionForm(formdata=None, version=minutes.version),
        allowed_targets=workflow.allowed_targets(minutes.status),
        **export.reading_context(minutes),
    )


def _download(minutes_id: int, extension: str, mimetype: str, encode: Callable[[str], bytes]):
    """The printable document as a file, ``encode``-d from its HTML.

    :raise 404: also for a circulated draft outside the secretariat: a draft is read on the
        platform, never downloaded.
    """
    minutes = minutes_or_404(minutes_id, full=True)
    if not minutes.is_published and not _sees_drafts(minutes):
        abort(404)
    document = export.render_document(export.reading_context(minutes))
    return attachment(
        encode(document), filename=export.download_name(minutes, extension), mimetype=mimetype
    )


@bp.get("/<id:minutes_id>.pdf")
@login_required
def pdf(minutes_id: int):
    return _download(minutes_id, "pdf", "application/pdf", render_pdf)


@bp.get("/<id:minutes_id>.html")
@login_required
def html_file(minutes_id: int):
    """A self-contained HTML file (CSS inside, no external resource) to keep or send on."""
    return _download(minutes_id, "html", "text/html", lambda document: document.encode("utf-8"))


@bp.get("/<id:minutes_id>/revisions")
@login_required
def revisions(minutes_id: int):
    """Published revisions for readers; every revision for the secretariat."""
    minutes = minutes_or_404(minutes_id)
    visible = services.revisions_for(minutes, include_unpublished=_sees_drafts(minutes))
    # The newest come first: the comparison offered is the last change.
    last_change = (visible[1], visible[0]) if len(visible) >= 2 else (None, None)
    form = DiffForm.for_revisions(visible, *last_change)
    return render_template("minutes/revisions.html", minutes=minutes, revisions=visible, form=form)


@bp.get("/<id:minutes_id>/revisions/<id:number>")
@login_required
def revision(minutes_id: int, number: int):
    minutes = minutes_or_404(minutes_id)
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
    minutes = minutes_or_404(minutes_id)
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
        then=minutes_page,
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
    minutes = minutes_or_404(minutes_id, Action.MINUTES_WRITE)
    if minutes.status not in workflow.EDITABLE | workflow.CORRECTABLE:
        flash(_("Approved minutes are frozen: withdraw the approval to change them."), "error")
        return redirect(minutes_page(minutes))
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
        then=lambda _revision: minutes_page(minutes),
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
    minutes = minutes_or_404(minutes_id, action)
    form = forms.ConfirmVersionForm()
    return submit_button(
        form,
        lambda: operation(minutes, actor=current_user, expected_version=form.version.data),
        success=success,
        then=minutes_page(minutes),
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
