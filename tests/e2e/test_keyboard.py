"""Keyboard only: the minutes are written, circulated, approved and published with Tab,
Shift+Tab, Enter, Space and typing, and every control on the way shows where the focus is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e import flows
from tests.e2e.conftest import assert_accessible, login, screenshot

# One xdist worker runs every browser test: one server and one browser for them all.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

#: Whether the focused element shows a focus indicator: an outline or a box shadow.
FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  return {
    shown: outline || shadow,
    element: element.outerHTML.slice(0, 120),
  };
}"""


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def assert_focus_shown(page) -> None:
    focus = page.evaluate(FOCUS_SHOWN)
    assert focus["shown"], f"no visible focus on {focus['element']}"


def tab_to(page, selector: str, key: str = "Tab", limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until ``selector`` has the focus, checking every stop shows it."""
    for _ in range(limit):
        page.keyboard.press(key)
        assert_focus_shown(page)
        if focused_matches(page, selector):
            return
    raise AssertionError(f"{selector} was not reached with {key} in {limit} presses")


def from_the_skip_link(page) -> None:
    """First Tab: the skip link; Enter moves the focus to the main content."""
    page.keyboard.press("Tab")
    assert focused_matches(page, ".skip-link")
    assert_focus_shown(page)
    page.keyboard.press("Enter")
    assert focused_matches(page, "#main")


def test_minutes_are_written_approved_and_published_with_the_keyboard_alone(page):
    page.set_default_timeout(10_000)
    login(page, flows.SECRETARIAT)
    # Set-up with the mouse: a bureau meeting held yesterday, without minutes yet.
    title = flows.unique("keyboard")
    yesterday = flows.brussels_today() - timedelta(days=1)
    meeting_id = flows.schedule_meeting(page, "bureau", title, yesterday, "10:00", "12:00")

    # From here on, the keyboard only.
    from_the_skip_link(page)
    tab_to(page, f"a[href='/minutes/meeting/{meeting_id}/new']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/minutes/meeting/{meeting_id}/new")
    assert_accessible(page)
    from_the_skip_link(page)
    tab_to(page, "#body")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(f"# {title}\n\nWritten with the keyboard alone.")
    tab_to(page, "[type=submit][name=save]")
    # Shift+Tab goes back to the preview button, which comes first; Tab returns to saving.
    page.keyboard.press("Shift+Tab")
    assert focused_matches(page, "[type=submit][name=preview]")
    assert_focus_shown(page)
    page.keyboard.press("Tab")
    assert focused_matches(page, "[type=submit][name=save]")
    page.keyboard.press("Enter")
    page.wait_for_url(flows.MINUTES_URL)
    minutes_id = flows.id_in(page.url, flows.MINUTES_URL)
    expect(page.locator("dl.facts .tag-draft")).to_be_visible()
    expect(page.locator("#main .minutes-body")).to_contain_text("Written with the keyboard alone.")
    assert_accessible(page)
    # The other language with the mouse (both communities read the published minutes).
    flows.write_minutes_in_both_languages(
        page, minutes_id, f"# {title}\n\nWritten with the keyboard alone."
    )

    # The approving meeting, with the mouse: it started today at midnight.
    flows.approving_meeting(page, "bureau")
    page.goto(f"/minutes/{minutes_id}")

    from_the_skip_link(page)
    tab_to(page, f"form[action='/minutes/{minutes_id}/circulate'] [type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("dl.facts .tag-circulated")).to_be_visible()
    assert_accessible(page)

    from_the_skip_link(page)
    tab_to(page, f"form[action='/minutes/{minutes_id}/approve'] [type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("dl.facts .tag-approved")).to_be_visible()
    assert_accessible(page)

    from_the_skip_link(page)
    tab_to(page, f"form[action='/minutes/{minutes_id}/publish'] [type=submit]")
    page.keyboard.press("Space")
    expect(page.locator("dl.facts .tag-published")).to_be_visible()
    expect(page.locator(f"form[action='/minutes/{minutes_id}/publish']")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "keyboard-minutes-published")


def test_focus_is_visible_on_every_control_of_the_login_page(page):
    page.goto("/login")
    from_the_skip_link(page)
    tab_to(page, "#email")
    tab_to(page, "#password")
    tab_to(page, "form[action='/login'] [type=submit]")
    # And back up to the language links in the header.
    tab_to(page, ".language-switch a[hreflang='en']", key="Shift+Tab")


def test_focus_is_visible_on_the_controls_of_a_meeting_page(page):
    """Header, agenda reordering buttons, links, the upload form: every stop shows the focus."""
    page.set_default_timeout(10_000)
    login(page, flows.SECRETARIAT)
    page.goto("/meetings/?forum=bureau")
    page.locator("#main table a[href^='/meetings/']").first.click()
    page.wait_for_url(flows.MEETING_URL)
    page.keyboard.press("Tab")
    # The demo's next bureau meeting has a full agenda (with the standing approval of the
    # last minutes first): every item has its buttons.
    tab_to(page, "form.upload-form [type=submit]", limit=160)


def test_agenda_items_move_by_drag_and_drop_and_by_the_keyboard(page):
    """Dragging an item to its place and pressing its "Move down" button both reorder the
    agenda at once, announce the new position and keep it on reload; several documents are
    uploaded at once, each to the item chosen for it."""
    page.set_default_timeout(10_000)
    flows.log_in_speaking(page, flows.SECRETARIAT, "en")
    title = flows.unique("reorder")
    day = flows.brussels_today() + timedelta(days=12)
    meeting_id = flows.schedule_meeting(page, "bureau", title, day, "10:00", "12:00")
    for name in ("First", "Second"):
        flows.add_agenda_item(page, meeting_id, f"{title} {name}")
    headings = page.locator("#agenda .agenda-item h3")
    # The bureau's standing item closes the agenda: any other business.
    expect(headings).to_have_text([f"{title} First", f"{title} Second", "Any other business"])
    status = page.locator("#agenda-status")

    items = page.locator("#agenda .agenda-item")
    items.nth(2).locator("h3").drag_to(items.nth(0).locator("h3"), target_position={"x": 5, "y": 2})
    expect(status).to_have_text("The item is now number 1 on the agenda.")
    page.reload()
    expect(headings).to_have_text(["Any other business", f"{title} First", f"{title} Second"])

    move_down = items.nth(0).locator("button[data-direction=down]")
    move_down.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("The item is now number 2 on the agenda.")
    assert focused_matches(page, "li.agenda-item:nth-child(2) button[data-direction=down]")
    page.reload()
    expect(headings).to_have_text([f"{title} First", "Any other business", f"{title} Second"])
    assert_accessible(page)

    page.set_input_files(
        "#file",
        files=[
            {"name": "first.pdf", "mimeType": "application/pdf", "buffer": flows.PDF},
            {"name": "second.pdf", "mimeType": "application/pdf", "buffer": flows.PDF},
        ],
    )
    choices = page.locator("[data-file-targets] select")
    expect(choices).to_have_count(2)
    expect(page.locator("[data-all-targets]")).to_be_hidden()
    page.get_by_label("second.pdf").select_option(label=f"3. {title} Second")
    assert_accessible(page)
    flows.submit(page, "form.upload-form")
    page.wait_for_url(flows.MEETING_URL)
    second_item = items.filter(has=page.locator("h3", has_text=f"{title} Second"))
    expect(second_item.locator("a[download]")).to_have_text("second.pdf")
    expect(page.locator("#documents ul.documents a[download]")).to_have_text("first.pdf")
