"""The main journeys of each role, in a real browser, in Dutch, French and English.

Each journey creates what it needs (titles unique per run), checks every page it visits with
axe-core (WCAG 2.1 A and AA) and leaves a screenshot of its last page in tests/e2e/artifacts/.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e import flows
from tests.e2e.conftest import assert_accessible, assert_charts_legible, new_page, screenshot

# One xdist worker runs every browser test: one server and one browser for them all.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

LOCALES = pytest.mark.parametrize(("locale", "language"), flows.LOCALES)


@pytest.fixture
def open_page(browser, live_server):
    """Pages in fresh browser contexts, closed after the test."""
    contexts = []

    def opener(locale: str):
        page = new_page(browser, live_server, locale)
        page.set_default_timeout(10_000)
        contexts.append(page.context)
        return page

    yield opener
    for context in contexts:
        context.close()


@LOCALES
def test_secretariat_runs_a_bureau_meeting_and_a_platform_decision(open_page, locale, language):
    page = open_page(locale)
    flows.log_in_speaking(page, flows.SECRETARIAT, language)
    today = flows.brussels_today()

    # A bureau meeting (held yesterday, so that its minutes can be published today).
    title = flows.unique(f"bureau {locale}")
    meeting_id = flows.schedule_meeting(
        page, "bureau", title, today - timedelta(days=1), "10:00", "12:00"
    )
    flows.add_agenda_item(page, meeting_id, f"{title}: item 1")
    flows.finalise_agenda(page, meeting_id)
    flows.attach_document(page, f"agenda-{locale}.pdf")

    minutes_id = flows.write_minutes(
        page, meeting_id, f"# {title}\n\n## 1. Item 1\n\nThe bureau discussed item 1."
    )
    flows.approve_and_publish_minutes(page, minutes_id)
    expect(page.locator("#main .minutes-body")).to_contain_text("The bureau discussed item 1.")

    # A proposal, put on the agenda of today's platform meeting, adopted there (from midnight:
    # a decision is recorded once the meeting has started, whatever the hour the test runs).
    platform_id = flows.schedule_meeting(
        page, "platform", flows.unique(f"platform {locale}"), today, "00:00", "01:00"
    )
    code = flows.unique(locale).replace(" ", "-")
    measure_id = flows.propose_measure(page, code, f"Measure {code}")
    flows.put_on_agenda(page, measure_id, platform_id)
    flows.record_adoption(page, platform_id, measure_id)
    assert page.locator("html").get_attribute("lang") == language
    screenshot(page, f"journey-secretariat-{locale}")


@LOCALES
def test_agency_rep_reads_minutes_subscribes_and_reports(open_page, live_server, locale, language):
    page = open_page(locale)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    flows.log_in_speaking(page, flows.AGENCY_REP, language)

    # The minutes: the first published minutes in the list.
    page.click("ul.main-nav a[href='/minutes/']")
    page.wait_for_url("**/minutes/")
    assert_accessible(page)
    page.locator("#main table tbody a[href^='/minutes/']").first.click()
    page.wait_for_url(flows.MINUTES_URL)
    expect(page.locator("dl.facts .tag-published")).to_be_visible()
    expect(page.locator("#main .minutes-body")).not_to_be_empty()
    assert_accessible(page)

    # The calendar subscription: a new address, copied with the page's button.
    page.click("ul.main-nav a[href='/account']")
    page.wait_for_url("**/account")
    page.click("#main a[href='/account/calendar']")
    page.wait_for_url("**/account/calendar")
    assert_accessible(page)
    create = page.locator("#main form[action='/account/calendar']")
    replace_box = create.locator("input[type=checkbox]")
    if replace_box.count():  # the account already has an address: replace it
        replace_box.check()
    create.locator("[type=submit]").click()
    address = page.locator("#feed-1-https")
    expect(address).to_have_value(re.compile(rf"^{re.escape(live_server)}/feeds/[^/]+\.ics$"))
    assert_accessible(page)
    feed_url = address.input_value()
    copy = page.locator("button[data-copy-target='feed-1-https']")
    copy.click()
    # The page says so in the reader's language (the text the button carries).
    expect(page.locator("#feed-1-https-status")).to_have_text(
        copy.get_attribute("data-copied-text")
    )
    assert page.evaluate("navigator.clipboard.readText()") == feed_url
    response = page.request.get(feed_url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.text().startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in response.text()
    assert response.text().rstrip().endswith("END:VCALENDAR")

    # A progress report on a measure the agency leads, from the home page.
    page.goto("/")
    page.locator("#main table a[href^='/measures/']").first.click()
    page.wait_for_url(flows.MEASURE_URL)
    assert_accessible(page)
    measure_id = flows.id_in(page.url, flows.MEASURE_URL)
    page.click(f"#main a[href='/measures/{measure_id}/reports/new']")
    # A click does not wait for the page it opens: axe must not run on the one it leaves.
    page.wait_for_url(f"**/measures/{measure_id}/reports/new")
    assert_accessible(page)
    text = flows.unique(f"report {locale}")
    page.fill("#text", text)
    flows.submit(page)
    page.wait_for_url(flows.MEASURE_URL)
    expect(page.locator("#main .flash-success")).to_be_visible()
    expect(page.locator("#reports article", has_text=text)).to_have_count(1)
    assert_accessible(page)
    assert page.locator("html").get_attribute("lang") == language
    screenshot(page, f"journey-agency-rep-{locale}")


@LOCALES
def test_minister_reads_the_dashboard_and_the_briefing_pack(open_page, locale, language):
    page = open_page(locale)
    flows.log_in_speaking(page, flows.MINISTER, language)
    page.goto("/")
    assert_accessible(page)
    page.locator("a[href='/dashboard/']").first.click()
    page.wait_for_url("**/dashboard/")
    expect(page.locator("#main figure svg").first).to_be_visible()
    expect(page.locator("#main table caption").first).not_to_be_empty()
    assert_accessible(page)
    # On a phone, what changed since the last platform meeting and the key figures start on
    # the first screen: the header folds its menu behind one button.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    changes = page.locator(".changes-summary").bounding_box()
    key_figures = page.locator("#key-figures-title").bounding_box()
    assert changes is not None
    assert key_figures is not None
    assert changes["y"] < 844
    assert 0 <= key_figures["y"] - (changes["y"] + changes["height"]) < 100
    assert key_figures["y"] + key_figures["height"] < 844
    menu = page.locator(".site-menu > summary")
    expect(page.locator("ul.main-nav")).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.locator("ul.main-nav a[href='/dashboard/']")).to_be_visible()
    assert_accessible(page)
    menu.click()
    expect(page.locator("ul.main-nav")).to_be_hidden()
    # The charts read on a phone: their text as large as the page's small text, none clipped.
    assert_charts_legible(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    assert_charts_legible(page)
    # A wide screen shows the menu open, without its button.
    expect(page.locator(".site-menu > summary")).to_be_hidden()
    expect(page.locator("ul.main-nav")).to_be_visible()
    # A figure of what changed leads to its list (or, when nothing changed, to the comparison).
    figure = page.locator(".changes-summary ul.stats a").first
    if figure.count():
        anchor = figure.get_attribute("href").rpartition("#")[2]
        figure.click()
        page.wait_for_url("**/dashboard/changes**")
        expect(page.locator(f"#{anchor}")).to_be_visible()
    else:
        page.locator(".changes-summary a[href^='/dashboard/changes']").last.click()
        page.wait_for_url("**/dashboard/changes**")
    expect(page.locator("#main h1")).not_to_be_empty()
    assert_accessible(page)
    # The lead agency is typed, and the field suggests the agencies its text matches.
    page.goto("/dashboard/")
    page.locator("details.filters-disclosure > summary").click()
    lead = page.locator("#lead")
    lead.press_sequentially("Fed", delay=50)
    suggestion = page.locator("#lead-suggestions option[value^='FedPol']")
    expect(suggestion).to_have_count(1)
    lead.fill(suggestion.get_attribute("value") or "")
    lead.press("Enter")
    page.wait_for_url("**/dashboard/?*lead=*")
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator("p.lead")).to_contain_text("FedPol")
    assert_accessible(page)
    page.locator("#main a[href='/dashboard/briefing']").first.click()
    page.wait_for_url("**/dashboard/briefing")
    expect(page.locator("#main h1")).not_to_be_empty()
    assert_accessible(page)
    assert page.locator("html").get_attribute("lang") == language
    screenshot(page, f"journey-minister-{locale}")
    with page.expect_download() as download:
        page.locator("#main a[href='/dashboard/briefing.pdf']").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
