"""The pure iCalendar builder, read back by icalendar, vobject and ical.js (Thunderbird)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from coordination.core import ical
from coordination.core.ical import EventSpec, Party, build_calendar, build_itip, escape_text, fold
from coordination.core.time import BRUSSELS
from tests.feeds.parsers import (
    calendar_properties,
    parse_everywhere,
    parse_with_icalendar,
    run_libical,
)

CREATED = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)

DUTCH_TITLE = (
    "Opvolging van de aanbevelingen van Myria, de ECOSOC-teams van de RSZ en de "
    "sociaal-inspecteurs; gezamenlijke controles in de bouw-, schoonmaak- en horecasector, "
    "coördinatie met het parket en de politie, één aanpak"
)
FRENCH_TITLE = (
    "Suivi des recommandations de Myria : équipes ECOSOC de l'ONSS, inspecteurs sociaux; "
    "contrôles conjoints dans la construction, le nettoyage et l'horeca, coordination avec "
    "le parquet, la police — « élèves », œuvre"
)


def spec(number: int = 1, **fields) -> EventSpec:
    starts_at = fields.pop("starts_at", datetime(2026, 5, 12, 10, tzinfo=BRUSSELS))
    values = {
        "uid": f"meeting-{number}@coordination.test",
        "sequence": 0,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "summary": f"Bureau (operational forum): meeting {number}",
        "created": CREATED,
        "last_modified": CREATED + timedelta(days=1),
        "description": "Agenda:\n1. Cases and trends",
        "location": "FPS Justice, Boulevard de Waterloo 115, Brussels",
        "url": f"https://coordination.example/meetings/{number}",
        "categories": ("Bureau (operational forum)",),
    }
    values.update(fields)
    return EventSpec(**values)


def unescape(text: str) -> str:
    """RFC 5545 §3.3.11 TEXT unescaping."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    return lines


