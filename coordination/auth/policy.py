"""THE authorization rules of the platform: ``can(user, action, obj)``.

Every view asks this module before it shows or changes anything, and templates use it to hide
what the user cannot do. Rules take the user and, where it matters, the object; they read the
object's attributes only (``forum_id``, ``local_date``, ``status``, ``lead_agency_id`` ...) so
that this module does not import the domains built on top of it.

Who sits where is history: an agency representative sees a forum's meetings and minutes only
for dates on which their agency sat in that forum (``ForumMembership``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, select, true

from coordination.agencies.models import ForumMembership, MembershipRole
from coordination.users.models import Role, User


class Action(StrEnum):
    """Everything the policy can be asked about; code names a member, so a typo fails at import.

    Templates pass the value as a string (``can('minutes.write')``): :func:`can` converts it and
    refuses a value that is not an action.
    """

    ACCOUNT_EDIT_OWN = "account.edit_own"
    AGENCIES_MANAGE = "agencies.manage"
    AGENCIES_VIEW = "agencies.view"
    AGENDA_EDIT = "agenda.edit"
    AUDIT_VIEW = "audit.view"
    BRIEFING_VIEW = "briefing.view"
    DASHBOARD_VIEW = "dashboard.view"
    DOCUMENTS_MANAGE = "documents.manage"
    DOCUMENTS_VIEW = "documents.view"
    FEEDS_OWN = "feeds.own"
    FEEDS_REVOKE_ANY = "feeds.revoke_any"
    FOLLOWUPS_UPDATE = "followups.update"
    FORUMS_MANAGE = "forums.manage"
    FORUMS_VIEW = "forums.view"
    MEASURES_DECIDE = "measures.decide"
    MEASURES_MANAGE = "measures.manage"
    MEASURES_REPORT = "measures.report"
    MEASURES_REVIEW_REPORT = "measures.review_report"
    MEASURES_VIEW = "measures.view"
    MEETINGS_EDIT = "meetings.edit"
    MEETINGS_LIST = "meetings.list"
    MEETINGS_MANAGE = "meetings.manage"
    MEETINGS_REPLY = "meetings.reply"
    MEETINGS_VIEW = "meetings.view"
    MEETINGS_VIEW_PLACE = "meetings.view_place"
    MINUTES_APPROVE = "minutes.approve"
    MINUTES_COMMENT = "minutes.comment"
    MINUTES_PUBLISH = "minutes.publish"
    MINUTES_VIEW = "minutes.view"
    MINUTES_WRITE = "minutes.write"
    OUTBOX_VIEW = "outbox.view"
    TRANSLATIONS_VIEW = "translations.view"
    PLAN_EXPORT = "plan.export"
    SEARCH = "search.use"
    USERS_DEACTIVATE = "users.deactivate"
    USERS_MANAGE = "users.manage"


Rule = Callable[[User, Any], bool]
_RULES: dict[Action, Rule] = {}


def rule(*actions: Action) -> Callable[[Rule], Rule]:
    """Register a function as the rule for one or more actions."""

    def register(function: Rule) -> Rule:
        for action in actions:
            if action in _RULES:
                raise RuntimeError(f"two rules for {action!r}")
            _RULES[action] = function
        return function

    return register


def can(user: Any, action: Action | str, obj: Any = None) -> bool:
    """May ``user`` perform ``action`` (on ``obj``)? Anonymous and inactive users may not.

    :raise ValueError: for a string that names no action (a programming error, never a
        silent "yes").
    """
    checker = _RULES[Action(action)]
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return checker(user, obj)


def known_actions() -> frozenset[Action]:
    return frozenset(_RULES)


# --- helpers -------------------------------------------------------------------------------


def is_secretariat(user: User) -> bool:
    return user.role is Role.SECRETARIAT


def reads_everything(user: User) -> bool:
    """Ministers and the rapporteur read both forums (MISSION.md)."""
    return user.role in (Role.SECRETARIAT, Role.MINISTER, Role.RAPPORTEUR)


def agency_sat_in(user: User, forum_id: int, day: date, *, members_only: bool = False) -> bool:
    """Did the user's agency sit in the forum on ``day``?

    ``user.agency.memberships`` is loaded once per transaction by the ORM, so calling this for
    every row of a list costs no further query.
    """
    if user.agency is None:
        return False
    return any(
        membership.forum_id == forum_id
        and membership.covers(day)
        and (not members_only or membership.role is MembershipRole.MEMBER)
        for membership in user.agency.memberships
    )


def forum_visibility_condition(
    user: User, forum_id_column: Any, day_column: Any
) -> ColumnElement[bool]:
    """SQL condition: rows (meetings, minutes) of a forum on a day the user may see.

    The SQL twin of :func:`agency_sat_in`, for lists: the same rule, evaluated in the database.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return false()
    if reads_everything(user):
        return true()
    if user.agency_id is None:
        return false()
    return exists(
        select(ForumMembership.id).where(
            ForumMembership.agency_id == user.agency_id,
            ForumMembership.forum_id == forum_id_column,
            ForumMembership.covers(day_column),
        )
    )


