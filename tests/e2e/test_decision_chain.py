"""The decision chain in a real browser, in Dutch: the bureau forwards a proposal, the platform
meeting decides on its agenda item, the minutes circulate, a member comments, the next meeting
approves them, they are published, and the measure and the dashboard show the adoption at the
meeting that took it.

The meetings are today, minutes apart from midnight (Brussels), so that each has started
whatever the hour the test runs: the bureau at 00:00, the platform at 00:01, the platform
meeting that approves the minutes at 00:02.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e import flows
from tests.e2e.conftest import assert_accessible, new_page, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture
def dutch_pages(browser, live_server):
    """Pages in fresh Dutch browser contexts, closed after the test."""
    contexts = []

    def opener():
        page = new_page(browser, live_server, "nl-BE")
        page.set_default_timeout(10_000)
        contexts.append(page.context)
        return page

    yield opener
    for context in contexts:
        context.close()


def test_a_proposal_goes_from_the_bureau_to_an_adoption_in_published_minutes(dutch_pages):
    secretariat = dutch_pages()
    flows.log_in_speaking(secretariat, flows.SECRETARIAT, "nl")
    today = flows.brussels_today()
    bureau_id = flows.schedule_meeting(
        secretariat, "bureau", flows.unique("keten bureau"), today, "00:00", "00:30"
    )
    platform_id = flows.schedule_meeting(
        secretariat, "platform", flows.unique("keten platform"), today, "00:01", "00:30"
    )
    code = flows.unique("keten").replace(" ", "-")
    measure_id = flows.propose_measure(secretariat, code, f"Maatregel {code}")

    # The bureau forwards the proposal: it lands on the next platform meeting's agenda.
    flows.put_on_agenda(secretariat, measure_id, bureau_id)
    flows.record_decision(secretariat, bureau_id, measure_id, "forwarded", "Klaar voor beslissing.")
    secretariat.goto(f"/measures/{measure_id}")
    timeline = secretariat.locator("#timeline")
    expect(timeline.locator(f"a[href='/meetings/{platform_id}']")).to_be_visible()
    assert_accessible(secretariat)

    # The platform decides on its agenda item.
    flows.record_adoption(secretariat, platform_id, measure_id)

    # Its minutes (started with the decision) are written in both languages and circulated;
    # the meeting that will approve them exists first, so the approval is its first item.
    approving_id = flows.schedule_meeting(
        secretariat, "platform", flows.unique("keten goedkeuring"), today, "00:02", "00:30"
    )
    secretariat.goto(f"/meetings/{platform_id}")
    secretariat.click("#meeting-minutes-title ~ ul a[href^='/minutes/']")
    secretariat.wait_for_url(flows.MINUTES_URL)
    minutes_id = flows.id_in(secretariat.url, flows.MINUTES_URL)
    expect(secretariat.locator("#main")).to_contain_text(f"Het platform neemt maatregel {code} aan")
    flows.write_minutes_in_both_languages(
        secretariat, minutes_id, f"# Platform\n\n## 1. Maatregel {code}\n\nAangenomen."
    )
    secretariat.goto(f"/minutes/{minutes_id}")
    secretariat.click(f"form[action='/minutes/{minutes_id}/circulate'] [type=submit]")
    expect(secretariat.locator("dl.facts .tag-circulated")).to_be_visible()
    assert_accessible(secretariat)

    # A member of the platform reads the draft and comments on a section.
    member = dutch_pages()
    flows.log_in_speaking(member, flows.AGENCY_REP, "nl")
    member.goto(f"/minutes/{minutes_id}")
    expect(member.locator("dl.facts .tag-circulated")).to_be_visible()
    member.select_option("#section", index=1)
    member.fill("#body", "Graag de stemming vermelden.")
    member.click(f"form[action='/minutes/{minutes_id}/comments'] [type=submit]")
    expect(member.locator("#main .flash-success")).to_be_visible()
    expect(member.locator(".comment-list")).to_contain_text("Graag de stemming vermelden.")
    assert_accessible(member)

    # The secretariat resolves the comment; the next meeting approves; they are published.
    secretariat.goto(f"/minutes/{minutes_id}")
    resolve = secretariat.locator(f"form[action^='/minutes/{minutes_id}/comments/']").first
    resolve.locator("[id^=resolution-]").fill("Toegevoegd: unaniem.")
    resolve.locator("[type=submit]").click()
    expect(secretariat.locator(".comment-list .tag-done")).to_be_visible()
    assert_accessible(secretariat)
    approve = secretariat.locator(f"form[action='/minutes/{minutes_id}/approve']")
    expect(approve.locator(f"option[value='{approving_id}']")).to_have_count(1)
    approve.locator("select").first.select_option(str(approving_id))
    approve.locator("[type=submit]").click()
    expect(secretariat.locator("dl.facts .tag-approved")).to_be_visible()
    secretariat.click(f"form[action='/minutes/{minutes_id}/publish'] [type=submit]")
    expect(secretariat.locator("dl.facts .tag-published")).to_be_visible()
    assert_accessible(secretariat)

    # The member reads the published minutes with the decision and its effect on the measure.
    member.goto(f"/minutes/{minutes_id}")
    expect(member.locator("dl.facts .tag-published")).to_be_visible()
    expect(member.locator("#main")).to_contain_text(f"Het platform neemt maatregel {code} aan")
    expect(member.locator("#main .tag-adopted").first).to_be_visible()
    assert_accessible(member)

    # The measure shows the adoption at the platform meeting, on its agenda item.
    member.goto(f"/measures/{measure_id}")
    expect(member.locator("#main h1 + p .tag-adopted")).to_be_visible()
    adoption = member.locator("#timeline li", has=member.locator(".tag-adopted"))
    expect(adoption.locator(f"a[href='/meetings/{platform_id}']").first).to_be_visible()
    assert_accessible(member)

    # The dashboard counts it at that meeting.
    secretariat.goto("/dashboard/")
    row = secretariat.locator("#adoption-table tbody tr", has=secretariat.locator(
        f"a[href='/meetings/{platform_id}']"))  # fmt: skip
    expect(row.locator("td")).to_have_text("1")
    assert_accessible(secretariat)
    screenshot(secretariat, "journey-decision-chain-nl-BE")
