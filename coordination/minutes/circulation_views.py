"""The buttons and forms of the minutes' circulation: circulate, recall, approve; the members'
comments and the secretariat's answers. Each posts from the reading view and comes back to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Blueprint, abort
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers.response import Response as BaseResponse

from coordination.auth.policy import Action, can
from coordination.core.actions import submit_button
from coordination.core.texts import reader_language
from coordination.core.time import today_brussels
from coordination.db import db
from coordination.meetings.models import Meeting
from coordination.minutes import circulation, forms
from coordination.minutes.blueprint import minutes_or_404, minutes_page
from coordination.minutes.models import Minutes, MinutesComment, MinutesStatus

bp = Blueprint("circulation", __name__, url_prefix="/minutes")

#: The deadline the form offers: two weeks of comments, as the forums usually give.
COMMENT_PERIOD = timedelta(days=14)


@bp.post("/<id:minutes_id>/circulate")
@login_required
def circulate(minutes_id: int) -> BaseResponse:
    minutes = minutes_or_404(minutes_id, Action.MINUTES_APPROVE)
    form = forms.CirculateForm()
    return submit_button(
        form,
        lambda: circulation.circulate_minutes(
            minutes,
            comments_until=form.comments_until.data,
            actor=current_user,
            expected_version=form.version.data,
        ),
        success=lambda sent: ngettext(
            "The draft is circulated; %(num)d representative will receive an e-mail.",
            "The draft is circulated; %(num)d representatives will receive an e-mail.",
            sent,
        ),
        then=minutes_page(minutes),
        incomplete=_("Give the date until which the members can comment."),
    )


@bp.post("/<id:minutes_id>/recall")
@login_required
def recall(minutes_id: int) -> BaseResponse:
    minutes = minutes_or_404(minutes_id, Action.MINUTES_APPROVE)
    form = forms.ConfirmVersionForm()
    return submit_button(
        form,
        lambda: circulation.recall_minutes(
            minutes, actor=current_user, expected_version=form.version.data
        ),
        success=_("The draft is taken back: only the secretariat sees it again."),
        then=minutes_page(minutes),
    )


@bp.post("/<id:minutes_id>/approve")
@login_required
def approve(minutes_id: int) -> BaseResponse:
    minutes = minutes_or_404(minutes_id, Action.MINUTES_APPROVE)
    form = forms.ApproveForm()
    form.set_meetings(circulation.approving_meetings(minutes))

    def approve() -> None:
        chosen = form.chosen_meeting_id()
        meeting = db.session.get(Meeting, chosen) if chosen is not None else None
        if chosen is not None and meeting is None:
            abort(404)
        circulation.approve_minutes(
            minutes,
            actor=current_user,
            at_meeting=meeting,
            written_on=form.written_on.data if meeting is None else None,
            expected_version=form.version.data,
        )

    return submit_button(
        form, approve, success=_("The minutes are approved."), then=minutes_page(minutes)
    )


@bp.post("/<id:minutes_id>/comments")
@login_required
def comment(minutes_id: int) -> BaseResponse:
    minutes = minutes_or_404(minutes_id, Action.MINUTES_COMMENT)
    form = forms.CommentForm()
    form.set_sections(circulation.sections_of(minutes.body.text_in(reader_language())))
    return submit_button(
        form,
        lambda: circulation.add_comment(
            minutes, section=form.section.data or "", body=form.body.data, author=current_user
        ),
        success=_("Your comment is sent to the secretariat."),
        then=minutes_page(minutes, "comments-title"),
        incomplete=_("Write your comment."),
    )


@bp.post("/<id:minutes_id>/comments/<id:comment_id>/resolve")
@login_required
def resolve(minutes_id: int, comment_id: int) -> BaseResponse:
    minutes = minutes_or_404(minutes_id, Action.MINUTES_WRITE)
    found = db.session.scalar(
        select(MinutesComment).where(
            MinutesComment.id == comment_id, MinutesComment.minutes_id == minutes.id
        )
    )
    if found is None:
        abort(404)
    form = forms.ResolveForm()
    return submit_button(
        form,
        lambda: circulation.resolve_comment(
            found, resolution=form.resolution.data, actor=current_user
        ),
        success=_("The comment is resolved."),
        then=minutes_page(minutes, "comments-title"),
        incomplete=_("Say what was done about the comment."),
    )


@dataclass(frozen=True)
class CirculationPanel:
    """What the reading view shows of the circulation (``minutes/_circulation.html``)."""

    comments: list[MinutesComment]
    circulate: forms.CirculateForm | None = None
    recall: forms.ConfirmVersionForm | None = None
    approve: forms.ApproveForm | None = None
    comment: forms.CommentForm | None = None
    resolve: forms.ResolveForm | None = None


def circulation_panel(minutes: Minutes) -> CirculationPanel:
    """The forms the current user may use on ``minutes`` now, and the comments they see: all
    for the secretariat, their own agency's for a member representative."""
    writer = can(current_user, Action.MINUTES_WRITE, minutes)
    query = (
        select(MinutesComment)
        .where(MinutesComment.minutes_id == minutes.id)
        .options(joinedload(MinutesComment.agency))
    )
    if not writer:
        query = query.where(MinutesComment.agency_id == current_user.agency_id)
    comments = list(db.session.scalars(query.order_by(MinutesComment.id)))
    version = {"formdata": None, "version": minutes.version}
    status = minutes.status
    if writer:
        approve = None
        if status is MinutesStatus.CIRCULATED:
            approve = forms.ApproveForm(**version)
            approve.set_meetings(circulation.approving_meetings(minutes))
        return CirculationPanel(
            comments=comments,
            circulate=forms.CirculateForm(
                **version, comments_until=today_brussels() + COMMENT_PERIOD
            )
            if status is MinutesStatus.DRAFT
            else None,
            recall=forms.ConfirmVersionForm(**version)
            if status is MinutesStatus.CIRCULATED
            else None,
            approve=approve,
            resolve=forms.ResolveForm(formdata=None),
        )
    comment = None
    if can(current_user, Action.MINUTES_COMMENT, minutes):
        comment = forms.CommentForm(formdata=None)
        comment.set_sections(circulation.sections_of(minutes.body.text_in(reader_language())))
    return CirculationPanel(comments=comments, comment=comment)
