"""The authorization matrix: every route x every role -> the expected HTTP status.

One entry per (method, endpoint). A route added to the application without an entry here makes
``test_every_route_has_an_entry`` fail. The objects used in URLs are real rows built by
``matrix_world``: for each kind of object there is one the user may see and one they may not.

Roles: anonymous, the secretariat, a representative of a bureau-only agency, of a platform-only
agency and of an agency in both forums, a minister (cabinet in the platform only) and the
rapporteur. Several entries may share a route (other objects, other query strings).

The world is built once per module (``build_module_data``); each entry runs in its own
savepoint, so the secretariat's successful writes never reach the next entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

import pytest

from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from tests import factories
from tests.conftest import sign_in

ROLES = (
    "anonymous", "secretariat", "rep_bureau", "rep_platform", "rep_both", "minister", "rapporteur"
)  # fmt: skip
LOGGED_IN = ROLES[1:]
#: The representative who does not sit in each forum: its meetings do not exist for them.
OUTSIDERS = {"bureau": "rep_platform", "platform": "rep_bureau"}

World = dict[str, Any]


@dataclass(frozen=True)
class Entry:
    method: str
    endpoint: str
    #: A URL template: ``{name}`` is replaced by the id of ``world[name]``.
    url: str
    expect: dict[str, int]
    #: Form data for write methods (CSRF is off in tests; the policy must still refuse).
    data: dict[str, Any] | Callable[[World], dict[str, Any]] = field(default_factory=dict)

    def resolve_url(self, world: World) -> str:
        ids = {name: getattr(obj, "id", obj) for name, obj in world.items()}
        return self.url.format(**ids)

    def resolve_data(self, world: World) -> dict[str, Any]:
        return self.data(world) if callable(self.data) else dict(self.data)

    @property
    def sends_anonymous_to_login(self) -> bool:
        """A redirect for anonymous users only (a public redirect goes elsewhere)."""
        return self.expect["anonymous"] == 302 and len(set(self.expect.values())) > 1

    @property
    def key(self) -> str:
        return f"{self.method} {self.endpoint}"


def everyone(status: int, anonymous: int = 302) -> dict[str, int]:
    """Every logged-in role gets ``status``; anonymous users are sent to the login page."""
    return {"anonymous": anonymous, **dict.fromkeys(LOGGED_IN, status)}


def secretariat_only(status: int, others: int = 403, anonymous: int = 302) -> dict[str, int]:
    return {
        "anonymous": anonymous,
        "secretariat": status,
        **{role: others for role in LOGGED_IN if role != "secretariat"},
    }


def public(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


FOUNDATION = [
    Entry("GET", "core.health", "/health", public(200)),
    Entry("GET", "core.switch_language", "/language/nl", public(302)),
    Entry("GET", "auth.login", "/login", {"anonymous": 200, **dict.fromkeys(LOGGED_IN, 302)}),
    Entry("POST", "auth.login", "/login", {"anonymous": 400, **dict.fromkeys(LOGGED_IN, 302)}),
    Entry("POST", "auth.logout", "/logout", everyone(302)),
    Entry("GET", "auth.reauthenticate", "/reauthenticate", everyone(200)),
    Entry("POST", "auth.reauthenticate", "/reauthenticate", everyone(200), {"password": "x"}),
    Entry("GET", "auth.account", "/account", everyone(200)),
    # A setup link with a bad token is the same 404 for everyone, logged in or not.
    Entry("GET", "auth.setup_password", "/account/setup/not-a-token", public(404)),
    Entry("POST", "auth.setup_password", "/account/setup/not-a-token", public(404)),
    Entry("POST", "auth.save_preferences", "/account/preferences", everyone(302), {"locale": "fr"}),
    Entry("GET", "auth.change_own_password", "/account/password", everyone(200)),
    Entry("POST", "auth.change_own_password", "/account/password", everyone(400)),
    # Between password and second factor: without that state, back to the login page.
    Entry("GET", "security.second_factor_page", "/login/code", public(302)),
    Entry("POST", "security.second_factor_page", "/login/code", public(302)),
    Entry("GET", "security.enrol", "/login/enrol", public(302)),
    Entry("POST", "security.enrol", "/login/enrol", public(302)),
    Entry("GET", "security.two_step", "/account/two-step", everyone(200)),
    Entry("POST", "security.two_step", "/account/two-step", everyone(400)),
    # Nothing to renew yet: back to the two-step page.
    Entry("POST", "security.new_recovery_codes", "/account/two-step/recovery-codes",
          everyone(302)),
    # The secretariat may not turn it off (302 back, with a message).
    Entry("POST", "security.turn_off", "/account/two-step/off",
          {**everyone(303), "secretariat": 302}),
    # Someone else's session: as if it did not exist.
    Entry("POST", "security.end_own_session", "/account/sessions/{victim_session}/end",
          everyone(404)),
    Entry("POST", "security.end_other_sessions", "/account/sessions/end-others", everyone(303)),
    Entry("GET", "dashboard.home", "/", everyone(200)),
    Entry("GET", "users.index", "/admin/users/", secretariat_only(200)),
    Entry("GET", "users.new", "/admin/users/new", secretariat_only(200)),
    Entry("POST", "users.new", "/admin/users/new", secretariat_only(400)),
    Entry("GET", "users.edit", "/admin/users/{rep_both}/edit", secretariat_only(200)),
    Entry("POST", "users.edit", "/admin/users/{rep_both}/edit", secretariat_only(400)),
    Entry("POST", "users.password_link", "/admin/users/{victim}/password-link",
          secretariat_only(302)),
    Entry("POST", "users.deactivate", "/admin/users/{victim}/deactivate", secretariat_only(302)),
    Entry("POST", "users.reactivate", "/admin/users/{victim}/reactivate", secretariat_only(302)),
    Entry("POST", "users.sign_out_everywhere", "/admin/users/{victim}/sign-out",
          secretariat_only(302)),
    Entry("GET", "agencies.index", "/agencies/", everyone(200)),
    Entry("GET", "agencies.new", "/agencies/new", secretariat_only(200)),
    Entry("POST", "agencies.new", "/agencies/new", secretariat_only(400)),
    Entry("GET", "agencies.edit", "/agencies/{both}/edit", secretariat_only(200)),
    Entry("GET", "agencies.authority", "/agencies/{both}/authority", secretariat_only(200)),
    # Nothing chosen: it oversees none (saved).
    Entry("POST", "agencies.authority", "/agencies/{both}/authority", secretariat_only(302)),
    # An empty POST keeps the agency's values (WTForms falls back to the object): saved, 302.
    Entry("POST", "agencies.edit", "/agencies/{both}/edit", secretariat_only(302)),
    Entry("GET", "agencies.forum", "/agencies/forums/{bureau}", everyone(200)),
    Entry("POST", "agencies.forum", "/agencies/forums/{bureau}", secretariat_only(400)),
    Entry("GET", "agencies.forum_reminders", "/agencies/forums/{bureau}/reminders",
          secretariat_only(200)),
    Entry("POST", "agencies.forum_reminders", "/agencies/forums/{bureau}/reminders",
          secretariat_only(400)),
    Entry("POST", "agencies.end", "/agencies/memberships/{membership}/end", secretariat_only(302)),
    Entry("GET", "meetings.standing_items", "/meetings/forums/{bureau}/standing-items",
          secretariat_only(200)),
    Entry("POST", "meetings.standing_items", "/meetings/forums/{bureau}/standing-items",
          secretariat_only(400)),
    Entry("POST", "meetings.delete_standing_item",
          "/meetings/forums/{bureau}/standing-items/{standing_item}/delete",
          secretariat_only(303)),
    Entry("GET", "audit.index", "/admin/audit/", secretariat_only(200)),
    Entry("GET", "outbox.index", "/admin/outbox/", secretariat_only(200)),
    Entry("GET", "translation.index", "/admin/translations/", secretariat_only(200)),
]  # fmt: skip

FEEDS = [
    Entry("GET", "feeds.subscription", "/account/calendar", everyone(200)),
    # Creating an address; replacing an existing one (rep_bureau has one) needs confirmation.
    Entry("POST", "feeds.generate", "/account/calendar", {**everyone(200), "rep_bureau": 400}),
    # Without the confirmation box: refused, nothing changed.
    Entry("POST", "feeds.revoke_own", "/account/calendar/revoke", everyone(400)),
    Entry("GET", "feeds.admin_index", "/admin/feeds/", secretariat_only(200)),
    Entry("POST", "feeds.admin_revoke", "/admin/feeds/{rep_bureau}/revoke", secretariat_only(302)),
    Entry("GET", "feeds.meeting_ics", "/meetings/{bureau_meeting}.ics",
          {**everyone(200), "rep_platform": 404}),
    Entry("GET", "feeds.meeting_ics", "/meetings/{platform_meeting}.ics",
          {**everyone(200), "rep_bureau": 404}),
    Entry("GET", "meetings.convocation", "/meetings/{bureau_meeting}/convocation.pdf",
          {**everyone(200), "rep_platform": 404}),
    Entry("GET", "meetings.convocation", "/meetings/{platform_meeting}/convocation.pdf",
          {**everyone(200), "rep_bureau": 404}),
    # The token is the credential: whoever asks gets the same answer.
    Entry("GET", "feeds.personal_feed", "/feeds/{token}.ics", public(200)),
    Entry("GET", "feeds.personal_feed", "/feeds/{unknown_token}.ics", public(404)),
    Entry("GET", "feeds.forum_feed", "/feeds/{token}/bureau.ics", public(200)),
    Entry("GET", "feeds.forum_feed", "/feeds/{token}/platform.ics", public(404)),
    Entry("GET", "feeds.forum_feed", "/feeds/{unknown_token}/bureau.ics", public(404)),
    # Unknown objects: the same 404 for every role (nothing to tell apart from "forbidden").
    Entry("POST", "feeds.admin_revoke", "/admin/feeds/2147483647/revoke", everyone(404)),
    Entry("GET", "feeds.meeting_ics", "/meetings/2147483647.ics", everyone(404)),
    Entry("GET", "feeds.meeting_ics", "/meetings/0.ics", public(404)),
]  # fmt: skip


def reps_refused(ok: int) -> dict[str, int]:
    """Readers of the whole plan (secretariat, minister, rapporteur) only."""
    return {**everyone(ok), "rep_bureau": 403, "rep_platform": 403, "rep_both": 403}


MEASURES = [
    Entry("GET", "measures.index", "/measures/", everyone(200)),
    Entry("GET", "measures.index", "/measures/?late=y&q=police", everyone(200)),
    # A bogus filter value is refused with the form message, not ignored.
    Entry("GET", "measures.index", "/measures/?late=y&q=police&status=bogus", everyone(400)),
    # Lead agencies' names are public: suggestions for every signed-in reader of the plan.
    Entry("GET", "measures.lead_agencies", "/measures/lead-agencies?q=po", everyone(200)),
    Entry("GET", "measures.export", "/measures/export.csv", reps_refused(200)),
    Entry("GET", "measures.detail", "/measures/{measure}", everyone(200)),
    Entry("GET", "measures.detail", "/measures/2147483647", everyone(404)),
    Entry("GET", "measures.new", "/measures/new", secretariat_only(200)),
    Entry("POST", "measures.new", "/measures/new", secretariat_only(400)),
    Entry("GET", "measures.edit", "/measures/{measure}/edit", secretariat_only(200)),
    Entry("POST", "measures.edit", "/measures/{measure}/edit", secretariat_only(400)),
    Entry("GET", "measures.change_status", "/measures/{measure}/status", secretariat_only(200)),
    Entry("POST", "measures.change_status", "/measures/{measure}/status", secretariat_only(400)),
    Entry("GET", "measures.put_on_agenda", "/measures/{measure}/agenda", secretariat_only(200)),
    Entry("POST", "measures.put_on_agenda", "/measures/{measure}/agenda", secretariat_only(400)),
    Entry("GET", "measures.new_indicator", "/measures/{measure}/indicators/new",
          secretariat_only(200)),
    Entry("POST", "measures.new_indicator", "/measures/{measure}/indicators/new",
          secretariat_only(400)),
    Entry("GET", "measures.edit_indicator", "/measures/indicators/{indicator}/edit",
          secretariat_only(200)),
    Entry("POST", "measures.edit_indicator", "/measures/indicators/{indicator}/edit",
          secretariat_only(400)),
    # Only the lead agency (BOTH) reports; BUREAUONLY is a partner and is refused.
    Entry("GET", "measures.new_report", "/measures/{measure}/reports/new",
          {**secretariat_only(200), "rep_both": 200}),
    Entry("POST", "measures.new_report", "/measures/{measure}/reports/new",
          {**secretariat_only(400), "rep_both": 400}),
    Entry("GET", "measures.reports", "/measures/reports", secretariat_only(200)),
    Entry("GET", "measures.review_report", "/measures/reports/{report}/review",
          secretariat_only(200)),
    Entry("POST", "measures.review_report", "/measures/reports/{report}/review",
          secretariat_only(400)),
    Entry("GET", "measures.plans", "/measures/plans", everyone(200)),
    Entry("GET", "measures.new_plan", "/measures/plans/new", secretariat_only(200)),
    Entry("POST", "measures.new_plan", "/measures/plans/new", secretariat_only(400)),
    Entry("GET", "measures.plan", "/measures/plans/{plan}", everyone(200)),
    Entry("POST", "measures.plan", "/measures/plans/{plan}", secretariat_only(400)),
    Entry("GET", "measures.carry_over", "/measures/plans/{plan}/carry-over",
          secretariat_only(200)),
    Entry("POST", "measures.carry_over", "/measures/plans/{plan}/carry-over",
          secretariat_only(400)),
    Entry("POST", "measures.close_plan", "/measures/plans/{plan}/close", secretariat_only(302)),
    # Decisions are recorded by the secretariat on a meeting's agenda items: adopted at a
    # platform meeting, forwarded by the bureau; whoever may not see the meeting gets 404.
    Entry("GET", "decisions.meeting", "/meetings/{past_platform_meeting}/decisions",
          {**secretariat_only(200), OUTSIDERS["platform"]: 404}),
    Entry("POST", "decisions.meeting", "/meetings/{past_platform_meeting}/decisions",
          {**secretariat_only(400), OUTSIDERS["platform"]: 404}),
    Entry("GET", "decisions.meeting", "/meetings/{bureau_meeting}/decisions",
          {**secretariat_only(200), OUTSIDERS["bureau"]: 404}),
    Entry("POST", "decisions.meeting", "/meetings/{bureau_meeting}/decisions",
          {**secretariat_only(400), OUTSIDERS["bureau"]: 404}),
    Entry("GET", "decisions.meeting", "/meetings/2147483647/decisions", everyone(404)),
    # A recorded decision is corrected by the secretariat; outside the forum it does not exist.
    Entry("GET", "decisions.correct", "/decisions/{platform_decision}/correct",
          {**secretariat_only(200), OUTSIDERS["platform"]: 404}),
    Entry("POST", "decisions.correct", "/decisions/{platform_decision}/correct",
          {**secretariat_only(400), OUTSIDERS["platform"]: 404}),
    Entry("GET", "decisions.correct", "/decisions/2147483647/correct", everyone(404)),
]  # fmt: skip


def meeting_readers(forum: str, ok: int = 200) -> dict[str, int]:
    """Whoever may see the forum's meetings; an outsider must not learn the meeting exists."""
    return {**everyone(ok), OUTSIDERS[forum]: 404}


