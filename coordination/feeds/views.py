"""Calendar feeds (token in the URL), the .ics of one meeting, the subscription page.

The feed routes have no session: the secret token is the credential. Whatever is wrong with
it (unknown, revoked, account deactivated) the answer is the site's ordinary 404, and those
404s are rate-limited per IP address so that nobody can probe for tokens.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from datetime import date, datetime

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.http import is_resource_modified

from coordination.agencies.models import Forum
from coordination.auth.guards import authorize, load_authorized
from coordination.auth.policy import Action, can
from coordination.core.actions import commit, commit_bookkeeping
from coordination.core.cache import cached
from coordination.core.forms import ConfirmForm
from coordination.core.i18n import current_language
from coordination.core.ical import Party, build_calendar, build_itip
from coordination.core.navigation import NavItem
from coordination.core.sections import add_section
from coordination.core.time import today_brussels, utcnow
from coordination.core.versions import CALENDAR
from coordination.db import db
from coordination.extensions import limiter
from coordination.feeds.calendars import (
    FeedValidators,
    event_specs,
    feed_body,
    feed_validators,
    personal_feed_url,
)
from coordination.feeds.forms import CreateFeedForm, RegenerateFeedForm, RevokeFeedForm
from coordination.feeds.models import FeedToken
from coordination.feeds.queries import (
    find_feed_token,
    users_with_feed_tokens,
    visible_forum,
    visible_forums,
    window_start,
)
from coordination.feeds.services import (
    get_feed_token,
    hash_token,
    issue_feed_token,
    looks_like_token,
    note_token_used,
    revoke_feed_token,
    revoke_on_deactivation,
)
from coordination.meetings.invitations import CANCEL, organizer
from coordination.meetings.models import Meeting
from coordination.users.models import User
from coordination.users.signals import user_deactivated

bp = Blueprint("feeds", __name__)


def _connect_signals(_state: object) -> None:
    user_deactivated.connect(revoke_on_deactivation, weak=False)


bp.record_once(_connect_signals)

NAV_ITEMS = [
    NavItem(
        "feeds.subscription",
        _l("Calendar subscription"),
        Action.FEEDS_OWN,
        order=20,
        menu="account",
    ),
    NavItem("feeds.admin_index", _l("Calendar addresses"), Action.FEEDS_REVOKE_ANY, order=85),
]

CALENDAR_MIMETYPE = "text/calendar; charset=utf-8"
_FORUM_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")
#: Failed token lookups allowed per IP address; working tokens are neither counted nor refused.
FAILED_LOOKUP_LIMIT = "30 per minute"


def _is_not_found(response: Response) -> bool:
    return response.status_code == 404


def _lookup_feed_token(token: str) -> FeedToken | None:
    """The row of ``token`` if it opens a feed (else None), looked up once per request.

    The rate limiter asks first (``_token_is_valid``), the view then reuses the answer.
    """
    this_request = request._get_current_object()  # type: ignore[attr-defined]  # LocalProxy
    cached = g.get("feed_token_lookup")
    if cached is not None and cached[0] is this_request:
        return cached[1]
    feed_token = find_feed_token(token)
    # The token stands in for a login: the policy decides as for a logged-in user.
    if feed_token is not None and not can(feed_token.user, Action.FEEDS_OWN):
        feed_token = None
    g.feed_token_lookup = (this_request, feed_token)
    return feed_token


def _token_is_valid() -> bool:
    """Working tokens are never throttled.

    Google and Microsoft fetch the feeds of all their users from a few addresses; the dead
    subscriptions among them must not get everyone else's calendar refused.
    """
    return _opens_a_feed((request.view_args or {}).get("token", ""))


def _opens_a_feed(token: str) -> bool:
    """Whether ``token`` opens a feed: from the cache while nobody's rights change (a
    revocation, a deactivation or a role change replaces the access version)."""
    if not looks_like_token(token):
        return False
    return (
        cached(
            "feed-token",
            (hash_token(token),),
            lambda: _lookup_feed_token(token) is not None or None,
        )
        is not None
    )


def _feed_headers(response: Response, etag: str, last_modified: datetime) -> Response:
    response.set_etag(etag)
    response.last_modified = last_modified
    # Personal data: no shared cache may keep it; clients revalidate (cheaply, see 304).
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


#: Both feed routes share one budget of failed token lookups per client address.
_failed_lookups_limited = limiter.shared_limit(
    FAILED_LOOKUP_LIMIT,
    scope="feed-lookups",
    deduct_when=_is_not_found,
    exempt_when=_token_is_valid,
)


@bp.get("/feeds/<token>.ics")
@_failed_lookups_limited
def personal_feed(token: str):
    """All the meetings the token's owner may see.

    :raise 404: unknown, revoked or deactivated-account token (one answer for all three).
    """
    return _feed_response(token, None)


@bp.get("/feeds/<token>/<forum_code>.ics")
@_failed_lookups_limited
def forum_feed(token: str, forum_code: str):
    """The meetings of one forum that the token's owner may see.

    :raise 404: as :func:`personal_feed`, and for a forum the owner never sat in.
    """
    return _feed_response(token, forum_code)


def _feed_response(token: str, forum_code: str | None):
    """A feed, or 304 Not Modified, from the cache while the calendar and the rights stay as
    they are: a 304 then costs one read of the data versions."""
    if not _opens_a_feed(token):
        abort(404)
    # Forum codes are short identifiers; anything else (a NUL byte ...) never reaches SQL.
    if forum_code is not None and not _FORUM_CODE.fullmatch(forum_code):
        abort(404)
    token_hash = hash_token(token)
    start = window_start(today_brussels())
    validators = cached(
        "feed-validators",
        (token_hash, forum_code, start),
        lambda: _validators(token, forum_code, start),
        scopes=(CALENDAR,),
    )
    if validators is None:
        abort(404)  # a forum the owner never sat in
    compressed = _accepts_gzip()
    # One strong ETag per representation (RFC 9110 §8.8.3): the compressed bytes differ.
    etag = validators.etag + ("-gzip" if compressed else "")
    last_modified = validators.last_modified
    if not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(status=200, content_type=CALENDAR_MIMETYPE)
        if request.method == "HEAD":
            # RFC 9110 lets HEAD omit what only the body determines: no need to build it.
            response.automatically_set_content_length = False
            response.response = []
        else:
            body = cached(
                "feed-body",
                (token_hash, forum_code, start, etag),
                lambda: _body(token, forum_code, start, compressed=compressed),
                scopes=(CALENDAR,),
            )
            response.set_data(body)
        if compressed:
            response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    note_token_used(token_hash, utcnow())
    # Last: committing expires the loaded objects, which the lines above still read.
    commit_bookkeeping()
    return _feed_headers(response, etag, last_modified)


def _feed_and_forum(token: str, forum_code: str | None) -> tuple[FeedToken, Forum | None] | None:
    """The token's row and the forum asked for, if its owner sits in it (else None)."""
    feed_token = _lookup_feed_token(token)
    if feed_token is None:
        return None
    if forum_code is None:
        return feed_token, None
    forum = visible_forum(feed_token.user, forum_code)
    return (feed_token, forum) if forum is not None else None


