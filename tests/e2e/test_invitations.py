"""Invitations in a real browser: the secretariat schedules a meeting; a representative opens
the link of the invitation e-mail without signing in and sends a substitute; the secretariat
sees who comes, and the minutes' attendance starts from that answer."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e import flows
from tests.e2e.conftest import assert_accessible, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

REPLY_LINK = re.compile(r"https?://\S+/meetings/reply/\S+")


def invitation_link(live_workdir, meeting_id: int, email: str) -> str:
    """The reply link of the invitation e-mail waiting in the outbox for ``email``."""
    with sqlite3.connect(live_workdir / "e2e.sqlite") as connection:
        (body,) = connection.execute(
            "SELECT body_text FROM outbox_messages WHERE recipient = ? AND reason = ?",
            (email, f"meeting.schedule:{meeting_id}"),
        ).fetchone()
    match = REPLY_LINK.search(body)
    assert match is not None, body
    return match.group(0)


def test_a_substitute_announced_by_link_fills_the_attendance(
    page, browser, live_server, live_workdir
):
    flows.log_in_speaking(page, flows.SECRETARIAT, "en")
    title = flows.unique("invitation")
    today = flows.brussels_today()
    meeting_id = flows.schedule_meeting(
        page, "bureau", title, today + timedelta(days=1), "10:00", "12:00"
    )
    link = invitation_link(live_workdir, meeting_id, flows.AGENCY_REP)

    # The representative answers from the e-mail, in French, without an account session.
    representative = new_page(browser, live_server, "fr-BE")
    try:
        representative.goto(link)
        expect(representative.locator("h1")).to_have_text("Serez-vous présent\u202f?")
        assert_accessible(representative)
        representative.check("input[name=answer][value=substitute]")
        representative.fill("#substitute_name", "Jan Peeters")
        flows.submit(representative)
        expect(representative.locator("#current-answer")).to_contain_text("Jan Peeters")
        assert_accessible(representative)
    finally:
        representative.context.close()

    # The secretariat sees who comes for the Federal Police.
    page.goto(f"/meetings/{meeting_id}/replies")
    expect(page.locator("#main table")).to_contain_text("Jan Peeters")
    assert_accessible(page)

    # Brought forward to today from 00:03 to 23:59 (it has started, whatever the hour the
    # test runs), the meeting takes place; its minutes' attendance starts from the answers.
    page.goto(f"/meetings/{meeting_id}/reschedule")
    page.fill("#day", today.isoformat())
    page.fill("#start_time", "00:03")
    page.fill("#end_time", "23:59")
    flows.submit(page)
    assert_accessible(page)
    flows.submit(page)  # the confirmation
    page.wait_for_url(flows.MEETING_URL)
    page.goto(f"/meetings/{meeting_id}/held")
    flows.submit(page)
    page.wait_for_url(flows.MEETING_URL)
    minutes_id = flows.write_minutes(page, meeting_id, f"# {title}\n\nAll present.")
    page.goto(f"/minutes/{minutes_id}/attendance")
    hint = page.locator("small", has_text="Announced: Jan Peeters")
    expect(hint).to_be_visible()
    field_id = hint.get_attribute("id").removesuffix("-hint")
    expect(page.locator(f"#{field_id}")).to_have_value("present")
    assert_accessible(page)
    # "All as announced" records the substitute by name, for the agency they came for.
    page.get_by_role("button", name="Record everyone as announced").click()
    people = page.locator("#main table", has_text="Jan Peeters")
    expect(people).to_contain_text("Present as a substitute")
    assert_accessible(page)
    page.goto(f"/minutes/{minutes_id}")
    expect(page.locator(".attendance")).to_contain_text("Jan Peeters (present as a substitute)")