def meeting_invitees(forum: str, ok: int) -> dict[str, int]:
    """The people of the agencies sitting in the forum; other readers 403, outsiders 404."""
    others = {"minister": 403} if forum == "bureau" else {}
    return {**meeting_readers(forum, ok), **others}


def meeting_editors(forum: str, ok: int) -> dict[str, int]:
    return {**secretariat_only(ok), OUTSIDERS[forum]: 404}


MEETINGS = [
    Entry("GET", "meetings.index", "/meetings/", everyone(200)),
    Entry("GET", "meetings.index", "/meetings/?forum=bureau&when=past", everyone(200)),
    Entry("GET", "meetings.month_calendar", "/meetings/calendar", everyone(200)),
    Entry("GET", "meetings.month_calendar", "/meetings/calendar?year=2026&month=7", everyone(200)),
    Entry("GET", "meetings.month_calendar", "/meetings/calendar?year=2026&month=7&forum=platform",
          everyone(200)),
    Entry("GET", "meetings.series_index", "/meetings/series", secretariat_only(200)),
    Entry("GET", "meetings.new_series", "/meetings/series/new", secretariat_only(200)),
    Entry("POST", "meetings.new_series", "/meetings/series/new", secretariat_only(400)),
    Entry("GET", "meetings.edit_series", "/meetings/series/{series}/edit", secretariat_only(200)),
    Entry("POST", "meetings.edit_series", "/meetings/series/{series}/edit", secretariat_only(400)),
    Entry("POST", "meetings.extend_series", "/meetings/series/{series}/extend",
          secretariat_only(303)),
    Entry("POST", "meetings.extend_series", "/meetings/series/2147483647/extend",
          secretariat_only(404)),
    Entry("GET", "meetings.new", "/meetings/new", secretariat_only(200)),
    Entry("POST", "meetings.new", "/meetings/new", secretariat_only(400)),
    Entry("GET", "meetings.show", "/meetings/2147483647", everyone(404)),
]  # fmt: skip
for _forum in ("bureau", "platform"):
    _meeting, _item, _document = (
        f"{{{_forum}_{kind}}}" for kind in ("meeting", "item", "document")
    )
    MEETINGS += [
        Entry("GET", "meetings.show", f"/meetings/{_meeting}", meeting_readers(_forum)),
        Entry("GET", "meetings.download", f"/meetings/documents/{_document}",
              meeting_readers(_forum)),
        Entry("GET", "meetings.edit", f"/meetings/{_meeting}/edit", meeting_editors(_forum, 200)),
        Entry("POST", "meetings.edit", f"/meetings/{_meeting}/edit", meeting_editors(_forum, 400)),
        Entry("GET", "meetings.reschedule", f"/meetings/{_meeting}/reschedule",
              meeting_editors(_forum, 200)),
        Entry("POST", "meetings.reschedule", f"/meetings/{_meeting}/reschedule",
              meeting_editors(_forum, 400)),
        Entry("GET", "meetings.cancel", f"/meetings/{_meeting}/cancel",
              meeting_editors(_forum, 200)),
        Entry("POST", "meetings.cancel", f"/meetings/{_meeting}/cancel",
              meeting_editors(_forum, 400)),
        Entry("GET", "meetings.held", f"/meetings/{_meeting}/held", meeting_editors(_forum, 200)),
        Entry("POST", "meetings.held", f"/meetings/{_meeting}/held", meeting_editors(_forum, 400)),
        Entry("GET", "meetings.new_agenda_item", f"/meetings/{_meeting}/agenda/new",
              meeting_editors(_forum, 200)),
        Entry("POST", "meetings.new_agenda_item", f"/meetings/{_meeting}/agenda/new",
              meeting_editors(_forum, 400)),
        Entry("POST", "meetings.copy_agenda", f"/meetings/{_meeting}/agenda/copy",
              meeting_editors(_forum, 303)),
        Entry("GET", "meetings.finalise", f"/meetings/{_meeting}/agenda/finalise",
              meeting_editors(_forum, 200)),
        Entry("POST", "meetings.finalise", f"/meetings/{_meeting}/agenda/finalise",
              meeting_editors(_forum, 400)),
        Entry("GET", "meetings.edit_agenda_item", f"/meetings/agenda/{_item}/edit",
              meeting_editors(_forum, 200)),
        Entry("POST", "meetings.edit_agenda_item", f"/meetings/agenda/{_item}/edit",
              meeting_editors(_forum, 400)),
        Entry("GET", "meetings.delete_agenda_item", f"/meetings/agenda/{_item}/delete",
              meeting_editors(_forum, 200)),
        Entry("POST", "meetings.delete_agenda_item", f"/meetings/agenda/{_item}/delete",
              meeting_editors(_forum, 400)),
        Entry("POST", "meetings.move_agenda_item", f"/meetings/agenda/{_item}/move",
              meeting_editors(_forum, 303)),
        Entry("GET", "meetings.upload", f"/meetings/{_meeting}/documents/new",
              meeting_editors(_forum, 200)),
        Entry("POST", "meetings.upload", f"/meetings/{_meeting}/documents/new",
              meeting_editors(_forum, 400)),
        Entry("GET", "meetings.attach_document", f"/meetings/documents/{_document}/attach",
              meeting_editors(_forum, 200)),
        # An empty choice attaches it to the meeting as a whole: saved.
        Entry("POST", "meetings.attach_document", f"/meetings/documents/{_document}/attach",
              meeting_editors(_forum, 302)),
        Entry("GET", "meetings.delete_document", f"/meetings/documents/{_document}/delete",
              meeting_editors(_forum, 200)),
        # The secretariat's empty confirmation form is complete: the document is deleted.
        Entry("POST", "meetings.delete_document", f"/meetings/documents/{_document}/delete",
              meeting_editors(_forum, 302)),
        # The invited answer (the agencies sitting in the forum); a reader who is not invited
        # (a minister whose cabinet sits in the platform only, at the bureau) is refused.
        Entry("GET", "meetings.reply", f"/meetings/{_meeting}/reply",
              meeting_invitees(_forum, 200)),
        Entry("POST", "meetings.reply", f"/meetings/{_meeting}/reply",
              meeting_invitees(_forum, 400)),
        Entry("GET", "meetings.replies_overview", f"/meetings/{_meeting}/replies",
              meeting_editors(_forum, 200)),
        Entry("POST", "meetings.remind", f"/meetings/{_meeting}/replies/remind",
              meeting_editors(_forum, 303)),
    ]  # fmt: skip
