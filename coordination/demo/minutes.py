"""Demo minutes for the past demo meetings: text, attendance, decisions and follow-ups.

The meetings come from the meetings loader; this loader looks them up (past, not cancelled)
and writes minutes for those that have none, so running it again changes nothing. Without
meetings it creates nothing. The most recent past meeting gets a draft, the one before it
approved minutes, every earlier one published minutes; one of them also has a correction, in each
language. Texts are in Dutch and French, and in English as the secretariat also writes them.

The texts, with the placeholders filled with figures drawn for each meeting, are in
``data/minutes.toml``. Figures are plausible, in the order of magnitude of the public reports
(MISSION.md); shelter locations never appear, as in real minutes.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coordination.agencies.models import Agency
from coordination.agencies.services import agencies_in_forum_on
from coordination.auth.services import find_user_by_email
from coordination.core.texts import Texts
from coordination.core.time import to_brussels, utcnow
from coordination.db import db
from coordination.demo.content import read_content, texts
from coordination.meetings.models import Meeting, MeetingStatus
from coordination.minutes import attendance, services
from coordination.minutes.circulation import approve_minutes, circulate_minutes
from coordination.minutes.models import FollowUpStatus, Minutes, MinutesStatus, Presence
from coordination.users.models import Role, User

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

SECRETARIAT_EMAIL = "secretariat@demo.coordination.be"


@dataclass(frozen=True)
class Plan:
    """What one meeting's minutes look like; a forum's, with placeholders, in the TOML file."""

    body: Texts
    decisions: list[Texts]
    #: (owner agency code, description, days after the meeting it is due)
    actions: list[tuple[str, Texts, int]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Plan:
        return cls(
            body=texts(row["body"]),
            decisions=[texts(decision) for decision in row["decisions"]],
            actions=[
                (action["owner"], texts(action["description"]), action["due_in_days"])
                for action in row["actions"]
            ],
        )

    def for_meeting(self, values: Mapping[str, object], rng: random.Random) -> Plan:
        """The placeholders filled with ``values``; three of the actions, drawn last."""
        return Plan(
            body=_fill(self.body, values),
            decisions=[_fill(decision, values) for decision in self.decisions],
            actions=[
                (owner, _fill(description, values), due_in)
                for owner, description, due_in in rng.sample(self.actions, k=3)
            ],
        )


def load_minutes(summary: DemoSummary) -> None:
    """Write minutes for past demo meetings that have none (idempotent)."""
    now = utcnow()
    meetings = list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.starts_at < now, Meeting.status != MeetingStatus.CANCELLED)
            .options(joinedload(Meeting.forum), selectinload(Meeting.agenda_items))
            .order_by(Meeting.starts_at)
        )
    )
    if not meetings:
        return
    with_minutes = set(db.session.scalars(select(Minutes.meeting_id)))
    if len(with_minutes) == len(meetings):
        return
    actor = find_user_by_email(SECRETARIAT_EMAIL) or db.session.scalar(
        select(User).where(User.role == Role.SECRETARIAT).order_by(User.id).limit(1)
    )
    agencies = {agency.code: agency for agency in db.session.scalars(select(Agency))}
    next_in_forum = _next_meeting_in_forum(meetings)
    published_count = 0
    for index, meeting in enumerate(meetings):
        if meeting.id in with_minutes:
            continue
        from_end = len(meetings) - 1 - index
        target = (
            MinutesStatus.DRAFT
            if from_end == 0
            else MinutesStatus.APPROVED
            if from_end == 1
            else MinutesStatus.PUBLISHED
        )
        # Seeded per meeting: the same demo text on every machine (not a security use).
        rng = random.Random(meeting.local_date.toordinal() * 7 + meeting.forum_id)  # noqa: S311
        plan = (
            _platform_plan(meeting, rng) if meeting.forum.political else _bureau_plan(meeting, rng)
        )
        minutes = _write(meeting, plan, rng, agencies, actor)
        approved_at = None
        if target is not MinutesStatus.DRAFT:
            approved_at = _circulate_and_approve(minutes, next_in_forum.get(meeting.id), actor, now)
        if target is MinutesStatus.PUBLISHED and approved_at is not None:
            published_at = min(approved_at + timedelta(days=2), now)
            services.publish_minutes(minutes, actor=actor, at=published_at, notify=False)
            _close_old_actions(minutes, rng, now)
            published_count += 1
            if published_count == 3:
                _correct(minutes, actor, published_at + timedelta(days=5))
        summary.count("minutes")


def _circulate_and_approve(
    minutes: Minutes, following: Meeting | None, actor: User | None, now: datetime
) -> datetime | None:
    """As the forums do: the draft circulates three days after the meeting for two weeks of
    comments, and the next meeting approves it; without a next meeting, a written procedure
    closes at the deadline. Returns when the minutes were approved, None while they are still
    out for comments."""
    meeting = minutes.meeting
    circulated_at = min(meeting.starts_at + timedelta(days=3), now)
    until = to_brussels(circulated_at).date() + timedelta(days=14)
    circulate_minutes(minutes, comments_until=until, actor=actor, at=circulated_at, notify=False)
    if following is not None and following.starts_at <= now:
        approve_minutes(minutes, actor=actor, at_meeting=following, at=following.starts_at)
    elif until <= to_brussels(now).date():
        approve_minutes(minutes, actor=actor, written_on=until, at=now)
    else:
        return None
    return minutes.approved_at


def _next_meeting_in_forum(meetings: list[Meeting]) -> dict[int, Meeting]:
    """Meeting id -> the same forum's next meeting (which approves the minutes)."""
    following: dict[int, Meeting] = {}
    last_of_forum: dict[int, Meeting] = {}
    for meeting in meetings:
        previous = last_of_forum.get(meeting.forum_id)
        if previous is not None:
            following[previous.id] = meeting
        last_of_forum[meeting.forum_id] = meeting
    return following


