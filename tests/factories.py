"""One factory per model: small functions with sensible defaults, flushed, not committed."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, timedelta

from coordination.agencies.models import Agency, AgencyKind, Forum, ForumMembership, MembershipRole
from coordination.auth.passwords import hash_password
from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS
from coordination.db import db
from coordination.meetings.models import AgendaItem, Meeting
from coordination.users.models import Role, User

PASSWORD = "correct horse battery staple 42"
_sequence = itertools.count(1)


def agency(code: str | None = None, kind: AgencyKind = AgencyKind.OTHER, **fields) -> Agency:
    number = next(_sequence)
    code = code or f"AG{number}"
    obj = Agency(
        code=code,
        kind=kind,
        name_nl=fields.pop("name_nl", f"Agentschap {code}"),
        name_fr=fields.pop("name_fr", f"Agence {code}"),
        name_en=fields.pop("name_en", f"Agency {code}"),
        **fields,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def forum(code: str = "bureau", political: bool = False) -> Forum:
    obj = Forum(
        code=code,
        name_nl=f"Forum {code} NL",
        name_fr=f"Forum {code} FR",
        name_en=f"Forum {code}",
        cadence_nl="maandelijks",
        cadence_fr="mensuel",
        cadence_en="monthly",
        political=political,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def membership(
    forum_: Forum,
    agency_: Agency,
    since: date = date(2020, 1, 1),
    until: date | None = None,
    role: MembershipRole = MembershipRole.MEMBER,
) -> ForumMembership:
    obj = ForumMembership(forum=forum_, agency=agency_, since=since, until=until, role=role)
    db.session.add(obj)
    db.session.flush()
    return obj


def user(
    role: Role = Role.AGENCY_REP,
    agency_: Agency | None = None,
    email: str | None = None,
    password: str = PASSWORD,
    **fields,
) -> User:
    number = next(_sequence)
    if agency_ is None and role is not Role.SECRETARIAT:
        agency_ = agency()
    obj = User(
        email=email or f"user{number}@example.org",
        full_name=fields.pop("full_name", f"User {number}"),
        role=role,
        agency=agency_,
        password_hash=hash_password(password),
        **fields,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def world() -> dict:
    """The two forums and a small set of agencies and accounts covering every visibility rule.

    - BOTH sits in the platform and the bureau; BUREAU_ONLY only in the bureau;
      PLATFORM_ONLY only in the platform; OBSERVER observes both (like Myria).
    """
    platform = forum("platform", political=True)
    bureau = forum("bureau")
    both = agency("BOTH")
    bureau_only = agency("BUREAUONLY")
    platform_only = agency("PLATFORMONLY")
    observer = agency("OBSERVER", kind=AgencyKind.RAPPORTEUR)
    cabinet = agency("CABINET", kind=AgencyKind.MINISTRY)
    secretariat_agency = agency("CU", kind=AgencyKind.MINISTRY)
    for f in (platform, bureau):
        membership(f, both)
        membership(f, observer, role=MembershipRole.OBSERVER)
        membership(f, secretariat_agency)
    membership(bureau, bureau_only)
    membership(platform, platform_only)
    membership(platform, cabinet)
    return {
        "platform": platform,
        "bureau": bureau,
        "both": both,
        "bureau_only": bureau_only,
        "platform_only": platform_only,
        "observer": observer,
        "cabinet": cabinet,
        "secretariat": user(Role.SECRETARIAT, secretariat_agency, email="sec@example.org"),
        "rep_both": user(Role.AGENCY_REP, both, email="both@example.org"),
        "rep_bureau": user(Role.AGENCY_REP, bureau_only, email="bureau@example.org"),
        "rep_platform": user(Role.AGENCY_REP, platform_only, email="platform@example.org"),
        "minister": user(Role.MINISTER, cabinet, email="minister@example.org"),
        "rapporteur": user(Role.RAPPORTEUR, observer, email="rapporteur@example.org"),
    }


def meeting(
    forum_: Forum,
    starts_at: datetime | None = None,
    minutes: int = 150,
    **fields,
) -> Meeting:
    """A meeting; ``starts_at`` is aware (default: 14 May 2024, 10:00 in Brussels)."""
    starts_at = starts_at or datetime(2024, 5, 14, 10, 0, tzinfo=BRUSSELS)
    number = next(_sequence)
    obj = Meeting(
        forum=forum_,
        title=Texts.coerce(fields.pop("title", f"{forum_.name_en} meeting {number}")),
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + timedelta(minutes=minutes)),
        local_date=starts_at.astimezone(BRUSSELS).date(),
        uid=fields.pop("uid", f"test-meeting-{number}-{uuid.uuid4().hex[:8]}@coordination.test"),
        place=Texts.coerce(fields.pop("place", "FPS Justice, Boulevard de Waterloo 115, Brussels")),
        **fields,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def agenda_item(meeting_: Meeting, title: Texts | str = "Cases and trends", **fields) -> AgendaItem:
    """An agenda item; a plain ``title`` or ``description`` is the same in every language."""
    position = fields.pop("position", len(meeting_.agenda_items) + 1)
    if "description" in fields:
        fields["description"] = Texts.coerce(fields["description"])
    obj = AgendaItem(meeting=meeting_, title=Texts.coerce(title), position=position, **fields)
    db.session.add(obj)
    db.session.flush()
    return obj