MEETINGS += [
    # The invitation's link is the credential: whoever holds it answers for its person, signed
    # in or not; a link that is not valid is the same 404 for everyone.
    Entry("GET", "meetings.reply_by_link", "/meetings/reply/{reply_token}", public(200)),
    Entry("POST", "meetings.reply_by_link", "/meetings/reply/{reply_token}", public(400)),
    Entry("GET", "meetings.reply_by_link", "/meetings/reply/not-a-token", public(404)),
    Entry("POST", "meetings.reply_by_link", "/meetings/reply/not-a-token", public(404)),
]  # fmt: skip


def unpublished(ok: int) -> dict[str, int]:
    """Draft or approved minutes: only the secretariat may know they exist."""
    return {**everyone(404), "secretariat": ok}


def circulated(secretariat: int, *, members: int) -> dict[str, int]:
    """Circulated bureau minutes: the secretariat, and the bureau's member agencies' users."""
    return {**unpublished(secretariat), "rep_bureau": members, "rep_both": members}


def bureau_readers(ok: int) -> dict[str, int]:
    """Published bureau minutes: the bureau's agencies, ministers and the rapporteur."""
    return meeting_readers("bureau", ok)


def bureau_writers(ok: int) -> dict[str, int]:
    """A secretariat action on bureau minutes: readers 403, the platform-only agency 404."""
    return meeting_editors("bureau", ok)


