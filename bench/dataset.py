"""A large, realistic data set on PostgreSQL for the load benchmark (``make bench``).

At scale 1 (the figures of the issue): 200 agencies of every kind, 2,000 users of every role,
both forums with their memberships (and history) over 20 years, the platform twice a year and
the bureau monthly with agendas, and for every past meeting published minutes with attendance,
decisions and follow-up actions; 5 action plans holding 5,000 measures with partners, status
history, 3 indicators each with yearly targets and results, progress reports; a calendar token
for every other user.

At scale N agencies, users and measures are N times as many, and each forum has N series over
the same 20 years (N twice-yearly platform series, N monthly bureau series), so that there are
N times as many meetings and minutes.

The database is dropped, created and migrated with the application's own migrations (``flask
db upgrade``), then every table is filled with PostgreSQL ``COPY`` from rows built here with
the ids already assigned. Each row is checked against the model's table: a column missing from
a row is an error unless it is nullable, so every NOT NULL holds; the CHECK, UNIQUE and
foreign-key constraints are the database's.

Usage: ``python bench/dataset.py --database bench_1x --scale 1 --out bench/work/bench_1x.json``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import secrets
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402 - after the path set-up, like the other bench scripts
from dateutil.rrule import rrulestr  # noqa: E402

from coordination.core.time import BRUSSELS  # noqa: E402
from coordination.db import db  # noqa: E402
from coordination.demo.measures import THEMES  # noqa: E402
from coordination.demo.structure import FORUMS  # noqa: E402

SERVER_URL = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
#: The one password of every generated account (hashed once: scrypt is slow on purpose).
PASSWORD = "bench-coordination-2026"  # noqa: S105 - a throw-away benchmark database
#: The bench secretariat's authenticator key (base32): the load generator computes its codes.
SECOND_FACTOR_KEY = "BENCHCOORDINATIONSECRETARIATAAAA"
YEARS = 20
AGENCIES_PER_SCALE = 200
USERS_PER_AGENCY = 10
MEASURES_PER_SCALE = 5000
INDICATORS_PER_MEASURE = 3
#: Kinds of the generated agencies after the coordination unit and Myria, by weight: police
#: zones, inspectorates and prosecution offices are many, ministries' cabinets a few.
KIND_WEIGHTS = [
    ("police", 30),
    ("inspectorate", 15),
    ("prosecution", 15),
    ("judiciary", 10),
    ("ngo", 10),
    ("immigration", 5),
    ("ministry", 8),
    ("defence", 2),
    ("other", 5),
]
KIND_NAMES = {
    "police": ("Politiezone", "Zone de police", "Police zone"),
    "inspectorate": ("Sociale inspectie", "Inspection sociale", "Social inspection"),
    "prosecution": ("Parket", "Parquet", "Public prosecutor's office"),
    "judiciary": ("Rechtbank", "Tribunal", "Court"),
    "ngo": ("Opvangcentrum", "Centre d'accueil", "Shelter"),
    "immigration": ("Dienst Vreemdelingenzaken", "Office des étrangers", "Immigration office"),
    "ministry": ("Kabinet", "Cabinet", "Cabinet"),
    "defence": ("Defensie", "Défense", "Defence"),
    "other": ("Dienst", "Service", "Service"),
}
AGENDA_TITLES = [
    "Goedkeuring van het verslag / Approbation du procès-verbal",
    "Cas et tendances : exploitation économique dans la construction",
    "Opvolging van de ECOSOC-teams en de gezamenlijke controles",
    "Protection des victimes : places d'accueil dans les centres spécialisés",
    "Stand van de maatregelen van het nationaal actieplan",
    "Rapport annuel de Myria : recommandations et suites",
]
MINUTES_BODY = """## Aanwezigheden en goedkeuring van de agenda

De voorzitter opent de vergadering. De agenda wordt goedgekeurd.

## Cas et tendances

La police fédérale présente les dossiers récents d'exploitation économique dans la
construction et le nettoyage. Les équipes ECOSOC de l'ONSS signalent **{cases}** contrôles
conjoints depuis la dernière réunion, dont plusieurs ont permis d'identifier des victimes.

- Les parquets confirment l'ouverture de nouvelles enquêtes.
- Les centres spécialisés (Payoke, Pag-asa, Sürya) demandent des places supplémentaires.

