"""Demo agencies and forums: the real Belgian actors and who sits where (MISSION.md).

The agencies, their short names and seats, and the forums are in ``data/structure.toml``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import select

from coordination.agencies.models import (
    Agency,
    AgencyKind,
    Forum,
    ForumMembership,
    MembershipRole,
)
from coordination.core.texts import Texts
from coordination.db import db
from coordination.demo.content import read_content, texts

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

#: The coordination as it was set up for the 2021-2025 action plan.
DEMO_START = date(2021, 1, 1)


class DemoAgency(NamedTuple):
    """An agency of the demo and its seat in each forum (None: it does not sit there)."""

    code: str
    kind: AgencyKind
    name_nl: str
    name_fr: str
    name_en: str
    short_name: Texts
    platform: MembershipRole | None
    bureau: MembershipRole | None
    #: The codes of the agencies under its authority (a minister's cabinet).
    oversees: tuple[str, ...] = ()


def _seat(row: dict[str, Any], forum_code: str) -> MembershipRole | None:
    seat = row.get(forum_code)
    return MembershipRole(seat) if seat else None


def _agency(row: dict[str, Any]) -> DemoAgency:
    return DemoAgency(
        code=row["code"],
        kind=AgencyKind(row["kind"]),
        name_nl=row["name_nl"],
        name_fr=row["name_fr"],
        name_en=row["name_en"],
        short_name=texts(row["short_name"]),
        platform=_seat(row, "platform"),
        bureau=_seat(row, "bureau"),
        oversees=tuple(row.get("oversees", ())),
    )


_CONTENT = read_content("structure")
AGENCIES = [_agency(row) for row in _CONTENT["agencies"]]
#: What readers call each agency, in Dutch, French and English.
SHORT_NAMES = {agency.code: agency.short_name for agency in AGENCIES}
#: Each forum's columns, as ``Forum`` takes them.
FORUMS: list[dict[str, Any]] = _CONTENT["forums"]


def load_agencies_and_forums(summary: DemoSummary) -> None:
    forums = {}
    for spec in FORUMS:
        forum = db.session.scalar(select(Forum).where(Forum.code == spec["code"]))
        if forum is None:
            forum = Forum(**spec)
            db.session.add(forum)
            summary.count("forums")
        forums[spec["code"]] = forum
    db.session.flush()

    for demo in AGENCIES:
        agency = db.session.scalar(select(Agency).where(Agency.code == demo.code))
        if agency is None:
            agency = Agency(
                code=demo.code, kind=demo.kind, name_nl=demo.name_nl, name_fr=demo.name_fr,
                name_en=demo.name_en, short_name=demo.short_name,
            )  # fmt: skip
            db.session.add(agency)
            db.session.flush()
            summary.count("agencies")
        for forum_code, seat in (("platform", demo.platform), ("bureau", demo.bureau)):
            if seat is None:
                continue
            forum = forums[forum_code]
            exists = db.session.scalar(
                select(ForumMembership.id).where(
                    ForumMembership.forum_id == forum.id,
                    ForumMembership.agency_id == agency.id,
                )
            )
            if exists is None:
                db.session.add(
                    ForumMembership(forum=forum, agency=agency, since=DEMO_START, role=seat)
                )
                summary.count("memberships")
    db.session.flush()
    _give_authority(summary)


def _give_authority(summary: DemoSummary) -> None:
    """The cabinets' departments (only for a cabinet that oversees nothing yet)."""
    agencies = {agency.code: agency for agency in db.session.scalars(select(Agency))}
    for demo in AGENCIES:
        authority = agencies.get(demo.code)
        if authority is None or not demo.oversees or authority.overseen:
            continue
        authority.overseen = [agencies[code] for code in demo.oversees if code in agencies]
        summary.count("oversights", len(authority.overseen))
    db.session.flush()
