"""Read an iCalendar document with libical (Evolution's library, through GObject
introspection): run by the system's Python, which has ``gi`` (the project's virtualenv has not).

Reads the document on stdin; prints JSON: whether it passes libical's RFC 5546 restriction
check for its METHOD, and each event's identity, status and times (POSIX seconds, UTC)."""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402


def seconds(calendar, event, kind):
    prop = event.get_first_property(kind)
    value = (
        prop.get_dtstart() if kind == ICalGLib.PropertyKind.DTSTART_PROPERTY else prop.get_dtend()
    )
    param = prop.get_first_parameter(ICalGLib.ParameterKind.TZID_PARAMETER)
    zone = calendar.get_timezone(param.get_tzid()) if param is not None else None
    if param is not None and zone is None:
        raise SystemExit(f"libical found no VTIMEZONE for {param.get_tzid()}")
    return value.as_timet_with_zone(zone) if zone is not None else value.as_timet()


def main():
    calendar = ICalGLib.Component.new_from_string(sys.stdin.buffer.read().decode("utf-8"))
    restrictions_hold = bool(ICalGLib.restriction_check(calendar))
    events = []
    event = calendar.get_first_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
    while event is not None:
        events.append(
            {
                "uid": event.get_uid(),
                "summary": event.get_summary(),
                "status": ICalGLib.Property.status_to_string(event.get_status()),
                "sequence": event.get_sequence(),
                "start": seconds(calendar, event, ICalGLib.PropertyKind.DTSTART_PROPERTY),
                "end": seconds(calendar, event, ICalGLib.PropertyKind.DTEND_PROPERTY),
            }
        )
        event = calendar.get_next_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
    json.dump({"restrictions_hold": restrictions_hold, "events": events}, sys.stdout)


main()
