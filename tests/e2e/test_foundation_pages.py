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
