"""A meeting as a calendar event (RFC 5545 VEVENT), the same for feeds, downloads and invitations.

What a reader may see (a confidential place, the online-meeting link) is the caller's
decision: the feeds ask the policy, an e-mail never carries either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.agencies.models import Forum
from coordination.core.i18n import babel_locale
from coordination.core.ical import EventSpec
from coordination.core.texts import Texts
from coordination.meetings.models import MeetingStatus

#: What a calendar on a phone calls each forum (its full name does not fit), and its colour
#: (RFC 7986 COLOR: a CSS3 colour name). Another forum goes by its name, in grey.
FORUM_SHORT_NAMES = {"platform": _l("Platform"), "bureau": _l("Bureau")}
FORUM_COLORS = {"platform": "darkred", "bureau": "steelblue"}
DEFAULT_COLOR = "gray"


def forum_short_name(forum: Forum, language: str) -> str:
    short = FORUM_SHORT_NAMES.get(forum.code)
    if short is None:
        return forum.name_in(language)
    with force_locale(babel_locale(language)):
        return str(short)


def forum_color(forum: Forum | None) -> str | None:
    if forum is None:
        return None
    return FORUM_COLORS.get(forum.code, DEFAULT_COLOR)


def event_labels() -> dict[str, str]:
    """The phrases of an event, in the current locale (whole phrases, not fragments: French
    puts a space before the colon)."""
    return {
        "summary": _("%(forum)s: %(title)s"),
        "cancelled_summary": _("Cancelled: %(meeting)s"),
        "agenda": _("Agenda:"),
        "online": _("Join online: %(url)s"),
        "conference": _("Join online"),
        "page": _("Meeting page: %(url)s"),
        "cancelled": _("This meeting is cancelled."),
    }


def event_summary(forum_short: str, title: str, template: str) -> str:
    """The event's title, short enough for a phone: the meeting's title after its forum's
    short name, unless the title already begins with it ("Bureau — monthly meeting")."""
    if title.casefold().startswith(forum_short.casefold()):
        return title
    return template % {"forum": forum_short, "title": title}


def event_spec(
    meeting: Any,
    forum_short: str,
    color: str | None,
    headlines: Sequence[Texts],
    labels: Mapping[str, str],
    url: str,
    language: str,
    *,
    place_allowed: bool,
    online_allowed: bool,
) -> EventSpec:
    """``meeting`` (a model or a feed row) as an event in ``language``; the place and the
    online link only where allowed."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    summary = event_summary(forum_short, meeting.title.text_in(language), labels["summary"])
    if cancelled:
        summary = labels["cancelled_summary"] % {"meeting": summary}
    paragraphs = []
    if cancelled:
        reason = (meeting.cancellation_reason or "").strip()
        paragraphs.append(f"{labels['cancelled']} {reason}".strip())
    if headlines:
        paragraphs.append(
            labels["agenda"]
            + "\n"
            + "\n".join(
                f"{number}. {headline.text_in(language)}"
                for number, headline in enumerate(headlines, 1)
            )
        )
    online_url = meeting.online_url if online_allowed else None
    if online_url:
        paragraphs.append(labels["online"] % {"url": online_url})
    paragraphs.append(labels["page"] % {"url": url})
    place = meeting.place.text_in(language) if place_allowed and meeting.place else None
    location = place or online_url
    return EventSpec(
        uid=meeting.uid,
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=summary,
        created=meeting.created_at,
        last_modified=meeting.calendar_changed_at,
        cancelled=cancelled,
        description="\n\n".join(paragraphs),
        location=location,
        url=url,
        categories=(forum_short,),
        language=language,
        color=color,
        conference=online_url,
        conference_label=labels["conference"] if online_url else None,
    )
