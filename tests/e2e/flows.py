"""Steps of the browser journeys, shared by the journey and keyboard tests.

Every step acts through the pages as a person would (links, forms, buttons), checks the page it
lands on with axe-core, and finds things by ids, names and URLs, never by translated text, so the
same step runs in Dutch, French and English.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

SECRETARIAT = "secretariat@demo.coordination.be"
#: Federal Police: sits in both forums and leads measures in progress.
AGENCY_REP = "fedpol@demo.coordination.be"
MINISTER = "minister@demo.coordination.be"
RAPPORTEUR = "rapporteur@demo.coordination.be"

#: (browser locale, the language the pages must then be in)
LOCALES = [("nl-BE", "nl"), ("fr-BE", "fr"), ("en-GB", "en")]

#: The smallest file the upload accepts as a PDF (it checks the first bytes).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

MEETING_URL = re.compile(r"/meetings/(\d+)(#.*)?$")
MINUTES_URL = re.compile(r"/minutes/(\d+)(#.*)?$")
MEASURE_URL = re.compile(r"/measures/(\d+)(#.*)?$")


def brussels_today() -> date:
    return datetime.now(ZoneInfo("Europe/Brussels")).date()


def unique(label: str) -> str:
    """A title no other run or journey uses (the locale in it helps reading screenshots)."""
    return f"E2E {label} {uuid.uuid4().hex[:8]}"


def id_in(url: str, pattern: re.Pattern[str]) -> int:
    found = pattern.search(url)
    assert found is not None, url
    return int(found.group(1))


def submit(page, form: str = "#main form[method=post]") -> None:
    """Press the submit button of the page's form (not the language switcher's)."""
    page.locator(f"{form} [type=submit]").first.click()


def log_in_speaking(page, email: str, language: str) -> None:
    """Log in, then let the browser's language choose the interface language.

    Demo accounts have a preferred language that wins over the browser's; the journey sets it
    back to "the browser's language" on the account page, as a person would.
    """
    login(page, email)
    page.goto("/account")
    page.select_option("#locale", "")
    submit(page, "form[action='/account/preferences']")
    expect(page.locator("#main .flash-success")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)


# --- the secretariat --------------------------------------------------------------------------


def fill_in_every_language(page, field: str, text: str) -> None:
    """Fill a content field's Dutch, French and English boxes (side by side on the form)."""
    for language in ("nl", "fr", "en"):
        page.fill(f"#{field}-{language}", text)


def schedule_meeting(page, forum: str, title: str, day: date, start: str, end: str) -> int:
    """Schedule a one-off meeting; returns its id (the meeting page is open)."""
    page.goto("/meetings/")
    assert_accessible(page)
    page.locator("#main a[href='/meetings/new']").first.click()
    page.wait_for_url("**/meetings/new")
    assert_accessible(page)
    page.select_option("#forum", forum)
    fill_in_every_language(page, "title", title)
    page.fill("#day", day.isoformat())
    page.fill("#start_time", start)
    page.fill("#end_time", end)
    submit(page)
    page.wait_for_url(MEETING_URL)
    expect(page.locator("h1")).to_have_text(title)
    assert_accessible(page)
    return id_in(page.url, MEETING_URL)


def add_agenda_item(page, meeting_id: int, title: str) -> None:
    page.click(f"a[href='/meetings/{meeting_id}/agenda/new']")
    page.wait_for_url(f"**/meetings/{meeting_id}/agenda/new")
    assert_accessible(page)
    fill_in_every_language(page, "title", title)
    page.check("input[name=kind][value=decision]")
    page.fill("#duration_minutes", "30")
    fill_in_every_language(
        page, "description", "Prepared by the **secretariat**.\n\n- first point\n- second point"
    )
    submit(page)
    page.wait_for_url(MEETING_URL)
    # At the end of the agenda, before the forum's closing standing item (any other business).
    added = page.locator("#agenda .agenda-item", has=page.locator("h3", has_text=title))
    expect(added.locator("strong")).to_have_text("secretariat")
    assert_accessible(page)


def finalise_agenda(page, meeting_id: int) -> None:
    page.click(f"a[href='/meetings/{meeting_id}/agenda/finalise']")
    page.wait_for_url(f"**/meetings/{meeting_id}/agenda/finalise")
    assert_accessible(page)
    submit(page)
    page.wait_for_url(MEETING_URL)
    expect(page.locator("h1 + p .tag-final")).to_be_visible()
    assert_accessible(page)


def attach_document(page, filename: str) -> None:
    """Upload a PDF from the meeting page; it is listed under the meeting's documents."""
    page.set_input_files(
        "#file", files=[{"name": filename, "mimeType": "application/pdf", "buffer": PDF}]
    )
    submit(page, "form.upload-form")
    page.wait_for_url(MEETING_URL)
    link = page.locator("#documents a[download]", has_text=filename)
    expect(link).to_be_visible()
    assert_accessible(page)
    response = page.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.body() == PDF


