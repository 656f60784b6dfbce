"""Foundation pages in a real browser: accessible (axe-core, WCAG 2.1 AA), keyboard-usable."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    DEMO_PASSWORD,
    assert_accessible,
    authenticator_code,
    login,
    new_page,
    screenshot,
)

# One xdist worker runs every browser test: one server and one browser for them all.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

SECRETARIAT = "secretariat@demo.coordination.be"


def test_login_page_is_accessible_in_three_languages(browser, live_server):
    for locale, lang in (("nl-BE", "nl"), ("fr-BE", "fr"), ("en-GB", "en")):
        page = new_page(browser, live_server, locale)
        page.goto("/login")
        assert page.locator("html").get_attribute("lang") == lang
        assert_accessible(page)
        page.context.close()


def test_failed_login_shows_an_accessible_error(page):
    page.goto("/login")
    page.fill("#email", SECRETARIAT)
    page.fill("#password", "wrong password entirely")
    page.click("form[action='/login'] [type=submit]")
    # The answer re-renders /login: wait for it rather than read the page being left.
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)


def test_keyboard_only_login(page):
    """Skip link first, Enter jumps to the content, Tab to the fields, Enter submits."""
    page.goto("/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type(SECRETARIAT)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    # The secretariat signs in in two steps: the code field has the focus.
    page.wait_for_url("**/login/code")
    expect(page.locator("#code")).to_be_focused()  # the code field has the focus at once
    page.keyboard.type(authenticator_code())
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    assert "Sofie Claes" in page.get_by_role("heading", level=1).inner_text()


def test_agency_rep_home_in_dutch(browser, live_server):
    page = new_page(browser, live_server, "nl-BE")
    login(page, "fedpol@demo.coordination.be")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "Welkom" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    screenshot(page, "foundation-agency-rep-home-nl")
    page.context.close()


def test_a_meeting_page_prints_on_a4_with_its_forum_and_date_and_without_navigation(page):
    from tests.e2e import flows

    login(page, SECRETARIAT)
    page.goto("/meetings/?forum=bureau")
    page.locator("#main table a[href^='/meetings/']").first.click()
    page.wait_for_url(flows.MEETING_URL)
    heading = page.locator(".print-header")
    expect(heading).to_be_hidden()
    page.emulate_media(media="print")
    try:
        expect(heading).to_be_visible()
        expect(heading).to_contain_text("Bureau")
        for hidden in (".site-header", ".federal-strip", ".site-footer", "#main form"):
            expect(page.locator(hidden).first).to_be_hidden()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF-")
    finally:
        page.emulate_media(media="screen")


def test_the_month_calendar_is_an_agenda_on_a_phone(page):
    """At 390 px the month shows only its days with meetings, each under its full date; on a
    wide screen it is the usual grid of weeks."""
    login(page, SECRETARIAT)
    page.goto("/meetings/calendar")
    grid_days = page.locator("table.calendar td:visible").count()
    assert grid_days >= 28
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        days = page.locator("table.calendar td:visible")
        # The demo's forums meet every month.
        assert 1 <= days.count() < grid_days
        for index in range(days.count()):
            day = days.nth(index)
            expect(day.locator("ul.day-meetings")).to_be_visible()
            expect(day.locator(".day-full")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert_accessible(page)
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