def _write(
    meeting: Meeting,
    plan: Plan,
    rng: random.Random,
    agencies: dict[str, Agency],
    actor: User | None,
) -> Minutes:
    minutes = services.create_minutes(
        meeting, body=plan.body, actor=actor, at=meeting.starts_at + timedelta(days=3)
    )
    sitting = agencies_in_forum_on(meeting.forum_id, meeting.local_date)
    presences: dict[int, Presence | None] = {}
    for agency in sitting:
        roll = rng.random()
        if agency.code == "CU":
            presences[agency.id] = Presence.PRESENT  # the secretariat chairs
        elif roll < 0.08:
            presences[agency.id] = Presence.ABSENT
        elif roll < 0.22:
            presences[agency.id] = Presence.EXCUSED
        else:
            presences[agency.id] = Presence.PRESENT
    attendance.record_attendance(minutes, presences, actor=actor)
    items = list(meeting.agenda_items)
    for number, text in enumerate(plan.decisions):
        item = items[number + 1] if len(items) > number + 1 else None
        services.add_decision(minutes, text=text, agenda_item=item, actor=actor)
    sitting_codes = {agency.code for agency in sitting}
    for code, description, due_in in plan.actions:
        if code not in sitting_codes or code not in agencies:
            continue
        services.add_follow_up(
            minutes,
            description=description,
            owner=agencies[code],
            due_date=meeting.local_date + timedelta(days=due_in),
            actor=actor,
        )
    return minutes


def _close_old_actions(minutes: Minutes, rng: random.Random, now: datetime) -> None:
    """Actions due long ago are done; recent ones are open or in progress."""
    today = now.date()
    for action in minutes.follow_ups:
        if action.due_date is None:
            continue
        if action.due_date < today - timedelta(days=45):
            status = FollowUpStatus.DONE
        elif rng.random() < 0.5:
            status = FollowUpStatus.IN_PROGRESS
        else:
            continue
        closed = datetime.combine(min(action.due_date, today), datetime.min.time(), now.tzinfo)
        services.update_follow_up_status(
            action, status, expected_version=action.version, actor=None, at=closed
        )