def member_forum_condition(user: User, forum_id_column: Any, day_column: Any) -> Any:
    """SQL condition: the user's agency was a full member (not observer) of the forum."""
    if is_secretariat(user):
        return true()
    if user.agency_id is None:
        return false()
    return exists(
        select(ForumMembership.id).where(
            and_(
                ForumMembership.agency_id == user.agency_id,
                ForumMembership.forum_id == forum_id_column,
                ForumMembership.role == MembershipRole.MEMBER,
                ForumMembership.covers(day_column),
            )
        )
    )


# --- administration ------------------------------------------------------------------------


@rule(
    Action.AGENCIES_MANAGE,
    Action.FORUMS_MANAGE,
    Action.USERS_MANAGE,
    Action.AUDIT_VIEW,
    Action.OUTBOX_VIEW,
    Action.TRANSLATIONS_VIEW,
)
def _secretariat_only(user: User, _obj: Any) -> bool:
    return is_secretariat(user)


@rule(Action.AGENCIES_VIEW, Action.FORUMS_VIEW)
def _any_member_reads_directory(user: User, _obj: Any) -> bool:
    return True


@rule(Action.ACCOUNT_EDIT_OWN)
def _own_account(user: User, obj: Any) -> bool:
    return obj is None or obj.id == user.id


@rule(Action.USERS_DEACTIVATE)
def _deactivate_user(user: User, obj: Any) -> bool:
    # Nobody locks themselves out: another secretariat member must do it.
    return is_secretariat(user) and (obj is None or obj.id != user.id)


# --- meetings and documents ----------------------------------------------------------------
# A meeting object exposes ``forum_id`` and ``local_date`` (its Brussels date).


@rule(Action.MEETINGS_LIST)
def _any_role_lists_meetings(user: User, _obj: Any) -> bool:
    """Everyone has a meetings page; what it lists is filtered by ``meeting.view``."""
    return True


@rule(Action.MEETINGS_VIEW)
def _view_meeting(user: User, meeting: Any) -> bool:
    if meeting is None or reads_everything(user):
        return True
    return agency_sat_in(user, meeting.forum_id, meeting.local_date)


@rule(Action.MEETINGS_REPLY)
def _answer_invitation(user: User, meeting: Any) -> bool:
    """The invited: the people of the agencies that sit in the forum on the meeting's date
    (members and observers, as its e-mails)."""
    if meeting is None:
        return user.agency_id is not None
    return agency_sat_in(user, meeting.forum_id, meeting.local_date)


@rule(Action.MEETINGS_VIEW_PLACE)
def _view_confidential_place(user: User, meeting: Any) -> bool:
    """A confidential place (a shelter) is shown to the secretariat and full members only."""
    if not _view_meeting(user, meeting):
        return False
    if not meeting.place_confidential or is_secretariat(user):
        return True
    return agency_sat_in(user, meeting.forum_id, meeting.local_date, members_only=True)


@rule(Action.MEETINGS_MANAGE, Action.MEETINGS_EDIT, Action.AGENDA_EDIT, Action.DOCUMENTS_MANAGE)
def _secretariat_edits_meetings(user: User, _obj: Any) -> bool:
    return is_secretariat(user)


@rule(Action.DOCUMENTS_VIEW)
def _view_document(user: User, document: Any) -> bool:
    """A document is visible to whoever may see its meeting."""
    return _view_meeting(user, document.meeting if document is not None else None)