MINUTES = [
    Entry("GET", "minutes.index", "/minutes/", everyone(200)),
    Entry("GET", "minutes.index", "/minutes/?forum=platform", everyone(200)),
    Entry("GET", "minutes.index", "/minutes/?forum=bureau", everyone(200)),
    # Starting minutes: 404 where the meeting is not visible, 403 where it is.
    Entry("GET", "minutes.new", "/minutes/meeting/{free_meeting}/new", bureau_writers(200)),
    Entry("POST", "minutes.new", "/minutes/meeting/{free_meeting}/new", bureau_writers(400)),
    # Drafts: the secretariat only, by every URL.
    Entry("GET", "minutes.show", "/minutes/{draft}", unpublished(200)),
    Entry("GET", "minutes.pdf", "/minutes/{draft}.pdf", unpublished(200)),
    Entry("GET", "minutes.html_file", "/minutes/{draft}.html", unpublished(200)),
    Entry("GET", "minutes.revisions", "/minutes/{draft}/revisions", unpublished(200)),
    Entry("GET", "minutes.revision", "/minutes/{draft}/revisions/1", unpublished(200)),
    Entry("GET", "minutes.diff", "/minutes/{draft}/diff?old=1&new=1", unpublished(200)),
    Entry("GET", "minutes.edit", "/minutes/{draft}/edit", unpublished(200)),
    Entry("POST", "minutes.edit", "/minutes/{draft}/edit", unpublished(400)),
    Entry("GET", "minutes.attendance", "/minutes/{draft}/attendance", unpublished(200)),
    Entry("POST", "minutes.attendance", "/minutes/{draft}/attendance", unpublished(302)),
    Entry("POST", "minutes.add_attendee", "/minutes/{draft}/attendance/people", unpublished(400)),
    Entry("POST", "minutes.delete_attendee",
          "/minutes/{draft}/attendance/people/{draft_attendee}/delete", unpublished(303)),
    Entry("POST", "minutes.attendance_as_announced", "/minutes/{draft}/attendance/as-announced",
          unpublished(303)),
    Entry("GET", "minutes.decisions", "/minutes/{draft}/decisions", unpublished(200)),
    Entry("POST", "minutes.decisions", "/minutes/{draft}/decisions", unpublished(400)),
    Entry("POST", "minutes.delete_decision", "/minutes/{draft}/decisions/{draft_decision}/delete",
          unpublished(303)),
    Entry("GET", "minutes.follow_ups", "/minutes/{draft}/follow-ups", unpublished(200)),
    Entry("POST", "minutes.follow_ups", "/minutes/{draft}/follow-ups", unpublished(400)),
    Entry("POST", "minutes.delete_follow_up",
          "/minutes/{draft}/follow-ups/{draft_action}/delete", unpublished(303)),
    # A follow-up of draft minutes must not leak to its owner before publication.
    Entry("POST", "minutes.follow_up_status", "/minutes/follow-ups/{draft_action}/status",
          unpublished(303)),
    Entry("POST", "circulation.approve", "/minutes/{draft}/approve", unpublished(303)),
    Entry("POST", "circulation.circulate", "/minutes/{draft}/circulate", unpublished(303)),
    # A circulated draft: the bureau's members read and comment; never downloaded or in lists
    # outside the secretariat; ministers and the rapporteur see minutes once published.
    Entry("GET", "minutes.show", "/minutes/{circulated}", circulated(200, members=200)),
    Entry("GET", "minutes.pdf", "/minutes/{circulated}.pdf", circulated(200, members=404)),
    Entry("GET", "minutes.html_file", "/minutes/{circulated}.html",
          circulated(200, members=404)),
    Entry("POST", "circulation.comment", "/minutes/{circulated}/comments",
          circulated(403, members=303)),
    Entry("POST", "circulation.resolve", "/minutes/{circulated}/comments/{comment}/resolve",
          circulated(303, members=403)),
    Entry("POST", "circulation.approve", "/minutes/{circulated}/approve",
          circulated(303, members=403)),
    Entry("POST", "circulation.recall", "/minutes/{circulated}/recall",
          circulated(303, members=403)),
    Entry("POST", "circulation.comment", "/minutes/{draft}/comments", unpublished(403)),
    Entry("GET", "minutes.show", "/minutes/{approved}", unpublished(200)),
    Entry("GET", "minutes.pdf", "/minutes/{approved}.pdf", unpublished(200)),
    Entry("POST", "minutes.publish", "/minutes/{approved}/publish", unpublished(303)),
    Entry("POST", "minutes.withdraw_approval", "/minutes/{approved}/withdraw-approval",
          unpublished(303)),
    # Published bureau minutes: the bureau's agencies on that date, ministers, the rapporteur.
    Entry("GET", "minutes.show", "/minutes/{published}", bureau_readers(200)),
    Entry("GET", "minutes.pdf", "/minutes/{published}.pdf", bureau_readers(200)),
    Entry("GET", "minutes.html_file", "/minutes/{published}.html", bureau_readers(200)),
    Entry("GET", "minutes.revisions", "/minutes/{published}/revisions", bureau_readers(200)),
    Entry("GET", "minutes.revision", "/minutes/{published}/revisions/1", bureau_readers(200)),
    Entry("GET", "minutes.revision", "/minutes/{published}/revisions/2", everyone(404)),
    Entry("GET", "minutes.diff", "/minutes/{published}/diff?old=1&new=1", bureau_readers(200)),
    Entry("GET", "minutes.diff", "/minutes/{published}/diff?old=1&new=2", everyone(404)),
    Entry("GET", "minutes.edit", "/minutes/{published}/edit", bureau_writers(200)),
    Entry("POST", "minutes.edit", "/minutes/{published}/edit", bureau_writers(400)),
    Entry("GET", "minutes.attendance", "/minutes/{published}/attendance", bureau_writers(200)),
    Entry("POST", "minutes.attendance_as_announced",
          "/minutes/{published}/attendance/as-announced", bureau_writers(303)),
    Entry("GET", "minutes.decisions", "/minutes/{published}/decisions", bureau_writers(200)),
    Entry("GET", "minutes.follow_ups", "/minutes/{published}/follow-ups", bureau_writers(200)),
    Entry("POST", "circulation.approve", "/minutes/{published}/approve", bureau_writers(303)),
    Entry("POST", "circulation.comment", "/minutes/{published}/comments", bureau_writers(403)),
    Entry("POST", "minutes.publish", "/minutes/{published}/publish", bureau_writers(303)),
    # The owner agency (BUREAUONLY) marks its own follow-up done.
    Entry("POST", "minutes.follow_up_status", "/minutes/follow-ups/{action}/status",
          {**bureau_writers(303), "rep_bureau": 303}),
    # Published platform minutes: the bureau-only agency never sat there.
    Entry("GET", "minutes.show", "/minutes/{platform_published}",
          {**everyone(200), "rep_bureau": 404}),
    Entry("GET", "minutes.html_file", "/minutes/{platform_published}.html",
          {**everyone(200), "rep_bureau": 404}),
    Entry("GET", "minutes.pdf", "/minutes/{platform_published}.pdf",
          {**everyone(200), "rep_bureau": 404}),
]  # fmt: skip

