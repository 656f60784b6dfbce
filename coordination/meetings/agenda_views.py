"""The agenda and the documents of a meeting: the secretariat's forms, the reordering script's
endpoint, and the download every reader of the meeting may use (registered on the meetings'
blueprint, :mod:`coordination.meetings.blueprint`)."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from coordination.agencies.models import Forum
from coordination.agencies.services import list_agencies
from coordination.auth.guards import authorize, load_authorized
from coordination.auth.policy import Action
from coordination.core.actions import commit, form_page, submit_button
from coordination.core.documents import attachment
from coordination.core.forms import ConfirmForm
from coordination.core.time import utcnow
from coordination.db import db
from coordination.meetings import services, standing
from coordination.meetings.blueprint import (
    bp,
    editable_item,
    editable_meeting,
    meeting_page,
    upload_limits,
    version_confirmation,
    visible_meeting,
)
from coordination.meetings.convocation import convocation_pdf, download_name
from coordination.meetings.forms import (
    AgendaItemForm,
    AttachDocumentForm,
    DeleteAgendaItemForm,
    DeleteDocumentForm,
    DocumentForm,
    EditAgendaItemForm,
    FinaliseForm,
    MoveForm,
    StandingItemForm,
)
from coordination.meetings.models import Document, StandingItem
from coordination.meetings.notify import forum_recipients
from coordination.meetings.storage import file_response, path_for

# --- agenda --------------------------------------------------------------------------------


@bp.route("/<id:meeting_id>/agenda/new", methods=["GET", "POST"])
@login_required
def new_agenda_item(meeting_id: int):
    meeting = editable_meeting(meeting_id, Action.AGENDA_EDIT)
    form = AgendaItemForm()
    form.set_agency_choices(list_agencies(active_only=True))
    return form_page(
        form,
        lambda: services.add_agenda_item(meeting, actor=current_user, **form.item_arguments()),
        success=_("The item has been added to the agenda."),
        then=meeting_page(meeting, "agenda"),
        template="meetings/agenda_item_form.html",
        context={"meeting": meeting, "item": None},
    )


@bp.post("/<id:meeting_id>/agenda/copy")
@login_required
def copy_agenda(meeting_id: int):
    """Take over the agenda of the forum's previous meeting; the secretariat then adapts it."""
    meeting = editable_meeting(meeting_id, Action.AGENDA_EDIT)
    return submit_button(
        ConfirmForm(),
        lambda: services.copy_previous_agenda(meeting, actor=current_user),
        success=lambda copies: ngettext(
            "%(num)d item of the previous meeting is now on the agenda.",
            "%(num)d items of the previous meeting are now on the agenda.",
            len(copies),
        ),
        then=meeting_page(meeting, "agenda"),
    )


@bp.route("/agenda/<id:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_agenda_item(item_id: int):
    item = editable_item(item_id)
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
        then=meeting_page(item.meeting, f"item-{item.id}"),
        template="meetings/agenda_item_form.html",
        context={"meeting": item.meeting, "item": item},
    )


@bp.route("/agenda/<id:item_id>/delete", methods=["GET", "POST"])
@login_required
def delete_agenda_item(item_id: int):
    item = editable_item(item_id)
    meeting = item.meeting
    form = DeleteAgendaItemForm()
    return version_confirmation(
        item,
        form,
        lambda: services.remove_agenda_item(
            item, expected_version=form.version.data, actor=current_user
        ),
        success=_("The item has been removed from the agenda."),
        then=meeting_page(meeting, "agenda"),
        template="meetings/agenda_item_delete.html",
        context={"meeting": meeting, "item": item},
    )


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


@bp.post("/agenda/<id:item_id>/move")
@login_required
def move_agenda_item(item_id: int):
    """Move an item up or down, or to a position; answers JSON to the page's script, else
    redirects back."""
    item = editable_item(item_id)
    meeting = item.meeting
    form = MoveForm()
    if not form.validate_on_submit():
        if _wants_json():
            return jsonify(error=_("Choose to move the item up or down.")), 400
        flash(_("Choose to move the item up or down."), "error")
        return redirect(meeting_page(meeting, "agenda"), 303)
    moved, refusal = commit(
        lambda: services.move_agenda_item(item, **form.move(), actor=current_user)
    )
    if _wants_json():
        if refusal is not None:
            return jsonify(error=refusal.message), refusal.status
        order = [i.id for i in sorted(meeting.agenda_items, key=lambda i: i.position)]
        return jsonify(moved=moved, order=order)
    if refusal is not None:
        flash(refusal.message, "error")
        return redirect(meeting_page(meeting, "agenda"), 303)
    return redirect(meeting_page(meeting, f"item-{item.id}"))