def _validators(token: str, forum_code: str | None, start: date) -> FeedValidators | None:
    found = _feed_and_forum(token, forum_code)
    if found is None:
        return None
    feed_token, forum = found
    return feed_validators(feed_token, forum, start, utcnow())


def _body(token: str, forum_code: str | None, start: date, *, compressed: bool) -> bytes:
    found = _feed_and_forum(token, forum_code)
    if found is None:  # revoked since the validators were computed: nothing to show
        abort(404)
    feed_token, forum = found
    body = feed_body(feed_token.user, forum, start, source=personal_feed_url(token, forum_code))
    # A feed compresses about sevenfold; mtime 0 keeps the bytes (and the ETag) stable.
    return gzip.compress(body, mtime=0) if compressed else body


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


@bp.get("/meetings/<id:meeting_id>.ics")
@login_required
def meeting_ics(meeting_id: int):
    """One meeting as an .ics file, to add to any calendar.

    :raise 404: unknown meeting, or one the user may not see.
    """
    meeting = db.session.scalar(
        select(Meeting)
        .options(joinedload(Meeting.forum), selectinload(Meeting.agenda_items))
        .where(Meeting.id == meeting_id)
    )
    if meeting is None:
        abort(404)
    authorize(Action.MEETINGS_VIEW, meeting, hide=True)
    user = current_user._get_current_object()
    language = current_language()
    specs = event_specs(
        user,
        [meeting],
        {meeting.id: [item.title for item in meeting.agenda_items]},
        {meeting.forum_id: meeting.forum},
        language,
    )
    if meeting.is_cancelled:
        # Opened in a calendar application, a cancellation removes the event it had (RFC 5546
        # CANCEL, addressed to the reader) rather than adding a "Cancelled: ..." one.
        body = build_itip(
            specs,
            method=CANCEL,
            organizer=organizer(),
            attendees=[Party(user.email, user.full_name)],
        )
        content_type = f"{CALENDAR_MIMETYPE}; method=CANCEL"
    else:
        body, content_type = build_calendar(specs, refresh=None), CALENDAR_MIMETYPE
    response = current_app.response_class(body, content_type=content_type)
    filename = f"meeting-{meeting.local_date.isoformat()}-{meeting.forum.code}.ics"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# --- subscription page ------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedAddress:
    label: str
    https: str
    webcal: str


