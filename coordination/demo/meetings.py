"""Demo meetings: both forums' series from 2021 to the end of 2026, with agendas and documents.

The bureau meets on the second Tuesday of every month (10:00-12:30), the platform on the third
Thursday of March and October (14:00-16:30), both at the FPS Justice. Past meetings are held
and have a final agenda; one bureau meeting was cancelled, one moved because of a public
holiday; an extra platform meeting takes place at a shelter whose address is confidential.

The series, the agenda items and the exceptions are in ``data/meetings.toml``. Idempotent: a
series is looked up by forum and title; its meetings, agendas and documents are only created
together with it. No e-mail is written for demo data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import select

from coordination.agencies.models import Agency, Forum
from coordination.core.texts import CONTENT_LANGUAGES, Texts
from coordination.core.time import brussels_to_utc, today_brussels, utcnow
from coordination.db import db
from coordination.demo.content import read_content, texts
from coordination.meetings import services, standing
from coordination.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Meeting,
    MeetingSeries,
    MeetingStatus,
)

if TYPE_CHECKING:
    from coordination.demo import DemoSummary

FIRST_DAY = date(2021, 1, 1)
LAST_DAY = date(2026, 12, 31)


@dataclass(frozen=True)
class DemoSeries:
    """A series of the demo: meetings of two and a half hours at the FPS Justice from
    ``FIRST_DAY`` to ``LAST_DAY``."""

    title: Texts
    rrule: str
    start_time: time
    #: The meeting room at the FPS Justice.
    room: Texts

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DemoSeries:
        return cls(texts(row["title"]), row["rrule"], row["start_time"], texts(row["room"]))


@dataclass(frozen=True)
class DemoItem:
    """An item of a demo agenda."""

    title: Texts
    kind: AgendaItemKind
    #: The presenting agency's code.
    presenter: str
    minutes: int
    #: Markdown.
    description: Texts

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DemoItem:
        return cls(
            title=texts(row["title"]), kind=AgendaItemKind(row["kind"]), presenter=row["presenter"],
            minutes=row["minutes"], description=texts(row.get("description")),
        )  # fmt: skip


def _proposals(proposals: dict[str, Any]) -> list[DemoItem]:
    """The platform's proposals: each its title and presenter, the rest shared."""
    shared = {key: value for key, value in proposals.items() if key != "items"}
    return [DemoItem.from_row({**shared, **row}) for row in proposals["items"]]


_CONTENT = read_content("meetings")
_ITEMS = {name: DemoItem.from_row(row) for name, row in _CONTENT["items"].items()}

PLACE_JUSTICE = texts(_CONTENT["place"])
BUREAU = DemoSeries.from_row(_CONTENT["series"]["bureau"])
PLATFORM = DemoSeries.from_row(_CONTENT["series"]["platform"])

BUREAU_CASES = _ITEMS["cases"]
BUREAU_TOPICS = [DemoItem.from_row(row) for row in _CONTENT["bureau_topics"]]
ECOSOC_2024 = _ITEMS["ecosoc_2024"]
VARIA = _ITEMS["varia"]
PLATFORM_OPENING = _ITEMS["opening"]
PLATFORM_REPORT = _ITEMS["bureau_report"]
PLATFORM_DEFENCE = _ITEMS["defence"]
PLATFORM_MYRIA = _ITEMS["myria"]
PLATFORM_PROPOSALS = _proposals(_CONTENT["proposals"])

CANCELLED_BUREAU: date = _CONTENT["cancelled_bureau"]["day"]
CANCELLED_REASON: str = _CONTENT["cancelled_bureau"]["reason"]
MOVED_BUREAU: date = _CONTENT["moved_bureau"]["day"]
MOVED_TO: date = _CONTENT["moved_bureau"]["moved_to"]
SHELTER_DAY: date = _CONTENT["shelter_visit"]["day"]
SHELTER_TITLE = texts(_CONTENT["shelter_visit"]["title"])
SHELTER_PLACE = texts(_CONTENT["shelter_visit"]["place"])
SHELTER_AGENDA = [PLATFORM_OPENING, _ITEMS["shelter_visit"], _ITEMS["draft_plan"], VARIA]