def write_minutes(page, meeting_id: int, text: str) -> int:
    """Start the minutes from the meeting page and save the draft; returns the minutes' id."""
    page.click(f"a[href='/minutes/meeting/{meeting_id}/new']")
    page.wait_for_url(f"**/minutes/meeting/{meeting_id}/new")
    assert_accessible(page)
    expect(page.locator("#body")).to_have_value(re.compile(r"^# "))
    page.fill("#body", text)
    page.click("#main form [type=submit][name=save]")
    page.wait_for_url(MINUTES_URL)
    expect(page.locator("dl.facts .tag-draft")).to_be_visible()
    assert_accessible(page)
    minutes_id = id_in(page.url, MINUTES_URL)
    write_minutes_in_both_languages(page, minutes_id, text)
    return minutes_id


def write_minutes_in_both_languages(page, minutes_id: int, text: str) -> None:
    """The text of draft minutes in Dutch and in French (one editor per language), so that
    both communities read them in their language."""
    for language in ("nl", "fr"):
        page.goto(f"/minutes/{minutes_id}/edit?language={language}")
        assert_accessible(page)
        page.fill("#body", text)
        page.click("#main form [type=submit][name=save]")
        page.wait_for_url(MINUTES_URL)


def approving_meeting(page, forum: str) -> int:
    """A meeting of ``forum`` that started today at midnight: the later meeting that approves
    minutes, whatever the hour the test runs."""
    return schedule_meeting(page, forum, unique(f"approval {forum}"), brussels_today(), "00:00",
                            "00:30")  # fmt: skip


def circulate_and_approve_minutes(page, minutes_id: int) -> None:
    """Circulate the draft (the deadline the form offers), then record its approval at the
    meeting the form offers first: the one that carries the approval on its agenda."""
    page.goto(f"/minutes/{minutes_id}")
    page.click(f"form[action='/minutes/{minutes_id}/circulate'] [type=submit]")
    expect(page.locator("dl.facts .tag-circulated")).to_be_visible()
    assert_accessible(page)
    page.click(f"form[action='/minutes/{minutes_id}/approve'] [type=submit]")
    expect(page.locator("dl.facts .tag-approved")).to_be_visible()
    assert_accessible(page)


def approve_and_publish_minutes(page, minutes_id: int, forum: str = "bureau") -> None:
    approving_meeting(page, forum)
    circulate_and_approve_minutes(page, minutes_id)
    page.click(f"form[action='/minutes/{minutes_id}/publish'] [type=submit]")
    expect(page.locator("dl.facts .tag-published")).to_be_visible()
    expect(page.locator("#main .flash-success")).to_be_visible()
    assert_accessible(page)


def propose_measure(page, code: str, title: str) -> int:
    """A new proposal in the open plan, led by the first agency offered; returns its id."""
    page.goto("/measures/")
    assert_accessible(page)
    page.locator("#main a[href='/measures/new']").first.click()
    page.wait_for_url("**/measures/new")
    assert_accessible(page)
    page.select_option("#theme", index=1)
    page.fill("#code", code)
    fill_in_every_language(page, "title", title)
    fill_in_every_language(page, "description", "Proposed by the bureau.")
    page.select_option("#lead_agency", index=1)
    submit(page)
    page.wait_for_url(MEASURE_URL)
    expect(page.locator("#main .tag-proposed").first).to_be_visible()
    assert_accessible(page)
    return id_in(page.url, MEASURE_URL)


def put_on_agenda(page, measure_id: int, meeting_id: int) -> None:
    page.click(f"a[href='/measures/{measure_id}/agenda']")
    page.wait_for_url(f"**/measures/{measure_id}/agenda")
    assert_accessible(page)
    page.select_option("#meeting", str(meeting_id))
    submit(page)
    page.wait_for_url(MEASURE_URL)
    expect(page.locator("#main .flash-success")).to_be_visible()
    assert_accessible(page)


def record_decision(page, meeting_id: int, measure_id: int, outcome: str, note: str) -> None:
    """From the meeting's page, record what it decided on the proposal (``outcome``: adopted,
    forwarded ...)."""
    page.goto(f"/meetings/{meeting_id}")
    assert_accessible(page)
    page.click(f"a[href='/meetings/{meeting_id}/decisions']")
    page.wait_for_url(f"**/meetings/{meeting_id}/decisions")
    assert_accessible(page)
    page.check(f"input[name='decision_{measure_id}'][value={outcome}]")
    page.fill(f"#note_{measure_id}", note)
    submit(page)
    expect(page.locator("#main .flash-success")).to_be_visible()
    assert_accessible(page)


def record_adoption(page, meeting_id: int, measure_id: int) -> None:
    """From the platform meeting's page, record that it adopted the proposal."""
    record_decision(page, meeting_id, measure_id, "adopted", "Adopted unanimously.")
    page.click(f"#main a[href='/measures/{measure_id}']")
    page.wait_for_url(MEASURE_URL)
    expect(page.locator("#main h1 + p .tag-adopted")).to_be_visible()
    assert_accessible(page)


def approved_minutes_of_a_new_meeting(page, label: str) -> int:
    """Set-up for tests of the publication: a meeting held yesterday, with approved minutes."""
    yesterday = brussels_today() - timedelta(days=1)
    meeting_id = schedule_meeting(page, "bureau", unique(label), yesterday, "10:00", "12:00")
    minutes_id = write_minutes(page, meeting_id, f"# Minutes {label}\n\nAll went well.")
    approving_meeting(page, "bureau")
    circulate_and_approve_minutes(page, minutes_id)
    return minutes_id