DASHBOARD = [
    Entry("GET", "dashboard.plan", "/dashboard/", reps_refused(200)),
    Entry("GET", "dashboard.changes", "/dashboard/changes?since_date=2024-01-01",
          reps_refused(200)),
    Entry("GET", "dashboard.plan", "/dashboard/?plan={plan}&lead={both}", reps_refused(200)),
    Entry("GET", "dashboard.plan", "/dashboard/?plan={plan}&theme={theme}&lead={both}",
          reps_refused(200)),
    Entry("GET", "dashboard.plan", "/dashboard/?plan={old_plan}", reps_refused(200)),
    Entry("GET", "dashboard.plan", "/dashboard/?plan=abc", reps_refused(400)),
    Entry("GET", "dashboard.plan", "/dashboard/?plan=2147483647", reps_refused(400)),
    # A theme of another plan is refused, not silently ignored.
    Entry("GET", "dashboard.plan", "/dashboard/?plan={plan}&theme={old_theme}", reps_refused(400)),
    Entry("GET", "dashboard.briefing", "/dashboard/briefing", reps_refused(200)),
    Entry("GET", "dashboard.briefing_pdf", "/dashboard/briefing.pdf", reps_refused(200)),
    Entry("GET", "dashboard.export_csv", "/dashboard/export.csv", reps_refused(200)),
    Entry("GET", "dashboard.export_csv", "/dashboard/export.csv?plan={old_plan}",
          reps_refused(200)),
    Entry("GET", "dashboard.export_csv", "/dashboard/export.csv?lead=x", reps_refused(400)),
    Entry("GET", "dashboard.export_json", "/dashboard/export.json", reps_refused(200)),
    Entry("GET", "dashboard.export_json", "/dashboard/export.json?theme={theme}",
          reps_refused(200)),
    Entry("GET", "dashboard.export_json", "/dashboard/export.json?theme=0", reps_refused(400)),
    Entry("GET", "dashboard.export_xlsx", "/dashboard/export.xlsx", reps_refused(200)),
    Entry("GET", "dashboard.export_xlsx", "/dashboard/export.xlsx?lead=x", reps_refused(400)),
    Entry("GET", "dashboard.export_csv_zip", "/dashboard/export.zip", reps_refused(200)),
]  # fmt: skip