def _pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF showing ``lines`` (no binary fixtures in the repository)."""
    text = ["BT", "/F1 12 Tf", "72 770 Td", "16 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


class _Agendas:
    """Builds agenda items directly (one flush for hundreds of rows keeps ``demo load`` fast)."""

    def __init__(self) -> None:
        self.agencies = {a.code: a for a in db.session.scalars(select(Agency))}
        self.count = 0

    def add(self, meeting: Meeting, specs: list[DemoItem]) -> list[AgendaItem]:
        items = []
        for position, spec in enumerate(specs, start=1):
            item = AgendaItem(
                meeting=meeting,
                position=position,
                title=spec.title,
                kind=spec.kind,
                presenting_agency=self.agencies.get(spec.presenter),
                duration_minutes=spec.minutes,
                description=spec.description,
                # Any other business closes every agenda: the forums' standing item.
                standing=standing.CLOSING if spec is VARIA else None,
            )
            db.session.add(item)
            items.append(item)
        self.count += len(items)
        return items


def _bureau_agenda(meeting: Meeting, index: int) -> list[DemoItem]:
    topics = [BUREAU_TOPICS[index % len(BUREAU_TOPICS)]]
    if meeting.local_date.year == 2025 and meeting.local_date.month in (2, 3):
        topics.insert(0, ECOSOC_2024)
    # No approval of the previous minutes here: circulating those minutes puts it first.
    return [BUREAU_CASES, *topics, VARIA]


def _platform_agenda(meeting: Meeting, index: int) -> list[DemoItem]:
    proposal = PLATFORM_PROPOSALS[index % len(PLATFORM_PROPOSALS)]
    specs = [PLATFORM_OPENING, PLATFORM_REPORT, proposal]
    if meeting.local_date.month == 10:
        specs.append(PLATFORM_MYRIA)
    if index % 2 == 0:
        specs.append(PLATFORM_DEFENCE)
    specs.append(VARIA)
    return specs


def _close_with_varia(forum: Forum, summary: DemoSummary) -> None:
    """The forum's standing item: the meetings its series adds later close with it too."""
    if standing.standing_items(forum.id):
        return
    standing.add_standing_item(
        forum, title=VARIA.title, duration_minutes=VARIA.minutes, closing=True, actor=None
    )
    summary.count("standing items")


def _series(forum: Forum, title: Texts) -> MeetingSeries | None:
    return db.session.scalar(
        select(MeetingSeries).where(
            MeetingSeries.forum_id == forum.id, MeetingSeries.title == title
        )
    )


def _finish_past(meetings: list[Meeting], now: datetime) -> None:
    """Past meetings took place and their agenda was final a week before."""
    for meeting in meetings:
        if meeting.ends_at < now and meeting.status is MeetingStatus.SCHEDULED:
            meeting.status = MeetingStatus.HELD
            meeting.sequence += 1
        soon = meeting.starts_at - now < timedelta(days=7)
        if soon and meeting.status is not MeetingStatus.CANCELLED and meeting.agenda_items:
            meeting.agenda_final = True
            meeting.agenda_finalised_at = meeting.starts_at - timedelta(days=7)


def _attach(meeting: Meeting, name: str, lines: list[str], item: AgendaItem | None = None) -> None:
    services.store_document(
        meeting,
        stream=io.BytesIO(_pdf(lines)),
        filename=name,
        agenda_item=item,
        actor=None,
        upload_dir=current_app.config["UPLOAD_DIR"],
        max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
    )


def _create_series(forum: Forum, demo: DemoSeries) -> list[Meeting]:
    """The demo series with all its meetings (no e-mail), in date order."""
    today = today_brussels()
    series = services.create_series(
        forum,
        title=demo.title,
        rrule=demo.rrule,
        starts_on=FIRST_DAY,
        ends_on=LAST_DAY,
        start_time=demo.start_time,
        duration_minutes=150,
        place=Texts(
            **{
                language: f"{PLACE_JUSTICE.get(language)} — {demo.room.get(language)}"
                for language in CONTENT_LANGUAGES
            }
        ),
        actor=None,
        today=today,
        # Far enough to reach LAST_DAY, however far it is from today.
        horizon_months=12 + max(0, (LAST_DAY.year - today.year) * 12),
        notify_members=False,
    )
    return sorted(series.meetings, key=lambda m: m.local_date)


