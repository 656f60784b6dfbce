// Parse an iCalendar feed from stdin with ical.js (the parser of Thunderbird) and print JSON.
//
// The VTIMEZONE components of the feed are registered first, so the UTC times printed are
// computed from the feed's own time zone definition, as a client without a zone database would.
import ICAL from "ical.js";

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) {
  input += chunk;
}

const calendar = new ICAL.Component(ICAL.parse(input));
const timezones = calendar.getAllSubcomponents("vtimezone").map((vtimezone) => {
  const zone = new ICAL.Timezone(vtimezone);
  ICAL.TimezoneService.register(zone, zone.tzid);
  return zone.tzid;
});

const text = (component, name) => {
  const value = component.getFirstPropertyValue(name);
  return value === null ? null : String(value);
};

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const categories = vevent.getAllProperties("categories").flatMap((p) => p.getValues());
  return {
    uid: event.uid,
    summary: event.summary,
    location: event.location,
    description: event.description,
    status: text(vevent, "status"),
    sequence: event.sequence,
    url: text(vevent, "url"),
    categories,
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    dtstamp: vevent.getFirstPropertyValue("dtstamp").toJSDate().toISOString(),
  };
});

process.stdout.write(
  JSON.stringify({
    timezones,
    name: text(calendar, "x-wr-calname"),
    name_rfc7986: text(calendar, "name"),
    method: text(calendar, "method"),
    version: text(calendar, "version"),
    refresh: text(calendar, "refresh-interval"),
    events,
  })
);