def test_calendar_has_the_properties_clients_expect():
    data = build_calendar([spec()], name="Mes réunions", description="Réunions")
    calendar = calendar_properties(data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"].startswith("-//FPS Justice//")
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert "METHOD" not in calendar
    # With METHOD:PUBLISH, RFC 5546 would want an ORGANIZER on every event: libical refuses it.
    assert run_libical(data)["restrictions_hold"]
    published = data.replace(b"CALSCALE:GREGORIAN\r\n", b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n")
    assert not run_libical(published)["restrictions_hold"]
    assert calendar["X-WR-CALNAME"] == "Mes réunions"
    assert calendar["NAME"] == "Mes réunions"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Brussels"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in data
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    event = calendar.walk("VEVENT")[0]
    for name in (
        "UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY", "LOCATION",
        "DESCRIPTION", "URL", "CREATED", "LAST-MODIFIED", "CATEGORIES",
    ):  # fmt: skip
        assert name in event, name
    assert b"DTSTART;TZID=Europe/Brussels:20260512T100000\r\n" in data
    assert b"DTSTAMP:20260106T093000Z\r\n" in data
    assert b"CREATED:20260105T093000Z\r\n" in data
    assert b"LAST-MODIFIED:20260106T093000Z\r\n" in data


def test_an_itip_cancel_names_its_organizer_and_attendee():
    event = spec(sequence=2, cancelled=True)
    data = build_itip(
        [event],
        method="CANCEL",
        organizer=Party("coordination@just.fgov.be", 'Coordination unit, "FPS" Justice'),
        attendees=[Party("an@example.org", "An Peeters")],
    )
    calendar = calendar_properties(data)
    assert calendar["METHOD"] == "CANCEL"
    (parsed,) = calendar.walk("VEVENT")
    assert str(parsed["ORGANIZER"]) == "mailto:coordination@just.fgov.be"
    assert parsed["ORGANIZER"].params["CN"] == "Coordination unit, 'FPS' Justice"
    assert str(parsed["ATTENDEE"]) == "mailto:an@example.org"
    assert "RSVP" not in parsed["ATTENDEE"].params
    assert parsed["STATUS"] == "CANCELLED"
    assert parsed["SEQUENCE"] == 2
    (read,) = parse_everywhere(data)
    assert read.status == "CANCELLED"
    assert run_libical(data)["restrictions_hold"]  # RFC 5546, as libical checks it


def test_an_itip_request_asks_each_attendee_to_answer():
    data = build_itip(
        [spec()],
        method="REQUEST",
        organizer=Party("coordination@just.fgov.be"),
        attendees=[Party("an@example.org"), Party("luc@example.org", "Luc")],
    )
    (parsed,) = calendar_properties(data).walk("VEVENT")
    attendees = parsed["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:an@example.org", "mailto:luc@example.org"]
    assert all(
        a.params["RSVP"] == "TRUE" and a.params["PARTSTAT"] == "NEEDS-ACTION" for a in attendees
    )
    assert run_libical(data)["restrictions_hold"]
    without_organizer = data.replace(b"ORGANIZER:mailto:coordination@just.fgov.be\r\n", b"")
    assert not run_libical(without_organizer)["restrictions_hold"]
    with pytest.raises(ValueError, match="PUBLISH"):
        build_itip([spec()], method="PUBLISH", organizer=Party("x@y.z"), attendees=[])


def test_single_download_has_no_name_and_no_refresh_hint():
    data = build_calendar([spec()], refresh=None)
    assert b"X-WR-CALNAME" not in data
    assert b"REFRESH-INTERVAL" not in data
    assert b"X-PUBLISHED-TTL" not in data
    assert len(parse_everywhere(data)) == 1


def test_empty_calendar_is_valid():
    data = build_calendar([], name="Nothing yet")
    assert parse_everywhere(data) == []
    assert b"BEGIN:VTIMEZONE" in data


def next_year() -> int:
    return datetime.now(UTC).year + 1


@pytest.mark.parametrize("year", [2025, 2026, next_year()])
def test_times_across_both_daylight_saving_switches(year):
    spring = ical._last_sunday(year, 3)
    autumn = ical._last_sunday(year, 10)
    cases = {
        # Friday before / Monday after each switch, 10:00 in Brussels.
        "before-spring": (datetime.combine(spring - timedelta(days=2), datetime.min.time()), 9),
        "after-spring": (datetime.combine(spring + timedelta(days=1), datetime.min.time()), 8),
        "before-autumn": (datetime.combine(autumn - timedelta(days=2), datetime.min.time()), 8),
        "after-autumn": (datetime.combine(autumn + timedelta(days=1), datetime.min.time()), 9),
    }
    specs = [
        spec(index, starts_at=day.replace(hour=10, tzinfo=BRUSSELS), uid=f"{name}@test")
        for index, (name, (day, _)) in enumerate(cases.items())
    ]
    data = build_calendar(specs, name="DST")
    events = {event.uid: event for event in parse_everywhere(data)}
    for name, (day, utc_hour) in cases.items():
        event = events[f"{name}@test"]
        assert event.start == datetime.combine(day.date(), datetime.min.time(), UTC).replace(
            hour=utc_hour
        ), name
        assert event.end - event.start == timedelta(hours=2)


def test_each_feed_is_read_with_its_own_time_zone_whatever_was_read_before(monkeypatch):
    """A feed written with the exact transitions of 2026-2027 only, read first, must not
    change how a feed of 2025 is read (vobject keeps every time zone it saw)."""
    monkeypatch.setattr(ical, "_eu_rule_holds", lambda first, last: False)
    ical.vtimezone_lines.cache_clear()
    try:
        later = spec(0, starts_at=datetime(2027, 7, 1, 10, tzinfo=BRUSSELS), uid="later@test")
        parse_everywhere(build_calendar([later]))
    finally:
        ical.vtimezone_lines.cache_clear()
    monkeypatch.undo()
    earlier = spec(1, starts_at=datetime(2025, 6, 2, 10, tzinfo=BRUSSELS), uid="earlier@test")
    (parsed,) = parse_everywhere(build_calendar([earlier]))
    assert parsed.start == datetime(2025, 6, 2, 8, tzinfo=UTC)  # summer time


def test_meeting_spanning_a_switch_keeps_its_real_duration():
    autumn = ical._last_sunday(2026, 10)
    starts = datetime.combine(autumn - timedelta(days=1), datetime.min.time(), BRUSSELS)
    starts = starts.replace(hour=22).astimezone(UTC)  # elapsed time, not wall-clock time
    event = spec(starts_at=starts, ends_at=starts + timedelta(hours=6))
    (parsed,) = parse_everywhere(build_calendar([event]))
    assert parsed.end - parsed.start == timedelta(hours=6)


def test_the_repeated_autumn_hour_is_not_ambiguous():
    autumn = ical._last_sunday(2026, 10)
    first = datetime.combine(autumn, datetime.min.time(), UTC).replace(hour=0, minute=30)
    second = first + timedelta(hours=1)  # 02:30 again in Brussels, now in winter time
    assert first.astimezone(BRUSSELS).hour == second.astimezone(BRUSSELS).hour == 2
    data = build_calendar(
        [spec(1, starts_at=first, ends_at=first + timedelta(minutes=20)),
         spec(2, starts_at=second, ends_at=second + timedelta(minutes=20))]
    )  # fmt: skip
    # RFC 5545 reads 02:30 as the first one, ical.js as the second: both go out in UTC.
    assert b"DTSTART:20261025T003000Z\r\n" in data
    assert b"DTSTART:20261025T013000Z\r\n" in data
    events = parse_everywhere(data)
    assert [event.start for event in events] == [first, second]


def test_vtimezone_uses_the_rule_form_outlook_understands():
    data = build_calendar([spec()])
    assert b"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in data
    assert b"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in data
    assert b"RDATE" not in data
    # The rule starts before the first event, so that January meetings are covered too.
    assert b"DTSTART:20251026T030000" in data


def test_vtimezone_rule_is_checked_against_tzdata():
    assert ical._eu_rule_holds(1996, 2030)
    # Before 1996 Belgian summer time ended in September: the rule form would be wrong.
    assert not ical._eu_rule_holds(1990, 1995)
    lines = ical.vtimezone_lines(1995, 1995)
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" not in lines
    assert any(line.startswith("RDATE") or line.startswith("DTSTART") for line in lines)


def test_the_exact_vtimezone_gives_the_same_times_in_every_parser(monkeypatch):
    """If tzdata ever stops agreeing with the EU rule, the fallback must be as correct, over
    several years (ical.js reads only the first date of a multi-date RDATE: there is none)."""
    monkeypatch.setattr(ical, "_eu_rule_holds", lambda first, last: False)
    ical.vtimezone_lines.cache_clear()
    try:
        specs = [
            spec(number, starts_at=datetime(year, month, day, 10, tzinfo=BRUSSELS))
            for number, (year, month, day) in enumerate(
                [(2027, 1, 12), (2027, 3, 29), (2028, 11, 1), (2029, 7, 3), (2030, 4, 2)]
            )
        ]
        data = build_calendar(specs)
        assert b"RRULE:FREQ=YEARLY;BYMONTH=3" not in data
        assert b"RDATE" not in data
        # Each switch starts at the wall time before it (RFC 5545 §3.6.5).
        assert b"BEGIN:DAYLIGHT\r\nDTSTART:20290325T020000\r\nTZOFFSETFROM:+0100\r\n" in data
        assert b"BEGIN:STANDARD\r\nDTSTART:20291028T030000\r\nTZOFFSETFROM:+0200\r\n" in data
        events = parse_everywhere(data)
        assert [e.start.hour for e in events] == [9, 8, 9, 8, 8]
    finally:
        ical.vtimezone_lines.cache_clear()


def test_cancelled_event():
    data = build_calendar([spec(cancelled=True, sequence=3)])
    (event,) = parse_everywhere(data)
    assert event.status == "CANCELLED"
    assert event.sequence == 3
    assert b"TRANSP:TRANSPARENT" in data


@pytest.mark.parametrize(
    "text",
    [
        DUTCH_TITLE,
        FRENCH_TITLE,
        "Comma, semicolon; backslash \\ colon: done",
        "Line one\nLine two\r\nLine three\rLine four",
        "Ünïcödé ëverywhere: 😀 emoji, 中文, Ελληνικά " * 4,
        "é" * 200,
        "x" * 74 + "é" * 3,
    ],
)
def test_text_is_escaped_and_folded(text):
    event = spec(summary=text, location=text, description=text, categories=(text[:60], "Other"))
    data = build_calendar([event], name=text)
    for line in physical_lines(data):
        assert len(line) <= 75, line
        line.decode("utf-8")  # never a character cut in two
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    (parsed,) = parse_everywhere(data)
    assert parsed.summary == expected
    assert parsed.location == expected
    assert parsed.description == expected
    assert parsed.categories == (expected[:60], "Other")
    calendar = calendar_properties(data)
    for name in ("X-WR-CALNAME", "NAME"):  # unknown to icalendar: raw TEXT, unescaped here
        assert unescape(str(calendar[name])) == expected


def test_control_characters_are_dropped():
    assert escape_text("a\x00b\x07c\td") == "abc\td"


def test_fold_limits():
    assert fold("x" * 75) == b"x" * 75
    assert fold("x" * 76) == b"x" * 75 + b"\r\n x"
    folded = fold("é" * 40)  # 80 octets: the cut must fall between two characters
    first, rest = folded.split(b"\r\n ")
    assert len(first) == 74
    assert (first + rest).decode() == "é" * 40


def test_a_thousand_meetings():
    """Correctness of a large feed (its speed is measured by bench/feeds.py, not here)."""
    start = datetime(2026, 1, 5, 10, tzinfo=BRUSSELS)
    specs = [
        spec(
            number,
            starts_at=start + timedelta(days=number),
            sequence=number % 4,
            cancelled=number % 10 == 0,
            summary=f"{FRENCH_TITLE[:80]} {number}",
        )
        for number in range(1000)
    ]
    data = build_calendar(specs, name="Large")
    events = parse_with_icalendar(data)
    assert len(events) == 1000
    assert len({event.uid for event in events}) == 1000
    for number, event in enumerate(events):
        local = (start + timedelta(days=number)).astimezone(BRUSSELS)
        assert event.start.astimezone(BRUSSELS) == local
        assert event.start.astimezone(BRUSSELS).hour == 10
        assert event.status == ("CANCELLED" if number % 10 == 0 else "CONFIRMED")
        assert event.sequence == number % 4
    # ical.js reads the whole feed too (it alone covers all DST switches of three years).
    from tests.feeds.parsers import run_icaljs

    parsed = run_icaljs(data)
    assert len(parsed["events"]) == 1000
    hours = {datetime.fromisoformat(e["start"].replace("Z", "+00:00")).astimezone(BRUSSELS).hour
             for e in parsed["events"]}  # fmt: skip
    assert hours == {10}


def test_year_range_covers_every_event():
    assert ical._year_range([spec(starts_at=datetime(2031, 12, 31, 23, tzinfo=BRUSSELS))]) == (
        2031,
        2032,
    )
    this_year = datetime.now(UTC).year
    assert ical._year_range([]) == (this_year, this_year)
