"""Invitations a calendar application understands: iTIP (RFC 5546) in the e-mails (RFC 6047).

A meeting's e-mail carries a REQUEST when it is scheduled, moved, changed or its agenda is
final, and a CANCEL when it is cancelled, so that Outlook, Apple Mail or Thunderbird offer
"accept / decline" and keep the event in the calendar up to date. The UID and SEQUENCE are the
feed's: a calendar that holds the meeting from a subscription or a download updates that event.

Like every e-mail, an invitation never carries a confidential place nor the online-meeting
link (a forwarded invitation must lead nobody to either): it links to the meeting page, where
a member finds both.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from coordination.core.i18n import current_language
from coordination.core.ical import Party, build_itip
from coordination.meetings.calendar_events import (
    event_labels,
    event_spec,
    forum_color,
    forum_short_name,
)
from coordination.meetings.links import meeting_url
from coordination.meetings.models import Meeting
from coordination.users.models import User

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def organizer() -> Party:
    """Who sends every invitation: the coordination unit's address (replies come back to it)."""
    return Party(current_app.config["MAIL_FROM"], _("Coordination unit, FPS Justice"))


def invitation(meeting: Meeting, attendee: User, *, method: str) -> str:
    """The iTIP message about ``meeting`` for ``attendee``, in the current locale's language.

    :raise ValueError: for a method other than REQUEST and CANCEL.
    """
    language = current_language()
    spec = event_spec(
        meeting,
        forum_short_name(meeting.forum, language),
        forum_color(meeting.forum),
        [item.title for item in meeting.agenda_items],
        event_labels(),
        meeting_url(meeting, absolute=True),
        language,
        place_allowed=not meeting.place_confidential,
        online_allowed=False,
    )
    message = build_itip(
        [spec],
        method=method,
        organizer=organizer(),
        attendees=[Party(attendee.email, attendee.full_name)],
    )
    return message.decode()
