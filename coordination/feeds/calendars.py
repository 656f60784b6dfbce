"""Feeds assembled: validators first (cheap), then events in the reader's language.

:func:`feed_validators` gives the ETag and Last-Modified from one aggregate query, so that a
``304 Not Modified`` costs no meeting at all; :func:`feed_body` loads the rows (``queries``),
turns them into :class:`~coordination.core.ical.EventSpec` (place only where allowed) and
hands them to the pure builder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from coordination.agencies.models import Forum
from coordination.auth.policy import Action, can
from coordination.core.i18n import babel_locale
from coordination.core.ical import EventSpec, build_calendar
from coordination.core.texts import Texts
from coordination.core.urls import absolute_url
from coordination.feeds.models import PERSONAL_SCOPE, FeedToken
from coordination.feeds.queries import (
    agenda_headlines,
    content_fingerprints,
    forums_by_id,
    meeting_rows,
)
from coordination.feeds.services import note_feed_served
from coordination.meetings.calendar_events import (
    event_labels,
    event_spec,
    forum_color,
    forum_short_name,
)
from coordination.meetings.links import meeting_url_builder
from coordination.users.models import User

#: Bump when the feed's layout changes, so that every ETag changes with it.
FEED_FORMAT = "4"


def feed_language(user: User) -> str:
    """The language of a user's feed: their preference, else the platform's default."""
    if user.locale is not None and user.locale in current_app.config["LANGUAGES"]:
        return user.locale
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def personal_feed_url(token: str, forum_code: str | None = None, *, webcal: bool = False) -> str:
    """The https:// (or webcal://) address of a feed; the token is its only identifier."""
    if forum_code is None:
        url = absolute_url("feeds.personal_feed", token=token)
    else:
        url = absolute_url("feeds.forum_feed", token=token, forum_code=forum_code)
    if webcal:
        url = "webcal://" + url.split("://", 1)[-1]
    return url


# --- validators -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedValidators:
    etag: str
    last_modified: datetime


def feed_validators(
    feed_token: FeedToken, forum: Forum | None, start: date, now: datetime
) -> FeedValidators:
    """ETag and Last-Modified of a feed, from one aggregate query: nothing is built.

    Remembers the feed's fingerprint with the token (see ``note_feed_served``).
    """
    owner = feed_token.user
    fingerprints = content_fingerprints(owner, start)
    if forum is None:
        scope, scoped = PERSONAL_SCOPE, personal_fingerprint(owner, fingerprints)
    else:
        # A forum feed changes only with its own forum (and the owner's language, role ...).
        own = {forum.id: fingerprints[forum.id]} if forum.id in fingerprints else {}
        scope, scoped = forum.code, personal_fingerprint(owner, own)
    return FeedValidators(
        etag=etag_for(feed_token, scoped, forum),
        last_modified=note_feed_served(feed_token, scope, scoped, now),
    )


def personal_fingerprint(user: User, fingerprints: Mapping[int, str]) -> str:
    """Everything the user's personal feed depends on, as one hash (also the Last-Modified key)."""
    parts = [
        FEED_FORMAT,
        current_app.config["BASE_URL"],
        feed_language(user),
        user.role.value,
        str(user.agency_id),
        # Not the window's first day: it moves every midnight, the content rarely with it (a
        # meeting leaving the window changes the fingerprints below).
        *(f"{forum_id}:{fingerprints[forum_id]}" for forum_id in sorted(fingerprints)),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def etag_for(feed_token: FeedToken, fingerprint: str, forum: Forum | None = None) -> str:
    """A strong ETag for one feed of one token (the same content gives the same bytes)."""
    parts = [feed_token.id, feed_token.created_at.isoformat(), fingerprint]
    if forum is not None:
        parts += [forum.code, forum.version]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


# --- events --------------------------------------------------------------------------------


def feed_body(owner: User, forum: Forum | None, start: date, *, source: str | None = None) -> bytes:
    """The iCalendar of a personal (or forum) feed, as its owner may see it; ``source`` is the
    feed's own address (RFC 7986 SOURCE)."""
    forum_id = forum.id if forum is not None else None
    language = feed_language(owner)
    specs = event_specs(
        owner,
        meeting_rows(owner, start, forum_id),
        agenda_headlines(owner, start, forum_id),
        forums_by_id(),
        language,
    )
    texts = calendar_texts(language, forum)
    return build_calendar(
        specs,
        name=texts.name,
        description=texts.description,
        source=source,
        color=forum_color(forum),
    )


@dataclass(frozen=True)
class CalendarTexts:
    name: str
    description: str


def calendar_texts(language: str, forum: Forum | None) -> CalendarTexts:
    """Name and description of a subscribed calendar, in ``language``."""
    with force_locale(babel_locale(language)):
        if forum is None:
            name = _("Anti-trafficking coordination: my meetings")
        else:
            name = _("Anti-trafficking coordination: %(forum)s", forum=forum.name_in(language))
        description = _(
            "Meetings of the inter-departmental coordination against trafficking in human "
            "beings that you may attend. Keep this address to yourself."
        )
    return CalendarTexts(name=name, description=description)


def event_specs(
    user: User,
    rows: Iterable[Any],
    headlines: Mapping[int, Sequence[Texts]],
    forums: Mapping[int, Forum],
    language: str,
) -> list[EventSpec]:
    """Calendar events for meeting rows, as ``user`` may see them, texts in ``language``.

    Rows come from the visibility-filtered query; the policy is asked again per row (it reads
    the agency's memberships, loaded once) so that a feed cannot show more than the site.
    """
    with force_locale(babel_locale(language)):
        labels = event_labels()
        meeting_url = meeting_url_builder()
        # Once per forum, not per meeting: a feed may hold a thousand of them.
        short_names = {key: forum_short_name(forum, language) for key, forum in forums.items()}
        specs = []
        for row in rows:
            if not can(user, Action.MEETINGS_VIEW, row):
                continue
            place_allowed = can(user, Action.MEETINGS_VIEW_PLACE, row)
            specs.append(
                event_spec(
                    row,
                    short_names[row.forum_id],
                    forum_color(forums[row.forum_id]),
                    headlines.get(row.id, ()),
                    labels,
                    meeting_url(row.id),
                    language,
                    place_allowed=place_allowed,
                    online_allowed=place_allowed,
                )
            )
    return specs