@dataclass(frozen=True)
class Correction:
    """How a published text in one language was corrected: ``sentence`` became ``corrected``
    or, if the text lacks it, ``appended`` was added; readers see the change ``note``."""

    sentence: str
    corrected: str
    appended: str
    note: str


def _correct(minutes: Minutes, actor: User | None, at: datetime) -> None:
    """One published text was corrected, in each language written: readers see the change
    note and the differences."""
    for language in ("nl", "fr", "en"):
        text = minutes.body.get(language)
        if not text:
            continue
        correction = CORRECTIONS[language]
        corrected = text.replace(correction.sentence, correction.corrected, 1)
        if corrected == text:
            corrected = text + correction.appended
        services.save_minutes_text(
            minutes,
            language=language,
            body=corrected,
            expected_version=minutes.version,  # read again: each save changes it
            actor=actor,
            change_note=correction.note,
            at=min(at, utcnow()),
            notify=False,
        )


# --- the texts -------------------------------------------------------------------------------


def _season(day: date) -> str:
    return ["winter", "spring", "summer", "autumn"][(day.month % 12) // 3]


def _in_language(values: Mapping[str, object], language: str) -> dict[str, object]:
    """What the placeholders read in ``language``: a ``Texts`` value in it, a figure as is."""
    return {
        name: value.get(language) if isinstance(value, Texts) else value
        for name, value in values.items()
    }


def _fill(template: Texts, values: Mapping[str, object]) -> Texts:
    """``template`` in every language it is written in, its placeholders filled."""
    return Texts(
        **{
            language: text.format_map(_in_language(values, language))
            for language, text in template.as_dict().items()
        }
    )


def _seasonal(day: date) -> dict[str, object]:
    """The placeholders that name the season of ``day``."""
    season = _season(day)
    return {"season": season, "this_season": THIS_SEASON[season]}


_CONTENT = read_content("minutes")
SECTORS = [texts(sector) for sector in _CONTENT["sectors"]]
#: By the English name: the nationality as each language writes it next to "workers".
NATIONALITIES = {name: texts(words) for name, words in _CONTENT["nationalities"].items()}
#: By the English season: "this winter" ... in each language.
THIS_SEASON = {season: texts(words) for season, words in _CONTENT["this_season"].items()}
CORRECTIONS = {language: Correction(**row) for language, row in _CONTENT["corrections"].items()}
BUREAU_MINUTES = Plan.from_row(_CONTENT["bureau"])
#: The bureau's decision when the shelters are more than 90% full.
FULL_SHELTERS = texts(_CONTENT["bureau"]["full_shelters"])
PLATFORM_MINUTES = Plan.from_row(_CONTENT["platform"])


def _bureau_plan(meeting: Meeting, rng: random.Random) -> Plan:
    day = meeting.local_date
    figures = {
        "labour": rng.randint(14, 48),
        "sexual": rng.randint(8, 30),
        "criminality": rng.randint(2, 12),
    }
    referred = figures["referred"] = sum(figures.values())
    figures["recognised"] = rng.randint(referred // 6, referred // 3)
    # ECOSOC inspections since 1 January, at about 240 a year.
    so_far = day.month * 240 // 12
    figures["inspections"] = rng.randint(max(8, so_far - 30), so_far + 30)
    figures["occupancy"] = rng.randint(78, 99)
    sector = rng.choice(SECTORS)
    nationality = NATIONALITIES[rng.choice(list(NATIONALITIES))]
    plan = BUREAU_MINUTES
    if figures["occupancy"] > 90:
        plan = replace(plan, decisions=[*plan.decisions, FULL_SHELTERS])
    values = {**figures, "sector": sector, "nationality": nationality, **_seasonal(day)}
    return plan.for_meeting(values, rng)


def _platform_plan(meeting: Meeting, rng: random.Random) -> Plan:
    sessions = rng.randint(4, 14)
    figures = {
        "sessions": sessions,
        "troops": sessions * rng.randint(25, 60),
        "implemented": rng.randint(20, 45),
        "in_progress": rng.randint(30, 55),
    }
    return PLATFORM_MINUTES.for_meeting({**figures, **_seasonal(meeting.local_date)}, rng)