SEARCH = [
    # Everyone signed in searches; what each finds is their own (tests/search).
    Entry("GET", "search.index", "/search", everyone(200)),
    Entry("GET", "search.index", "/search?q=cases&kind=meetings&forum={bureau}&year=2024",
          everyone(200)),
    # A filter that is no choice: the form says so.
    Entry("GET", "search.index", "/search?q=cases&kind=bogus", everyone(400)),
]  # fmt: skip

#: Every domain contributes its entries; the lists are concatenated here.
ENTRIES: list[Entry] = [
    *FOUNDATION, *FEEDS, *MEASURES, *MEETINGS, *MINUTES, *DASHBOARD, *SEARCH
]  # fmt: skip

#: Endpoints that are not application routes to check (Flask's static files).
EXEMPT_ENDPOINTS = {"static"}


def build_world() -> World:
    """Real objects for the URLs: for each kind, one the user may see and one they may not."""
    from coordination.auth.models import UserSession
    from coordination.auth.sessions import start_session
    from coordination.feeds.services import issue_feed_token, new_token
    from coordination.meetings.replies import reply_token

    world = factories.world()
    world["victim"] = factories.user(factories.Role.AGENCY_REP, world["both"], email="v@x.org")
    start_session(world["victim"], ip_address=None, user_agent=None)
    db.session.flush()
    world["victim_session"] = db.session.scalar(
        db.select(UserSession).where(UserSession.user_id == world["victim"].id)
    )
    world["membership"] = world["platform"].memberships[0]
    soon = datetime.combine(today_brussels() + timedelta(days=14), time(10), BRUSSELS)
    world["bureau_meeting"] = factories.meeting(world["bureau"], soon)
    world["platform_meeting"] = factories.meeting(world["platform"], soon)
    world["token"] = issue_feed_token(world["rep_bureau"], actor=None)
    world["unknown_token"] = new_token()
    world["reply_token"] = reply_token(world["bureau_meeting"], world["rep_bureau"])
    _add_meeting_contents(world)
    _add_action_plan(world)
    _add_minutes(world)
    return world