# --- minutes -------------------------------------------------------------------------------
# A minutes object exposes ``status`` ("draft", "approved", "published") and ``meeting``.


@rule(Action.MINUTES_VIEW)
def _view_minutes(user: User, minutes: Any) -> bool:
    """Drafts and approved minutes: secretariat only; a circulated draft also the members'
    representatives who comment on it. Published: whoever saw the meeting."""
    if is_secretariat(user):
        return True
    if minutes is None:
        return True
    if str(minutes.status) == "circulated":
        return _comment_on_minutes(user, minutes)
    if str(minutes.status) != "published":
        return False
    return _view_meeting(user, minutes.meeting)


@rule(Action.MINUTES_COMMENT)
def _comment_on_minutes(user: User, minutes: Any) -> bool:
    """The representatives of the agencies that sat in the forum as members on the meeting
    date, while the draft is circulated (the secretariat answers, it does not comment)."""
    if minutes is None or str(minutes.status) != "circulated" or is_secretariat(user):
        return False
    meeting = minutes.meeting
    return agency_sat_in(user, meeting.forum_id, meeting.local_date, members_only=True)


@rule(Action.MINUTES_WRITE, Action.MINUTES_APPROVE, Action.MINUTES_PUBLISH)
def _secretariat_writes_minutes(user: User, _obj: Any) -> bool:
    return is_secretariat(user)


# A follow-up action exposes ``owner_agency_id`` and ``minutes`` (with ``status``).


@rule(Action.FOLLOWUPS_UPDATE)
def _update_follow_up(user: User, action: Any) -> bool:
    """The secretariat, and the users of the owner agency once the minutes are published.

    The agency doing the work says when it is done (it leaves their home page at once); the
    secretariat can set any state, reopens what is not really done, and every change is in the
    audit log. Before publication nobody outside the secretariat knows the action exists.
    """
    if is_secretariat(user):
        return True
    if user.agency_id is None:
        return False
    if action is None:
        return True
    return action.owner_agency_id == user.agency_id and _view_minutes(user, action.minutes)


# --- action plan ---------------------------------------------------------------------------
# A measure exposes ``lead_agency_id``.


@rule(Action.MEASURES_VIEW)
def _everyone_reads_the_plan(user: User, _obj: Any) -> bool:
    return True


@rule(Action.MEASURES_MANAGE, Action.MEASURES_DECIDE, Action.MEASURES_REVIEW_REPORT)
def _secretariat_manages_measures(user: User, _obj: Any) -> bool:
    return is_secretariat(user)


@rule(Action.MEASURES_REPORT)
def _lead_agency_reports(user: User, measure: Any) -> bool:
    """The secretariat, and representatives of the measure's lead agency."""
    if is_secretariat(user):
        return True
    if user.role is not Role.AGENCY_REP or user.agency_id is None:
        return False
    return measure is None or measure.lead_agency_id == user.agency_id


# --- dashboards and exports ----------------------------------------------------------------


@rule(Action.DASHBOARD_VIEW, Action.BRIEFING_VIEW, Action.PLAN_EXPORT)
def _plan_readers(user: User, _obj: Any) -> bool:
    """Ministers, the rapporteur and the secretariat."""
    return reads_everything(user)


# --- search --------------------------------------------------------------------------------


@rule(Action.SEARCH)
def _everyone_searches(user: User, _obj: Any) -> bool:
    """Every signed-in user; what each finds is what the rules above let them see
    (``coordination.search.queries.visible_to`` reads them in SQL)."""
    return True


# --- calendar feeds ------------------------------------------------------------------------


@rule(Action.FEEDS_OWN)
def _own_feed(user: User, _obj: Any) -> bool:
    return True


@rule(Action.FEEDS_REVOKE_ANY)
def _revoke_any_feed(user: User, _obj: Any) -> bool:
    return is_secretariat(user)


def _every_action_has_a_rule() -> None:
    """Checked at import: an action without a rule would fail only when first asked."""
    missing = set(Action) - set(_RULES)
    if missing:
        raise RuntimeError(f"actions without a rule: {sorted(missing)}")


_every_action_has_a_rule()