def _load_bureau(forum: Forum, summary: DemoSummary, agendas: _Agendas, now: datetime) -> None:
    if _series(forum, BUREAU.title) is not None:
        return
    meetings = _create_series(forum, BUREAU)
    by_day = {m.occurrence_date: m for m in meetings}
    for index, meeting in enumerate(meetings):
        if meeting.occurrence_date != CANCELLED_BUREAU:
            agendas.add(meeting, _bureau_agenda(meeting, index))
    if CANCELLED_BUREAU in by_day:
        services.cancel_meeting(
            by_day[CANCELLED_BUREAU],
            expected_version=None,
            reason=CANCELLED_REASON,
            actor=None,
            now=now,
            notify_members=False,
        )
    if MOVED_BUREAU in by_day:
        services.reschedule_meeting(
            by_day[MOVED_BUREAU],
            expected_version=None,
            starts_at=brussels_to_utc(MOVED_TO, time(10, 0)),
            ends_at=brussels_to_utc(MOVED_TO, time(12, 30)),
            place=by_day[MOVED_BUREAU].place,
            actor=None,
            now=now,
            notify_members=False,
        )
    db.session.flush()
    _finish_past(meetings, now)
    ecosoc = [m for m in meetings if m.local_date.year == 2025 and m.local_date.month == 3]
    if ecosoc:
        item = next((i for i in ecosoc[0].agenda_items if i.title == ECOSOC_2024.title), None)
        _attach(
            ecosoc[0],
            "ECOSOC-inspecties 2024 — resultaten.pdf",
            [
                "RSZ / ONSS - ECOSOC-teams mensenhandel",
                "Resultaten 2024: 240 controles gericht op mensenhandel",
                "Doelstelling actieplan: minstens 100 per jaar",
                "Sectoren: bouw, schoonmaak, horeca, transport",
            ],
            item,
        )
        summary.count("documents")
    upcoming = [m for m in meetings if m.starts_at > now and m.status is MeetingStatus.SCHEDULED]
    if upcoming:
        _attach(
            upcoming[0],
            f"Ontwerpagenda bureau {upcoming[0].local_date:%Y-%m-%d}.pdf",
            [
                "Bureau - ontwerpagenda / projet d'ordre du jour",
                f"Vergadering van {upcoming[0].local_date:%d.%m.%Y}, 10:00-12:30",
                *(f"{i.position}. {i.title.nl}" for i in upcoming[0].agenda_items),
            ],
        )
        summary.count("documents")
    summary.count("meeting series")
    summary.count("meetings", len(meetings))


def _load_platform(forum: Forum, summary: DemoSummary, agendas: _Agendas, now: datetime) -> None:
    if _series(forum, PLATFORM.title) is not None:
        return
    meetings = _create_series(forum, PLATFORM)
    for index, meeting in enumerate(meetings):
        agendas.add(meeting, _platform_agenda(meeting, index))
    shelter = services.schedule_meeting(
        forum,
        title=SHELTER_TITLE,
        starts_at=brussels_to_utc(SHELTER_DAY, time(14, 0)),
        ends_at=brussels_to_utc(SHELTER_DAY, time(16, 30)),
        place=SHELTER_PLACE,
        place_confidential=True,
        actor=None,
        now=now,
        notify_members=False,
    )
    agendas.add(shelter, SHELTER_AGENDA)
    db.session.flush()
    _finish_past([*meetings, shelter], now)
    defence = [
        m
        for m in meetings
        if m.local_date.year == 2024
        and any(i.title == PLATFORM_DEFENCE.title for i in m.agenda_items)
    ]
    if defence:
        item = next(i for i in defence[0].agenda_items if i.title == PLATFORM_DEFENCE.title)
        _attach(
            defence[0],
            "Protocole Défense - Police fédérale (2006) — note de synthèse.pdf",
            [
                "Protocole du 20 mars 2006 entre la Defense et la Police federale",
                "Signalement des indices de traite par les militaires deployes",
                "Sessions d'information par la Police federale avant le depart",
            ],
            item,
        )
        summary.count("documents")
    summary.count("meeting series")
    summary.count("meetings", len(meetings) + 1)


def load_meetings(summary: DemoSummary) -> None:
    """Both series with their meetings, agendas and a few documents (only what is missing)."""
    forums = {f.code: f for f in db.session.scalars(select(Forum))}
    if "bureau" not in forums or "platform" not in forums:
        return
    now = utcnow()
    agendas = _Agendas()
    _load_bureau(forums["bureau"], summary, agendas, now)
    _load_platform(forums["platform"], summary, agendas, now)
    for forum in forums.values():
        _close_with_varia(forum, summary)
    db.session.flush()
    if agendas.count:
        summary.count("agenda items", agendas.count)