def _add_minutes(world: World) -> None:
    from coordination.meetings.standing import add_standing_item
    from coordination.minutes.models import MinutesStatus
    from tests.minutes import factories as minutes_factories

    def minutes_of(forum: str, status: MinutesStatus):
        meeting = factories.meeting(world[forum])
        return minutes_factories.minutes(meeting, status=status, author=world["secretariat"])

    draft = minutes_of("bureau", MinutesStatus.DRAFT)
    published = minutes_of("bureau", MinutesStatus.PUBLISHED)
    circulated = minutes_of("bureau", MinutesStatus.CIRCULATED)
    world.update(
        free_meeting=factories.meeting(world["bureau"], title="Without minutes"),
        draft=draft,
        approved=minutes_of("bureau", MinutesStatus.APPROVED),
        published=published,
        platform_published=minutes_of("platform", MinutesStatus.PUBLISHED),
        circulated=circulated,
        comment=minutes_factories.comment(circulated, world["rep_bureau"]),
        draft_decision=minutes_factories.decision(draft),
        draft_attendee=minutes_factories.attendee(draft, world["bureau_only"]),
        standing_item=add_standing_item(
            world["bureau"], title="AOB", duration_minutes=None, closing=True, actor=None
        ),
        draft_action=minutes_factories.follow_up(draft, world["bureau_only"]),
        action=minutes_factories.follow_up(published, world["bureau_only"]),
    )


