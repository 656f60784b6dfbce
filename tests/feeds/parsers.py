"""Four independent iCalendar parsers, and a check that they read a feed the same way.

- icalendar (Python; reads TZID names through zoneinfo),
- vobject (Python; builds the time zone from the feed's own VTIMEZONE with dateutil),
- ical.js (JavaScript, the parser of Thunderbird; run with node, VTIMEZONE from the feed),
- libical (C, the library of Evolution; run by the system's Python through GObject
  introspection, VTIMEZONE from the feed), which also checks RFC 5546's restrictions.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import vobject

ROOT = Path(__file__).resolve().parents[2]
NODE_SCRIPT = Path(__file__).with_name("parse_ical.mjs")
LIBICAL_SCRIPT = Path(__file__).with_name("parse_libical.py")
#: The system's Python, which has ``gi`` and libical's bindings (tools/system-deps.sh).
SYSTEM_PYTHON = "/usr/bin/python3"


@dataclass(frozen=True)
class ParsedEvent:
    uid: str
    summary: str
    status: str
    sequence: int
    start: datetime
    end: datetime
    location: str | None
    description: str | None
    url: str | None
    categories: tuple[str, ...]


def _utc(value: datetime) -> datetime:
    assert value.tzinfo is not None, "a floating time: the client would guess the zone"
    return value.astimezone(UTC)


def parse_with_icalendar(data: bytes) -> list[ParsedEvent]:
    calendar = icalendar.Calendar.from_ical(data)
    events = []
    for event in calendar.walk("VEVENT"):
        categories = event.get("categories")
        cats = tuple(str(c) for c in categories.cats) if categories is not None else ()
        events.append(
            ParsedEvent(
                uid=str(event["uid"]),
                summary=str(event["summary"]),
                status=str(event["status"]),
                sequence=int(event["sequence"]),
                start=_utc(event.start),
                end=_utc(event.end),
                location=str(event["location"]) if "location" in event else None,
                description=str(event["description"]) if "description" in event else None,
                url=str(event["url"]) if "url" in event else None,
                categories=cats,
            )
        )
    return events


def parse_with_vobject(data: bytes) -> list[ParsedEvent]:
    # vobject keeps every VTIMEZONE it has read in a process-wide map and prefers it to the
    # one in the next calendar: a feed whose Europe/Brussels covers only 2026's switches would
    # then misread another feed's 2025 dates. Each feed is read with its own definitions, as a
    # calendar application reads it.
    getattr(vobject.icalendar, "__tzidMap").clear()
    calendar = vobject.readOne(data.decode("utf-8"))
    events = []
    for event in getattr(calendar, "vevent_list", []):
        contents = event.contents
        categories: tuple[str, ...] = ()
        if "categories" in contents:
            categories = tuple(v for line in contents["categories"] for v in line.value)
        events.append(
            ParsedEvent(
                uid=event.uid.value,
                summary=event.summary.value,
                status=event.status.value,
                sequence=int(event.sequence.value),
                start=_utc(event.dtstart.value),
                end=_utc(event.dtend.value),
                location=event.location.value if "location" in contents else None,
                description=event.description.value if "description" in contents else None,
                url=event.url.value if "url" in contents else None,
                categories=categories,
            )
        )
    return events


def run_icaljs(data: bytes) -> dict:
    node = shutil.which("node")
    assert node, "node is required to run ical.js (make test installs the npm packages)"
    assert (ROOT / "node_modules" / "ical.js").exists(), "run `npm ci` (ical.js missing)"
    result = subprocess.run(
        [node, str(NODE_SCRIPT)], input=data, capture_output=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def _js_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse_with_icaljs(data: bytes) -> list[ParsedEvent]:
    parsed = run_icaljs(data)
    assert parsed["timezones"] == ["Europe/Brussels"], parsed["timezones"]
    events = []
    for event in parsed["events"]:
        assert event["tzid"] in ("Europe/Brussels", "UTC"), event["tzid"]
        events.append(
            ParsedEvent(
                uid=event["uid"],
                summary=event["summary"],
                status=event["status"],
                sequence=event["sequence"],
                start=_js_time(event["start"]),
                end=_js_time(event["end"]),
                location=event["location"],
                description=event["description"],
                url=event["url"],
                categories=tuple(event["categories"]),
            )
        )
    return events


def run_libical(data: bytes) -> dict:
    """libical's reading of ``data``: its events and whether RFC 5546's restrictions hold."""
    result = subprocess.run(
        [SYSTEM_PYTHON, str(LIBICAL_SCRIPT)], input=data, capture_output=True, check=False
    )
    assert result.returncode == 0, (
        "libical could not read the calendar (make test installs gir1.2-ical-3.0 and "
        f"python3-gi): {result.stderr.decode()}"
    )
    return json.loads(result.stdout)


def _libical_view(event: ParsedEvent) -> dict:
    """What libical's reading is compared on: identity, status and times."""
    return {
        "uid": event.uid,
        # libical drops the blanks that end a TEXT value.
        "summary": event.summary.rstrip(),
        "status": event.status,
        "sequence": event.sequence,
        "start": int(event.start.timestamp()),
        "end": int(event.end.timestamp()),
    }


def parse_everywhere(data: bytes) -> list[ParsedEvent]:
    """The events of a feed, after checking that all four parsers agree (libical on the
    identity, status and times of each event)."""
    by_icalendar = parse_with_icalendar(data)
    by_vobject = parse_with_vobject(data)
    by_icaljs = parse_with_icaljs(data)
    assert by_vobject == by_icalendar
    assert by_icaljs == by_icalendar
    assert run_libical(data)["events"] == [_libical_view(event) for event in by_icalendar]
    return by_icalendar


def calendar_properties(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)
