"""Answers to a meeting's invitation: the invited person's form (signed in, or from the signed
link of the e-mail without signing in) and the secretariat's overview with its reminder
(registered on the meetings' blueprint, :mod:`coordination.meetings.blueprint`)."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from coordination.auth.guards import authorize
from coordination.auth.policy import Action, can
from coordination.core.actions import form_page, submit_button
from coordination.core.forms import ConfirmForm
from coordination.core.time import utcnow
from coordination.meetings import replies
from coordination.meetings.blueprint import bp, editable_meeting, meeting_page, visible_meeting
from coordination.meetings.forms import ReplyForm
from coordination.meetings.models import Meeting
from coordination.users.models import User


def _reply_page(meeting: Meeting, person: User, *, then: str, by_link: bool):
    """The form of ``person``'s answer, saved for them (whoever is signed in, if anyone)."""
    form = ReplyForm()
    form.set_agency_choices(replies.substitute_agencies(meeting), person.agency)
    reply = replies.reply_of(meeting, person)
    if not form.is_submitted():
        form.fill(reply)
    return form_page(
        form,
        lambda: replies.answer_invitation(meeting, person, now=utcnow(), **form.answer_arguments()),
        success=_("Thank you: your answer is recorded."),
        then=then,
        template="meetings/reply.html",
        context={
            "meeting": meeting,
            "person": person,
            "reply": reply,
            "is_open": replies.replies_open(meeting, utcnow()),
            "by_link": by_link,
        },
    )


@bp.route("/<id:meeting_id>/reply", methods=["GET", "POST"])
@login_required
def reply(meeting_id: int):
    """The signed-in person's answer: attending, not attending, or a substitute."""
    meeting = visible_meeting(meeting_id)
    authorize(Action.MEETINGS_REPLY, meeting)
    person = current_user._get_current_object()
    return _reply_page(meeting, person, then=meeting_page(meeting, "attendance"), by_link=False)


@bp.route("/reply/<token>", methods=["GET", "POST"])
def reply_by_link(token: str):
    """The same answer from the invitation's link, without signing in: the link names the
    meeting and the person. 404 for a link that is not valid, or a person who is no longer
    invited (an agency that left the forum, a deactivated account)."""
    invitation = replies.invitation_of_token(token)
    if invitation is None:
        abort(404)
    meeting, person = invitation
    if not can(person, Action.MEETINGS_REPLY, meeting):
        abort(404)
    return _reply_page(
        meeting, person, then=url_for("meetings.reply_by_link", token=token), by_link=True
    )


@bp.get("/<id:meeting_id>/replies")
@login_required
def replies_overview(meeting_id: int):
    """Who comes from each agency, and who has not answered (the secretariat)."""
    meeting = editable_meeting(meeting_id, Action.MEETINGS_MANAGE)
    return render_template(
        "meetings/replies.html",
        meeting=meeting,
        overview=replies.reply_overview(meeting),
        is_open=replies.replies_open(meeting, utcnow()),
        form=ConfirmForm(),
    )


@bp.post("/<id:meeting_id>/replies/remind")
@login_required
def remind(meeting_id: int):
    """E-mail a reminder to everyone who has not answered."""
    meeting = editable_meeting(meeting_id, Action.MEETINGS_MANAGE)
    return submit_button(
        ConfirmForm(),
        lambda: replies.remind_unanswered(meeting, actor=current_user, now=utcnow()),
        success=lambda sent: ngettext(
            "A reminder was sent to %(num)d person.",
            "A reminder was sent to %(num)d people.",
            len(sent),
        ),
        then=url_for("meetings.replies_overview", meeting_id=meeting.id),
    )