def _add_meeting_contents(world: World) -> None:
    import io

    from flask import current_app

    from coordination.meetings import services
    from tests.meetings import files

    day = today_brussels() + timedelta(days=30)
    world["series"] = services.create_series(
        world["bureau"], title="Bureau", rrule="FREQ=MONTHLY;BYDAY=2TU", starts_on=day,
        ends_on=day + timedelta(days=90), start_time=time(10), duration_minutes=120,
        actor=None, today=day, notify_members=False,
    )  # fmt: skip
    for forum in ("bureau", "platform"):
        meeting = world[f"{forum}_meeting"]
        world[f"{forum}_item"] = factories.agenda_item(meeting)
        world[f"{forum}_document"] = services.store_document(
            meeting, stream=io.BytesIO(files.PDF), filename=f"{forum}.pdf", actor=None,
            upload_dir=current_app.config["UPLOAD_DIR"], max_bytes=10_000,
        )  # fmt: skip


def _add_action_plan(world: World) -> None:
    from coordination.decisions.models import Outcome
    from coordination.decisions.services import record_decision
    from coordination.measures.models import MeasureStatus, PlanStatus
    from coordination.meetings.models import AgendaItemKind
    from tests.measures import factories as measure_factories

    plan = measure_factories.plan()
    old_plan = measure_factories.plan(start_year=2016, end_year=2020, status=PlanStatus.CLOSED)
    measure = measure_factories.measure(
        plan, world["both"], MeasureStatus.IN_PROGRESS, partners=[world["bureau_only"]]
    )
    proposal = measure_factories.measure(plan, world["both"], MeasureStatus.PROPOSED)
    yesterday = datetime.combine(today_brussels() - timedelta(days=1), time(10), BRUSSELS)
    past_platform_meeting = factories.meeting(world["platform"], yesterday)
    factories.agenda_item(
        past_platform_meeting, "Proposal", kind=AgendaItemKind.DECISION, measure_id=proposal.id
    )
    deferred = measure_factories.measure(plan, world["both"], MeasureStatus.PROPOSED)
    platform_decision = record_decision(
        measure_factories.on_agenda(deferred, past_platform_meeting),
        Outcome.DEFERRED,
        actor=world["secretariat"],
    )
    world.update(
        plan=plan,
        theme=plan.themes[0],
        old_plan=old_plan,
        old_theme=old_plan.themes[0],
        measure=measure,
        indicator=measure_factories.indicator(measure, targets={2024: "100"}),
        report=measure_factories.report(measure, world["rep_both"], 2024),
        past_platform_meeting=past_platform_meeting,
        platform_decision=platform_decision,
    )


def build_module_data() -> World:
    return build_world()


@pytest.fixture
def matrix_world(module_data: World) -> World:
    return module_data


def test_every_route_has_an_entry(app):
    covered = {entry.key for entry in ENTRIES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXEMPT_ENDPOINTS:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if f"{method} {rule.endpoint}" not in covered:
                missing.append(f"{method} {rule.endpoint} ({rule.rule})")
    assert missing == [], "routes without an authorization-matrix entry:\n" + "\n".join(missing)


def test_entries_name_real_routes(app):
    known = {
        f"{method} {rule.endpoint}"
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
    }
    assert [entry.key for entry in ENTRIES if entry.key not in known] == []


def test_every_entry_covers_every_role():
    for entry in ENTRIES:
        assert set(entry.expect) == set(ROLES), entry.key


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.key)
def test_matrix(app, matrix_world, entry):
    """Each role gets the expected status; the request runs from a fresh client each time."""
    failures = []
    # The secretariat last: its successful writes (a deletion) must not change what the
    # other roles are tested against.
    for role in sorted(ROLES, key=lambda role: role == "secretariat"):
        client = app.test_client()
        if role != "anonymous":
            sign_in(client, matrix_world[role])
            with client.session_transaction() as session:
                session["authenticated_at"] = 2**31
        url = entry.resolve_url(matrix_world)
        with client.open(url, method=entry.method, data=entry.resolve_data(matrix_world)) as r:
            if r.status_code != entry.expect[role]:
                failures.append(f"{role}: {r.status_code} (expected {entry.expect[role]})")
            elif (
                role == "anonymous"
                and entry.sends_anonymous_to_login
                and not r.headers["Location"].startswith("/login")
            ):
                failures.append(f"anonymous: sent to {r.headers['Location']}, not /login")
        db.session.rollback()
    assert failures == [], f"{entry.method} {entry.resolve_url(matrix_world)}: {failures}"


@pytest.mark.parametrize("role", ROLES)
def test_a_read_only_page_refuses_other_methods(app, matrix_world, role):
    """POST where only GET is routed: 405 for everyone, before any login or policy check."""
    client = app.test_client()
    if role != "anonymous":
        sign_in(client, matrix_world[role])
    assert client.post("/dashboard/", data={}).status_code == 405
