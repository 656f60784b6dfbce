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
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from coordination.agencies.models import ForumMembership, MembershipRole
from coordination.users.models import Role, User

Rule = Callable[[User, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(*actions: str) -> Callable[[Rule], Rule]:
    """Register a function as the rule for one or more actions."""

    def register(function: Rule) -> Rule:
        for action in actions:
            if action in _RULES:
                raise RuntimeError(f"two rules for {action!r}")
            _RULES[action] = function
        return function

    return register


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May ``user`` perform ``action`` (on ``obj``)? Anonymous and inactive users may not.

    :raise KeyError: for an action nobody wrote a rule for (a programming error, never a
        silent "yes").
    """
    checker = _RULES[action]
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return checker(user, obj)


def known_actions() -> frozenset[str]:
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
            ForumMembership.since <= day_column,
            or_(ForumMembership.until.is_(None), ForumMembership.until >= day_column),
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
                ForumMembership.since <= day_column,
                or_(ForumMembership.until.is_(None), ForumMembership.until >= day_column),
            )
        )
    )


# --- administration ------------------------------------------------------------------------


@rule(
    "agencies.manage",
    "forums.manage",
    "users.manage",
    "audit.view",
    "outbox.view",
)
def _secretariat_only(user: User, _obj: Any) -> bool:
    return is_secretariat(user)


@rule("agencies.view", "forums.view")
def _any_member_reads_directory(user: User, _obj: Any) -> bool:
    return True


@rule("account.edit_own")
def _own_account(user: User, obj: Any) -> bool:
    return obj is None or obj.id == user.id


@rule("users.deactivate")
def _deactivate_user(user: User, obj: Any) -> bool:
    # Nobody locks themselves out: another secretariat member must do it.
    return is_secretariat(user) and (obj is None or obj.id != user.id)


# --- meetings and documents ----------------------------------------------------------------
# A meeting object exposes ``forum_id`` and ``local_date`` (its Brussels date).


@rule("meetings.list")
def _any_role_lists_meetings(user: User, _obj: Any) -> bool:
    """Everyone has a meetings page; what it lists is filtered by ``meeting.view``."""
    return True


@rule("meetings.view")
def _view_meeting(user: User, meeting: Any) -> bool:
    if meeting is None or reads_everything(user):
        return True
    return agency_sat_in(user, meeting.forum_id, meeting.local_date)


@rule("meetings.view_place")
def _view_confidential_place(user: User, meeting: Any) -> bool:
    """A confidential place (a shelter) is shown to the secretariat and full members only."""
    if not _view_meeting(user, meeting):
        return False
    if not meeting.place_confidential or is_secretariat(user):
        return True
    return agency_sat_in(user, meeting.forum_id, meeting.local_date, members_only=True)


@rule("meetings.manage", "meetings.edit", "agenda.edit", "documents.manage")
def _secretariat_edits_meetings(user: User, _obj: Any) -> bool:
    return is_secretariat(user)


@rule("documents.view")
def _view_document(user: User, document: Any) -> bool:
    """A document is visible to whoever may see its meeting."""
    return _view_meeting(user, document.meeting if document is not None else None)


# --- minutes -------------------------------------------------------------------------------
# A minutes object exposes ``status`` ("draft", "approved", "published") and ``meeting``.


@rule("minutes.view")
def _view_minutes(user: User, minutes: Any) -> bool:
    """Drafts and approved minutes: secretariat only. Published: whoever saw the meeting."""
    if is_secretariat(user):
        return True
    if minutes is None:
        return True
    if str(minutes.status) != "published":
        return False
    return _view_meeting(user, minutes.meeting)


@rule("minutes.write", "minutes.approve", "minutes.publish")
def _secretariat_writes_minutes(user: User, _obj: Any) -> bool:
    return is_secretariat(user)


# A follow-up action exposes ``owner_agency_id`` and ``minutes`` (with ``status``).


@rule("followups.update")
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


@rule("measures.view")
def _everyone_reads_the_plan(user: User, _obj: Any) -> bool:
    return True


@rule("measures.manage", "measures.decide", "measures.review_report")
def _secretariat_manages_measures(user: User, _obj: Any) -> bool:
    return is_secretariat(user)


@rule("measures.report")
def _lead_agency_reports(user: User, measure: Any) -> bool:
    """The secretariat, and representatives of the measure's lead agency."""
    if is_secretariat(user):
        return True
    if user.role is not Role.AGENCY_REP or user.agency_id is None:
        return False
    return measure is None or measure.lead_agency_id == user.agency_id


# --- dashboards and exports ----------------------------------------------------------------


@rule("dashboard.view", "briefing.view", "plan.export")
def _plan_readers(user: User, _obj: Any) -> bool:
    """Ministers, the rapporteur and the secretariat."""
    return reads_everything(user)


# --- calendar feeds ------------------------------------------------------------------------


@rule("feeds.own")
def _own_feed(user: User, _obj: Any) -> bool:
    return True


@rule("feeds.revoke_any")
def _revoke_any_feed(user: User, _obj: Any) -> bool:
    return is_secretariat(user)