## Follow-up of the action plan

The coordination unit reports on the measures of the current plan; late measures are
discussed with their lead agencies. See the dashboard for the figures.
"""


@dataclass
class Dataset:
    """Rows per table (each row a dict keyed by column name), plus what the bench needs."""

    scale: int
    today: date
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, Any]) -> int:
        """Append a row with the next id of its table; returns that id."""
        rows = self.rows.setdefault(table, [])
        row.setdefault("id", len(rows) + 1)
        rows.append(row)
        return row["id"]

    def add_link(self, table: str, row: dict[str, Any]) -> None:
        """Append a row of an association table (no id)."""
        self.rows.setdefault(table, []).append(row)


def utc(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# --- agencies, forums, users ----------------------------------------------------------------


def weighted_kinds(count: int) -> list[str]:
    """``count`` agency kinds in the proportions of ``KIND_WEIGHTS``, interleaved."""
    pattern = [kind for kind, weight in KIND_WEIGHTS for _ in range(weight)]
    random.Random(7).shuffle(pattern)
    return [pattern[number % len(pattern)] for number in range(count)]


def add_agencies(data: Dataset) -> None:
    count = AGENCIES_PER_SCALE * data.scale
    first = [
        (
            "CU",
            "ministry",
            (
                "Coördinatiecel, FOD Justitie",
                "Cellule de coordination, SPF Justice",
                "Coordination unit, FPS Justice",
            ),
        ),
        (
            "MYRIA",
            "rapporteur",
            (
                "Myria (onafhankelijk rapporteur)",
                "Myria (rapporteur indépendant)",
                "Myria (independent rapporteur)",
            ),
        ),
    ]
    kinds = weighted_kinds(count - len(first))
    for code, kind, names in first:
        data.add("agencies", agency_row(code, kind, names))
    for number, kind in enumerate(kinds, start=1):
        nl, fr, en = KIND_NAMES[kind]
        names = (f"{nl} {number}", f"{fr} {number}", f"{en} {number}")
        data.add("agencies", agency_row(f"{kind.upper()[:5]}-{number:05d}", kind, names))


def agency_row(code: str, kind: str, names: tuple[str, str, str]) -> dict[str, Any]:
    nl, fr, en = names
    return {
        "code": code,
        "kind": kind,
        "name_nl": nl,
        "name_fr": fr,
        "name_en": en,
        "active": True,
        "version": 1,
    }


def add_forums(data: Dataset) -> None:
    """The two forums, exactly as the demo data defines them."""
    for spec in FORUMS:
        data.facts[f"{spec['code']}_id"] = data.add("forums", {**spec, "version": 1})


def add_memberships(data: Dataset) -> None:
    """Every ministry in the platform, a third of the others in the bureau, Myria observing.

    One member in five left at some point and one in five joined late, so that the history
    (what an agency may read depends on the meeting date) is exercised.
    """
    first_day = data.facts["first_day"]
    for agency in data.rows["agencies"]:
        number = agency["id"]
        forums = []
        if agency["kind"] in ("ministry", "police", "prosecution") and number % 3 == 0:
            forums.append(data.facts["platform_id"])
        if agency["kind"] == "ministry" and number % 3 != 0:
            forums.append(data.facts["platform_id"])
        if number % 3 == 1 or agency["code"] in ("CU", "MYRIA"):
            forums.append(data.facts["bureau_id"])
        if agency["code"] in ("CU", "MYRIA"):
            forums = [data.facts["platform_id"], data.facts["bureau_id"]]
        for forum_id in forums:
            since = first_day + timedelta(days=(number % 5 == 2) * 365 * (number % 15))
            until = since + timedelta(days=365 * 4 + number % 300) if number % 5 == 4 else None
            role = "observer" if agency["code"] == "MYRIA" else "member"
            data.add(
                "forum_memberships",
                {
                    "forum_id": forum_id,
                    "agency_id": number,
                    "role": role,
                    "since": since,
                    "until": until,
                },
            )


def role_of(agency: dict[str, Any]) -> str:
    if agency["code"] == "CU":
        return "secretariat"
    if agency["kind"] == "ministry":
        return "minister"
    if agency["kind"] == "rapporteur":
        return "rapporteur"
    return "agency_rep"


def add_users(data: Dataset, password_hash: str) -> None:
    created = utc(data.facts["first_day"])
    for agency in data.rows["agencies"]:
        role = role_of(agency)
        for seat in range(USERS_PER_AGENCY):
            user_id = len(data.rows.get("users", [])) + 1
            data.add(
                "users",
                {
                    "email": f"user{user_id}@{agency['code'].lower()}.bench.example",
                    "full_name": f"Gebruiker {user_id} Utilisateur",
                    "role": role,
                    "agency_id": agency["id"],
                    "password_hash": password_hash,
                    "active": seat != 9,
                    "locale": ("nl", "fr", "en", None)[user_id % 4],
                    "created_at": created,
                    "last_login_at": None,
                    "version": 1,
                },
            )
    data.facts["secretariat_email"] = data.rows["users"][0]["email"]
    data.facts["secretariat_id"] = data.rows["users"][0]["id"]
    # The secretariat signs in in two steps: the bench user's authenticator app, its key known.
    data.add_link(
        "second_factors",
        {
            "user_id": data.facts["secretariat_id"],
            "secret": SECOND_FACTOR_KEY,
            "created_at": datetime(2020, 1, 1, tzinfo=UTC),
            "confirmed_at": datetime(2020, 1, 1, tzinfo=UTC),
            "last_used_step": None,
        },
    )


#: The roles of the mixed load (``bench/load.py``), each signed in as one user of the data set.
ROLES = ("secretariat", "agency_rep", "minister", "rapporteur")


def pick_role_users(data: Dataset) -> None:
    """One active user of each role for the mixed load: the bench secretariat (the only role
    the application makes sign in with a second factor), the first minister, Myria's first
    user, and the first representative of an agency that has sat in the bureau as a full member
    for a year at least and is not leaving it (so it sat in the bureau's last held meeting,
    whose page and minutes the bench reads)."""
    bureau, year_ago = data.facts["bureau_id"], data.today - timedelta(days=365)
    in_bureau = {
        m["agency_id"]
        for m in data.rows["forum_memberships"]
        if m["forum_id"] == bureau
        and m["role"] == "member"
        and m["since"] <= year_ago
        and m["until"] is None
    }
    users = data.rows["users"]
    agencies = {agency["id"]: agency for agency in data.rows["agencies"]}
    chosen = {"secretariat": data.facts["secretariat_id"]}
    for role in ROLES[1:]:
        chosen[role] = next(
            user["id"]
            for user in users
            if user["role"] == role
            and user["active"]
            and (role != "agency_rep" or user["agency_id"] in in_bureau)
        )
    data.facts["role_users"] = chosen
    data.facts["role_agencies"] = {
        role: agencies[users[user_id - 1]["agency_id"]]["code"] for role, user_id in chosen.items()
    }


def feed_token_of(data: Dataset, user_id: int) -> str:
    """The calendar token the generator gives a user: a real one (the app refuses anything not
    shaped like the tokens it issues) for the users the bench reads feeds as, a placeholder
    for the others (their hashes only fill the table)."""
    return data.facts["known_tokens"].get(user_id, f"t{user_id}")


def add_feed_tokens(data: Dataset) -> None:
    """A token for every other user and for the mixed load's users; the bench user's token is
    kept to fetch its feed."""
    keep = set(data.facts["role_users"].values())
    data.facts["known_tokens"] = {user_id: secrets.token_urlsafe(32) for user_id in keep}
    data.facts["feed_token"] = data.facts["known_tokens"][data.facts["secretariat_id"]]
    for user in data.rows["users"]:
        if user["id"] % 2 and user["id"] not in keep:
            continue
        token = feed_token_of(data, user["id"])
        data.add(
            "feed_tokens",
            {
                "user_id": user["id"],
                "token_hash": hashlib.sha256(token.encode()).hexdigest(),
                "created_at": user["created_at"],
                "last_used_at": None,
            },
        )


# --- meetings and minutes -------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesSpec:
    forum_key: str
    title: str
    rrule: str
    start: clock
    minutes: int


def series_specs(scale: int) -> list[SeriesSpec]:
    """Per forum, ``scale`` series; the extra ones on other weekdays (same cadence)."""
    specs = []
    for number in range(scale):
        suffix = f" ({number + 1})" if number else ""
        specs.append(
            SeriesSpec(
                "platform_id",
                f"Coordination platform{suffix}",
                f"FREQ=MONTHLY;BYMONTH=3,10;BYDAY=+3{('TH', 'WE', 'TU', 'MO', 'FR')[number % 5]}",
                clock(14, 0) if number < 5 else clock(9, 30),
                180,
            )
        )
        specs.append(
            SeriesSpec(
                "bureau_id",
                f"Bureau{suffix}",
                f"FREQ=MONTHLY;BYDAY=+{1 + number % 4}{('TU', 'TH')[number // 4 % 2]}",
                clock(10, 0) if number < 8 else clock(14, 30),
                150,
            )
        )
    return specs


def add_meetings(data: Dataset) -> None:
    """Materialise every series like ``meetings extend`` does, a year ahead of today."""
    first_day, horizon = data.facts["first_day"], data.today + timedelta(days=365)
    created = utc(first_day - timedelta(days=30))
    for spec in series_specs(data.scale):
        forum_id = data.facts[spec.forum_key]
        series_id = data.add(
            "meeting_series",
            {
                "forum_id": forum_id,
                "title_nl": spec.title,
                "rrule": spec.rrule,
                "starts_on": first_day,
                "ends_on": None,
                "start_time": spec.start,
                "duration_minutes": spec.minutes,
                "place_fr": "SPF Justice, boulevard de Waterloo 115, 1000 Bruxelles",
                "place_confidential": False,
                "online_url": None,
                "materialised_until": horizon,
                "active": True,
                "created_at": created,
                "version": 1,
            },
        )
        dtstart = datetime.combine(first_day, spec.start)
        until = datetime.combine(horizon, spec.start)
        for local in rrulestr(spec.rrule, dtstart=dtstart).between(dtstart, until, inc=True):
            add_meeting(data, spec, forum_id, series_id, local)


def add_meeting(data: Dataset, spec: SeriesSpec, forum_id: int, series_id: int, local) -> None:
    starts = local.replace(tzinfo=BRUSSELS).astimezone(UTC)
    day = local.date()
    meeting_number = len(data.rows.get("meetings", [])) + 1
    past = day < data.today
    cancelled = past and meeting_number % 29 == 0
    status = "cancelled" if cancelled else ("held" if past else "scheduled")
    meeting_id = data.add(
        "meetings",
        {
            "forum_id": forum_id,
            "series_id": series_id,
            "occurrence_date": day,
            "title_nl": spec.title,
            "starts_at": starts,
            "ends_at": starts + timedelta(minutes=spec.minutes),
            "local_date": day,
            "place_fr": "SPF Justice, boulevard de Waterloo 115, 1000 Bruxelles",
            "place_confidential": meeting_number % 11 == 0,
            "online_url": None,
            "status": status,
            "cancellation_reason": "Geen quorum / pas de quorum" if cancelled else None,
            "uid": f"bench-{meeting_number}@coordination.bench.example",
            "sequence": 1 if cancelled else 0,
            "detached": False,
            "agenda_final": past,
            "agenda_finalised_at": starts - timedelta(days=7) if past else None,
            "created_at": utc(day - timedelta(days=60)),
            "updated_at": utc(day - timedelta(days=7)),
            "calendar_changed_at": utc(day - timedelta(days=7)),
            "version": 1,
        },
    )
    item_ids = add_agenda(data, meeting_id, meeting_number, starts)
    if status == "held":
        add_minutes(data, meeting_id, forum_id, day, starts, item_ids)


def add_agenda(data: Dataset, meeting_id: int, number: int, starts: datetime) -> list[int]:
    agencies = data.rows["agencies"]
    item_ids = []
    for position in range(1, 4 + number % 3):
        item_ids.append(
            data.add(
                "agenda_items",
                {
                    "meeting_id": meeting_id,
                    "position": position,
                    "title_nl": AGENDA_TITLES[(number + position) % len(AGENDA_TITLES)],
                    "kind": ("information", "discussion", "decision")[position % 3],
                    "presenting_agency_id": agencies[(number * 7 + position) % len(agencies)]["id"],
                    "duration_minutes": 15 + 15 * (position % 3),
                    "description_nl": "Toelichting door de instantie; **documenten** in bijlage.",
                    "description_fr": "Présentation par l'organisme ; **documents** en annexe.",
                    "measure_id": None,
                    "created_at": starts - timedelta(days=30),
                    "version": 1,
                },
            )
        )
    return item_ids


def members_on(data: Dataset, forum_id: int, day: date) -> list[int]:
    by_forum = data.facts.setdefault("_members", {})
    if forum_id not in by_forum:
        by_forum[forum_id] = [
            (m["agency_id"], m["since"], m["until"])
            for m in data.rows["forum_memberships"]
            if m["forum_id"] == forum_id
        ]
    return [
        agency_id
        for agency_id, since, until in by_forum[forum_id]
        if since <= day and (until is None or day <= until)
    ]


def add_minutes(data, meeting_id, forum_id, day, starts, item_ids) -> None:
    """Published minutes (one in twenty corrected once) with attendance, decisions, actions."""
    author = data.facts["secretariat_id"]
    published = starts + timedelta(days=21)
    body = MINUTES_BODY.format(cases=meeting_id % 40 + 3)
    minutes_id = data.add(
        "minutes",
        {
            "meeting_id": meeting_id,
            "status": "published",
            "body_nl": body,
            "approved_by_id": author,
            "approved_at": published - timedelta(days=1),
            "published_by_id": author,
            "published_at": published,
            "created_by_id": author,
            "created_at": starts + timedelta(days=2),
            "updated_at": published,
            "version": 3,
        },
    )
    revisions = 2 if minutes_id % 20 == 0 else 1
    for number in range(1, revisions + 1):
        at = published + timedelta(days=10 * (number - 1))
        data.add(
            "minutes_revisions",
            {
                "minutes_id": minutes_id,
                "number": number,
                "language": "nl",
                "body": body,
                "author_id": author,
                "created_at": at,
                "change_note": "Correctie / correction" if number > 1 else None,
                "published": True,
                "published_at": at,
            },
        )
    members = members_on(data, forum_id, day)
    for index, agency_id in enumerate(members):
        presence = ("present", "present", "present", "excused", "absent")[(index + day.month) % 5]
        data.add(
            "minutes_attendance",
            {"minutes_id": minutes_id, "agency_id": agency_id, "presence": presence},
        )
    for position, item_id in enumerate(item_ids[:2], start=1):
        data.add(
            "minutes_decisions",
            {
                "minutes_id": minutes_id,
                "position": position,
                "agenda_item_id": item_id,
                "text_nl": "Het bureau keurt het voorstel goed.",
                "text_fr": "Le bureau approuve la proposition.",
            },
        )
    done = day < data.today - timedelta(days=365)
    for index in range(2):
        data.add(
            "follow_up_actions",
            {
                "minutes_id": minutes_id,
                "owner_agency_id": members[index % len(members)],
                "description_nl": "Cijfers van de gezamenlijke controles bezorgen.",
                "description_fr": "Transmettre les chiffres des contrôles conjoints.",
                "due_date": day + timedelta(days=60),
                "status": "done" if done else "open",
                "closed_at": utc(day + timedelta(days=50)) if done else None,
                "created_at": published,
                "updated_at": published,
                "version": 1,
            },
        )


# --- the action plans -----------------------------------------------------------------------


def plan_periods(today: date) -> list[tuple[int, int]]:
    """Five plans back to back over the 20 years; the last one is open."""
    last_start = today.year - 1
    return [(last_start - 5 * back, last_start - 5 * back + 4) for back in range(4, -1, -1)]


def add_plans(data: Dataset) -> None:
    created = utc(data.facts["first_day"])
    for start, end in plan_periods(data.today):
        open_plan = end >= data.today.year
        plan_id = data.add(
            "action_plans",
            {
                "code": f"NAP-{start}-{end}",
                "title_nl": f"Nationaal actieplan {start}-{end}",
                "title_fr": f"Plan d'action national {start}-{end}",
                "title_en": f"National action plan {start}-{end}",
                "start_year": start,
                "end_year": end,
                "status": "open" if open_plan else "closed",
                "created_at": created,
                "version": 1,
            },
        )
        theme_ids = [
            data.add(
                "themes",
                {
                    "plan_id": plan_id,
                    "position": position,
                    "name_nl": nl,
                    "name_fr": fr,
                    "name_en": en,
                },
            )
            for position, (nl, fr, en) in enumerate(THEMES, start=1)
        ]
        data.facts.setdefault("plans", []).append((plan_id, start, end, theme_ids))


#: Status histories ending in each final status (after the creation as "proposed").
HISTORIES = {
    "proposed": [],
    "rejected": ["rejected"],
    "adopted": ["adopted"],
    "in_progress": ["adopted", "in_progress"],
    "postponed": ["adopted", "in_progress", "postponed"],
    "implemented": ["adopted", "in_progress", "implemented"],
    "withdrawn": ["adopted", "withdrawn"],
}
CLOSED_PLAN_STATUSES = ["implemented"] * 6 + ["withdrawn", "rejected", "in_progress", "postponed"]
OPEN_PLAN_STATUSES = [
    "proposed",
    "adopted",
    "in_progress",
    "in_progress",
    "postponed",
    "implemented",
    "withdrawn",
    "rejected",
]


def platform_meetings_by_year(data: Dataset) -> dict[int, list[int]]:
    held: dict[int, list[int]] = {}
    for meeting in data.rows["meetings"]:
        if meeting["forum_id"] == data.facts["platform_id"] and meeting["status"] == "held":
            held.setdefault(meeting["local_date"].year, []).append(meeting["id"])
    return held


def add_measures(data: Dataset) -> None:
    per_plan = MEASURES_PER_SCALE * data.scale // len(data.facts["plans"])
    leads = [a["id"] for a in data.rows["agencies"] if a["kind"] not in ("ministry", "rapporteur")]
    platform_held = platform_meetings_by_year(data)
    for plan_id, start, end, theme_ids in data.facts["plans"]:
        statuses = OPEN_PLAN_STATUSES if end >= data.today.year else CLOSED_PLAN_STATUSES
        adoption_meetings = platform_held.get(start, []) or platform_held[max(platform_held)]
        for number in range(1, per_plan + 1):
            theme_position = 1 + number % len(theme_ids)
            status = statuses[number % len(statuses)]
            lead = leads[(number * 13 + plan_id) % len(leads)]
            created = utc(date(start, 1, 10))
            measure_id = data.add(
                "measures",
                {
                    "plan_id": plan_id,
                    "theme_id": theme_ids[theme_position - 1],
                    "code": f"{theme_position}.{number}",
                    "title_nl": f"Maatregel {number}: gezamenlijke controles en opvang",
                    "title_fr": f"Mesure {number} : contrôles conjoints et accueil",
                    "description_nl": "De trekkende instantie *rapporteert*; zie de indicatoren.",
                    "description_fr": "L'organisme pilote *fait rapport* ; voir les indicateurs.",
                    "lead_agency_id": lead,
                    "deadline": date(start + number % (end - start + 1), 12, 31),
                    "status": status,
                    "carried_over_from_id": None,
                    "created_at": created,
                    "updated_at": created,
                    "version": 1 + len(HISTORIES[status]),
                },
            )
            for partner in sorted({leads[(number * 17 + k) % len(leads)] for k in (1, 2)} - {lead}):
                data.add_link("measure_partners", {"measure_id": measure_id, "agency_id": partner})
            meeting_id = adoption_meetings[number % len(adoption_meetings)]
            add_transitions(data, measure_id, status, created, meeting_id)
            if status != "proposed" and status != "rejected":
                add_indicators(data, measure_id, lead, start, end, status)


def add_transitions(data, measure_id, status, created, meeting_id) -> None:
    author = data.facts["secretariat_id"]
    previous = None
    steps = ["proposed", *HISTORIES[status]]
    for index, step in enumerate(steps):
        at = created + timedelta(days=60 * index)
        decided_at_platform = step in ("adopted", "rejected")
        data.add(
            "measure_transitions",
            {
                "measure_id": measure_id,
                "from_status": previous,
                "to_status": step,
                "at": at,
                "by_id": author,
                "note": "Beslissing van het platform" if decided_at_platform else "",
                "meeting_id": meeting_id if decided_at_platform else None,
            },
        )
        previous = step


def add_indicators(data, measure_id, lead, start, end, status) -> None:
    """Indicators with a target every plan year; accepted reports and results for past years."""
    reports = {}
    if status in ("in_progress", "postponed", "implemented"):
        for year in range(start, min(end, data.today.year - 1) + 1):
            submitted = utc(date(year + 1, 2, 15))
            reports[year] = data.add(
                "progress_reports",
                {
                    "measure_id": measure_id,
                    "agency_id": lead,
                    "author_id": None,
                    "year": year,
                    "text": "Voortgang volgens plan. *Progrès conforme au plan.*",
                    "status": "accepted",
                    "submitted_at": submitted,
                    "reviewer_comment": None,
                    "reviewed_by_id": data.facts["secretariat_id"],
                    "reviewed_at": submitted + timedelta(days=14),
                    "version": 2,
                },
            )
    for position in range(1, INDICATORS_PER_MEASURE + 1):
        indicator_id = data.add(
            "indicators",
            {
                "measure_id": measure_id,
                "position": position,
                "name_nl": (
                    "Gezamenlijke controles",
                    "Geïdentificeerde slachtoffers",
                    "Doorlooptijd van de dossiers",
                )[position - 1],
                "unit": ("controles", "slachtoffers", "dagen")[position - 1],
                "direction": "less_is_better" if position == 3 else "more_is_better",
                "baseline_value": Decimal(40 + measure_id % 60) if position == 1 else None,
                "baseline_year": start - 1 if position == 1 else None,
                "version": 1,
            },
        )
        for year in range(start, end + 1):
            target = Decimal(100 + 10 * (year - start))
            data.add(
                "indicator_targets", {"indicator_id": indicator_id, "year": year, "target": target}
            )
            if year in reports and indicator_id % 7:
                data.add(
                    "indicator_values",
                    {
                        "indicator_id": indicator_id,
                        "year": year,
                        "value": Decimal((indicator_id * 7 + year) % 200),
                        "source": f"Jaarverslag {year}",
                        "reported_by_id": None,
                        "reported_at": utc(date(year + 1, 2, 15)),
                        "report_id": reports[year],
                    },
                )


# --- building and loading -------------------------------------------------------------------


def build(scale: int, today: date, password_hash: str) -> Dataset:
    data = Dataset(scale=scale, today=today)
    data.facts["first_day"] = date(today.year - YEARS + 1, 1, 1)
    add_agencies(data)
    add_forums(data)
    add_memberships(data)
    add_users(data, password_hash)
    pick_role_users(data)
    add_feed_tokens(data)
    add_meetings(data)
    add_plans(data)
    add_measures(data)
    return data


def recreate_database(name: str) -> None:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def migrate(name: str) -> None:
    """Create the schema with the application's own migrations, as production does."""
    env = dict(os.environ, COORDINATION_DATABASE_URL=sqlalchemy_url(name))
    flask = Path(sys.executable).with_name("flask")
    subprocess.run(
        [str(flask), "--app", "coordination", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def sqlalchemy_url(name: str) -> str:
    return SERVER_URL.replace("postgresql://", "postgresql+psycopg://", 1) + f"/{name}"


def ordered_rows(table_name: str, rows: list[dict[str, Any]]) -> Iterator[tuple]:
    """Rows as tuples in the table's column order. A NOT NULL column a row leaves out takes the
    model's default (a column added since the generator was written: its default is what the
    migration gave existing rows); without one it is an error."""
    table = db.metadata.tables[table_name]
    defaults = {
        column.name: column.default.arg(None) if column.default.is_callable else column.default.arg
        for column in table.columns
        if column.default is not None and not column.default.is_sequence
        and not getattr(column.default, "is_clause_element", False)
    }  # fmt: skip
    required = {c.name for c in table.columns if not c.nullable} - defaults.keys()
    for row in rows:
        missing = required - row.keys()
        unknown = row.keys() - set(table.columns.keys())
        if missing or unknown:
            raise ValueError(f"{table_name}: missing {missing}, unknown {unknown}")
        yield tuple(
            row[column.name] if column.name in row else defaults.get(column.name)
            for column in table.columns
        )


def copy_table(connection: psycopg.Connection, table_name: str, rows: Iterable[tuple]) -> None:
    columns = ", ".join(f'"{c.name}"' for c in db.metadata.tables[table_name].columns)
    statement = f'COPY "{table_name}" ({columns}) FROM STDIN'
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def load(name: str, data: Dataset) -> None:
    """COPY every table in foreign-key order, then move the id sequences past the rows."""
    with psycopg.connect(f"{SERVER_URL}/{name}") as connection:
        for table in db.metadata.sorted_tables:
            rows = data.rows.get(table.name)
            if rows:
                copy_table(connection, table.name, ordered_rows(table.name, rows))
                if "id" in table.columns:
                    connection.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f'(SELECT max(id) FROM "{table.name}"))'
                    )
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")


def fill_search_index(name: str) -> int:
    """Write the search index from the rows COPY put in (COPY bypasses the session event that
    keeps it current), as ``flask search reindex`` does; then VACUUM ANALYZE it, as autovacuum
    would soon after: the GIN index's pending list, which a bulk insert fills, is merged into the
    index (searching the list is slow). Its row count."""
    from coordination import create_app
    from coordination.db import db
    from coordination.search.index import rebuild_index

    app = create_app({"DATABASE_URL": sqlalchemy_url(name), "SECRET_KEY": "x" * 32})
    with app.app_context():
        written = rebuild_index()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    with psycopg.connect(f"{SERVER_URL}/{name}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE search_entries")
    return written


def password_hash() -> str:
    """One scrypt hash (the production method) shared by every account."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD, method="scrypt")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()
    import coordination  # noqa: F401 - registers every model's table on db.metadata
    from coordination import create_app

    create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 32})
    started = time.perf_counter()
    recreate_database(options.database)
    migrate(options.database)
    migrated = time.perf_counter()
    data = build(options.scale, datetime.now(BRUSSELS).date(), password_hash())
    built = time.perf_counter()
    load(options.database, data)
    loaded = time.perf_counter()
    indexed_rows = fill_search_index(options.database)
    indexed = time.perf_counter()
    summary = {
        "database": options.database,
        "scale": options.scale,
        "database_url": sqlalchemy_url(options.database),
        "email": data.facts["secretariat_email"],
        "password": PASSWORD,
        "feed_token": data.facts["feed_token"],
        "second_factor_key": SECOND_FACTOR_KEY,
        "rows": {
            **{table: len(rows) for table, rows in sorted(data.rows.items())},
            "search_entries": indexed_rows,
        },
        "seconds": {
            "create_and_migrate": round(migrated - started, 1),
            "build_rows": round(built - migrated, 1),
            "copy_and_analyze": round(loaded - built, 1),
            "search_index": round(indexed - loaded, 1),
            "total": round(indexed - started, 1),
        },
        "meeting_id": latest_held_meeting(data),
        "minutes_id": minutes_of(data, latest_held_meeting(data)),
        "series_per_forum": options.scale,
        "accounts": role_accounts(data),
    }
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(summary, indent=2))
    print(
        f"{options.database}: {sum(summary['rows'].values()):,} rows in "
        f"{summary['seconds']['total']} s"
    )


def latest_held_meeting(data: Dataset) -> int:
    """The bureau's last held meeting: the meeting page the bench reads."""
    held = [
        m
        for m in data.rows["meetings"]
        if m["status"] == "held" and m["forum_id"] == data.facts["bureau_id"]
    ]
    return max(held, key=lambda m: m["starts_at"])["id"]


def role_accounts(data: Dataset) -> dict[str, dict[str, Any]]:
    """How the mixed load signs in as each role: the same keys as the summary's own
    ``email``/``password``/``second_factor_key`` (the bench secretariat)."""
    meeting = data.rows["meetings"][latest_held_meeting(data) - 1]
    accounts = {}
    for role, user_id in data.facts["role_users"].items():
        user = data.rows["users"][user_id - 1]
        if role == "agency_rep" and user["agency_id"] not in members_on(
            data, meeting["forum_id"], meeting["local_date"]
        ):
            raise RuntimeError("the agency representative's agency missed the bench meeting")
        accounts[role] = {
            "email": user["email"],
            "password": PASSWORD,
            "second_factor_key": SECOND_FACTOR_KEY if role == "secretariat" else None,
            "feed_token": feed_token_of(data, user_id),
            "agency": data.facts["role_agencies"][role],
        }
    return accounts


def minutes_of(data: Dataset, meeting_id: int) -> int:
    """The published minutes of a meeting: the minutes page the bench reads."""
    return next(m["id"] for m in data.rows["minutes"] if m["meeting_id"] == meeting_id)


if __name__ == "__main__":
    main()