@bp.route("/<id:meeting_id>/agenda/finalise", methods=["GET", "POST"])
@login_required
def finalise(meeting_id: int):
    meeting = editable_meeting(meeting_id, Action.AGENDA_EDIT)
    form = FinaliseForm()
    return version_confirmation(
        meeting,
        form,
        lambda: services.finalise_agenda(
            meeting, expected_version=form.version.data, actor=current_user, now=utcnow()
        ),
        success=_("The agenda is final; the members are informed."),
        then=meeting_page(meeting, "agenda"),
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
    meeting = editable_meeting(meeting_id, Action.DOCUMENTS_MANAGE)
    form = DocumentForm()
    form.set_targets(meeting)

    def store() -> list[Document]:
        return services.store_documents(
            meeting,
            form.uploads(),
            actor=current_user,
            upload_dir=current_app.config["UPLOAD_DIR"],
            max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
        )

    return form_page(
        form,
        store,
        error_field=form.file,
        success=_attached,
        then=meeting_page(meeting, "documents"),
        template="meetings/document_form.html",
        context={"meeting": meeting, **upload_limits()},
    )


def _attached(documents: list[Document]) -> str:
    if len(documents) == 1:
        return _("%(name)s has been attached.", name=documents[0].filename)
    return ngettext(
        "%(num)d document has been attached.",
        "%(num)d documents have been attached.",
        len(documents),
    )


@bp.route("/documents/<id:document_id>/attach", methods=["GET", "POST"])
@login_required
def attach_document(document_id: int):
    """Attach a document to another item of its meeting (or to the meeting as a whole)."""
    document = load_authorized(Document, document_id, Action.DOCUMENTS_VIEW, hide=True)
    authorize(Action.DOCUMENTS_MANAGE, document)
    meeting = document.meeting
    form = AttachDocumentForm()
    form.set_targets(meeting)
    if not form.is_submitted():
        form.agenda_item.data = str(document.agenda_item_id or "")
    return form_page(
        form,
        lambda: services.attach_document(
            document, form.item_for(form.agenda_item.data), actor=current_user
        ),
        error_field=form.agenda_item,
        success=_("%(name)s has been attached.", name=document.filename),
        then=meeting_page(meeting, "documents"),
        template="meetings/attach_document.html",
        context={"meeting": meeting, "document": document},
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


@bp.get("/<id:meeting_id>/convocation.pdf")
@login_required
def convocation(meeting_id: int):
    """The convocation as a PDF, in the reader's language (never a confidential place)."""
    meeting = visible_meeting(meeting_id)
    return attachment(
        convocation_pdf(meeting), filename=download_name(meeting), mimetype="application/pdf"
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
        then=meeting_page(meeting, "documents"),
        template="meetings/document_delete.html",
        context={"meeting": meeting, "document": document},
    )


# --- a forum's standing items ------------------------------------------------------------------


@bp.route("/forums/<id:forum_id>/standing-items", methods=["GET", "POST"])
@login_required
def standing_items(forum_id: int):
    """The items every new meeting of the forum finds on its agenda; the form adds one."""
    forum = load_authorized(Forum, forum_id, Action.FORUMS_MANAGE)
    form = StandingItemForm()
    return form_page(
        form,
        lambda: standing.add_standing_item(
            forum,
            title=form.title.data,
            duration_minutes=form.duration_minutes.data,
            closing=form.closing.data == standing.CLOSING,
            actor=current_user,
        ),
        success=_("The standing item has been added: new meetings of the forum will have it."),
        then=url_for("meetings.standing_items", forum_id=forum.id),
        template="meetings/standing_items.html",
        context={
            "forum": forum,
            "items": standing.standing_items(forum.id),
            "confirm": ConfirmForm(formdata=None),
        },
    )


@bp.post("/forums/<id:forum_id>/standing-items/<id:item_id>/delete")
@login_required
def delete_standing_item(forum_id: int, item_id: int):
    item = db.get_or_404(StandingItem, item_id)
    if item.forum_id != forum_id:
        abort(404)
    authorize(Action.FORUMS_MANAGE, item.forum)
    return submit_button(
        ConfirmForm(),
        lambda: standing.remove_standing_item(item, actor=current_user),
        success=_("The standing item has been removed: meetings that have it keep it."),
        then=url_for("meetings.standing_items", forum_id=forum_id),
    )