def _qr_code(url: str) -> str:
    """A QR code as an SVG data URI (the CSP allows data: images, not inline scripts)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, dark="#000000", light="#ffffff")


def _subscription_page(
    *,
    new_token: str | None = None,
    regenerate_form: RegenerateFeedForm | None = None,
    revoke_form: RevokeFeedForm | None = None,
    status: int = 200,
):
    user = current_user._get_current_object()
    addresses: list[FeedAddress] = []
    qr_code = None
    if new_token is not None:
        addresses.append(
            FeedAddress(
                _("All my meetings"),
                personal_feed_url(new_token),
                personal_feed_url(new_token, webcal=True),
            )
        )
        for forum in visible_forums(user):
            addresses.append(
                FeedAddress(
                    forum.name_in(current_language()),
                    personal_feed_url(new_token, forum.code),
                    personal_feed_url(new_token, forum.code, webcal=True),
                )
            )
        qr_code = _qr_code(addresses[0].webcal)
    response = make_response(
        render_template(
            "feeds/subscription.html",
            feed_token=get_feed_token(user),
            addresses=addresses,
            qr_code=qr_code,
            # Fresh forms ignore the request: a box ticked to replace the address must not
            # come back ticked under the new one.
            create_form=CreateFeedForm(formdata=None),
            regenerate_form=regenerate_form
            or RegenerateFeedForm(prefix="regenerate", formdata=None),
            revoke_form=revoke_form or RevokeFeedForm(prefix="revoke", formdata=None),
        ),
        status,
    )
    # The page may show a secret address: no Referer to other sites, no copy in any cache.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account/calendar")
@login_required
def subscription():
    """The user's calendar address (shown only when created) and how to subscribe."""
    authorize(Action.FEEDS_OWN)
    return _subscription_page()


@bp.post("/account/calendar")
@login_required
def generate():
    """Create the user's calendar address, or replace it once they confirm."""
    authorize(Action.FEEDS_OWN)
    user = current_user._get_current_object()
    if get_feed_token(user) is not None:
        form = RegenerateFeedForm(prefix="regenerate")
        if not form.validate_on_submit():
            return _subscription_page(regenerate_form=form, status=400)
    elif not CreateFeedForm().validate_on_submit():
        return _subscription_page(status=400)
    token, refusal = commit(lambda: issue_feed_token(user, actor=user))
    if refusal is not None:
        flash(refusal.message, "error")
        return _subscription_page(status=refusal.status)
    return _subscription_page(new_token=token)


@bp.post("/account/calendar/revoke")
@login_required
def revoke_own():
    """Stop the user's calendar address once they confirm."""
    authorize(Action.FEEDS_OWN)
    form = RevokeFeedForm(prefix="revoke")
    if not form.validate_on_submit():
        return _subscription_page(revoke_form=form, status=400)
    user = current_user._get_current_object()
    stopped, _refusal = commit(lambda: revoke_feed_token(user, actor=user))
    if stopped:
        flash(_("Your calendar address has been stopped."), "success")
    else:
        flash(_("You have no calendar address."), "info")
    return redirect(url_for("feeds.subscription"))


def has_calendar_address(user: User) -> bool:
    """For the home page prompt: does ``user`` already have a calendar address?"""
    return get_feed_token(user) is not None


add_section("home", "has_calendar_address", has_calendar_address)


# --- secretariat ---------------------------------------------------------------------------


@bp.get("/admin/feeds/")
@login_required
def admin_index():
    """Accounts with a calendar address; the secretariat can stop any of them."""
    authorize(Action.FEEDS_REVOKE_ANY)
    return render_template("feeds/admin.html", rows=users_with_feed_tokens(), confirm=ConfirmForm())


@bp.post("/admin/feeds/<id:user_id>/revoke")
@login_required
def admin_revoke(user_id: int):
    """Stop another user's calendar address (a leaked URL, someone leaving)."""
    user = load_authorized(User, user_id, Action.FEEDS_REVOKE_ANY)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("feeds.admin_index"))
    email = user.email
    stopped, _refusal = commit(
        lambda: revoke_feed_token(user, actor=current_user._get_current_object())
    )
    if stopped:
        flash(_("The calendar address of %(email)s has been stopped.", email=email), "success")
    else:
        flash(_("%(email)s has no calendar address.", email=email), "info")
    return redirect(url_for("feeds.admin_index"))
