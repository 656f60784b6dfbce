"""Every page each role can open, checked with axe-core (WCAG 2.1 A and AA).

The routes are those of ``tests/test_authorization_matrix.py`` that answer a GET with a page.
The objects in the URLs are demo data found through the pages that link to them (the first
upcoming bureau meeting, a measure with indicators, ...), never by a hard-coded id.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import flows
from tests.e2e.conftest import assert_accessible, login, screenshot

# One xdist worker runs every browser test: one server and one browser for them all.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

ACCOUNTS = {
    "secretariat": flows.SECRETARIAT,
    "agency_rep": flows.AGENCY_REP,
    "minister": flows.MINISTER,
    "rapporteur": flows.RAPPORTEUR,
}

#: Pages every role opens; ``{name}`` is an id found by ``LOOKUPS``.
EVERYONE = [
    "/", "/account", "/account/password", "/account/calendar", "/reauthenticate",
    "/agencies/", "/agencies/forums/{forum}",
    "/meetings/", "/meetings/calendar",
    "/meetings/{bureau_meeting}", "/meetings/{platform_meeting}",
    "/minutes/", "/minutes/{published}",
    "/minutes/{published}/revisions", "/minutes/{published}/revisions/1",
    "/minutes/{published}/diff?old=1&new=1",
    "/measures/", "/measures/?late=y", "/measures/{measure}",
    "/measures/plans", "/measures/plans/{plan}",
    "/search", "/search?q=mensenhandel", "/search?q=traite&kind=measures", "/search?q=zzqxj",
    "/no-such-page",
]  # fmt: skip

PLAN_READERS = ["/dashboard/", "/dashboard/briefing", "/dashboard/changes"]

#: Pages only the secretariat opens (and list filters whose rows differ, not their layout).
SECRETARIAT_ONLY = [
    "/meetings/?forum=bureau&when=past", "/minutes/?forum=platform", "/dashboard/?plan={plan}",
    "/admin/users/", "/admin/users/new", "/admin/users/{user}/edit", "/admin/audit/",
    "/admin/feeds/", "/agencies/new", "/agencies/{agency}/edit",
    "/agencies/{agency}/authority",
    "/agencies/forums/{forum}/reminders", "/meetings/forums/{forum}/standing-items",
    "/meetings/series", "/meetings/series/new", "/meetings/series/{series}/edit",
    "/meetings/new", "/meetings/{bureau_meeting}/edit", "/meetings/{bureau_meeting}/reschedule",
    "/meetings/{bureau_meeting}/cancel", "/meetings/{bureau_meeting}/held",
    "/meetings/{bureau_meeting}/replies", "/meetings/{bureau_meeting}/agenda/new",
    "/meetings/{bureau_meeting}/agenda/finalise",
    "/meetings/{bureau_meeting}/documents/new", "/meetings/agenda/{agenda_item}/edit",
    "/meetings/agenda/{agenda_item}/delete", "/meetings/documents/{document}/delete",
    "/meetings/documents/{document}/attach",
    "/meetings/{past_platform_meeting}/decisions", "/decisions/{item_decision}/correct",
    "/minutes/meeting/{bureau_meeting}/new", "/minutes/{published}/edit",
    "/minutes/{draft}", "/minutes/{draft}/edit", "/minutes/{draft}/attendance",
    "/minutes/{draft}/decisions", "/minutes/{draft}/follow-ups", "/minutes/{draft}/revisions",
    "/minutes/{approved}",
    "/measures/?status=bogus", "/measures/new", "/measures/{measure}/edit",
    "/measures/{measure}/status", "/measures/{measure}/agenda",
    "/measures/{measure}/indicators/new", "/measures/indicators/{indicator}/edit",
    "/measures/{measure}/reports/new", "/measures/reports", "/measures/reports/{report}/review",
    "/measures/plans/new", "/measures/plans/{plan}/carry-over",
]  # fmt: skip

PATHS = {
    "secretariat": EVERYONE + PLAN_READERS + SECRETARIAT_ONLY,
    # The Federal Police leads measures: it has the report form.
    "agency_rep": [
        *EVERYONE,
        "/measures/{led_measure}/reports/new",
        "/meetings/{bureau_meeting}/reply",
    ],
    "minister": EVERYONE + PLAN_READERS,
    "rapporteur": EVERYONE + PLAN_READERS,
}

CASES = [(role, path) for role, paths in PATHS.items() for path in paths]


LINK = "#main a[href]"

#: name -> (the role whose page is read, the page, the links to look at, their address);
#: a page may use ids found before it (``{name}``).
LOOKUPS: dict[str, tuple[str, str, str, str]] = {
    "forum": ("secretariat", "/agencies/", LINK, r"/agencies/forums/(\d+)"),
    "agency": ("secretariat", "/agencies/", LINK, r"/agencies/(\d+)/edit"),
    "user": ("secretariat", "/admin/users/", LINK, r"/admin/users/(\d+)/edit"),
    "series": ("secretariat", "/meetings/series", LINK, r"/meetings/series/(\d+)/edit"),
    "bureau_meeting": ("secretariat", "/meetings/?forum=bureau", LINK, r"/meetings/(\d+)"),
    "platform_meeting": ("secretariat", "/meetings/?forum=platform", LINK, r"/meetings/(\d+)"),
    "past_platform_meeting": ("secretariat", "/meetings/?forum=platform&when=past", LINK,
                              r"/meetings/(\d+)"),
    # The latest platform meeting of the demo adopted measures (this module runs before the
    # journeys add meetings of their own).
    "item_decision": ("secretariat", "/meetings/{past_platform_meeting}/decisions", LINK,
                      r"/decisions/(\d+)/correct"),
    "agenda_item": ("secretariat", "/meetings/{bureau_meeting}", LINK,
                    r"/meetings/agenda/(\d+)/edit"),
    "document": ("secretariat", "/meetings/{bureau_meeting}", LINK, r"/meetings/documents/(\d+)"),
    "published": ("secretariat", "/minutes/", "#main tr:has(.tag-published) a[href]",
                  r"/minutes/(\d+)"),
    "draft": ("secretariat", "/minutes/", "#main tr:has(.tag-draft) a[href]", r"/minutes/(\d+)"),
    "approved": ("secretariat", "/minutes/", "#main tr:has(.tag-approved) a[href]",
                 r"/minutes/(\d+)"),
    "measure": ("secretariat", "/measures/", LINK, r"/measures/(\d+)"),
    "indicator": ("secretariat", "/measures/{measure}", LINK,
                  r"/measures/indicators/(\d+)/edit"),
    "report": ("secretariat", "/measures/reports", LINK, r"/measures/reports/(\d+)/review"),
    "plan": ("secretariat", "/measures/plans", LINK, r"/measures/plans/(\d+)"),
    # The measures the representative's agency leads are on their home page.
    "led_measure": ("agency_rep", "/", "#main table a[href]", r"/measures/(\d+)"),
}  # fmt: skip

#: What the object's own page must show: the measure needs an indicator to edit.
HAVING = {"measure": "#main a[href^='/measures/indicators/']"}


def _look_up(page, name: str, found: dict[str, int]) -> int:
    """The id in the first matching link (whose page shows ``HAVING[name]``, if any)."""
    _, url, selector, pattern = LOOKUPS[name]
    url = url.format(**found)
    page.goto(url)
    hrefs = page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))")
    for href in hrefs:
        matched = re.fullmatch(pattern, href or "")
        if matched is None:
            continue
        if name in HAVING:
            page.goto(href)
            if not page.locator(HAVING[name]).count():
                continue
        return int(matched.group(1))
    raise AssertionError(f"no link like {pattern} under {selector} on {url}")


def _needed(names: list[str]) -> set[str]:
    """The names asked for, and those their pages need."""
    needed: set[str] = set()
    for name in names:
        needed |= _needed(re.findall(r"\{(\w+)\}", LOOKUPS[name][1])) | {name}
    return needed


@pytest.fixture(scope="module")
def logged_in(browser, live_server):
    """One logged-in page per role, shared by the module's tests (they only read)."""
    pages: dict[str, object] = {}

    def page_of(role: str):
        if role not in pages:
            page = browser.new_context(base_url=live_server, locale="en-GB").new_page()
            page.set_default_timeout(10_000)
            login(page, ACCOUNTS[role])
            pages[role] = page
        return pages[role]

    yield page_of
    for page in pages.values():
        page.context.close()


@pytest.fixture(scope="module")
def demo_ids(logged_in):
    """Ids of demo objects, each looked up once, when first needed."""
    found: dict[str, int] = {}

    def ids_for(names: list[str]) -> dict[str, int]:
        needed = _needed(names)
        for name in LOOKUPS:  # in order: later pages use earlier ids
            if name in needed and name not in found:
                found[name] = _look_up(logged_in(LOOKUPS[name][0]), name, found)
        return found

    return ids_for


@pytest.mark.parametrize(("role", "path"), CASES, ids=[f"{r}:{p}" for r, p in CASES])
def test_page_is_accessible(logged_in, demo_ids, role, path):
    names = re.findall(r"\{(\w+)\}", path)
    url = path.format(**demo_ids(names))
    page = logged_in(role)
    response = page.goto(url)
    assert response is not None
    expected = 404 if path == "/no-such-page" else 400 if "bogus" in path else 200
    assert response.status == expected, url
    assert_accessible(page)


#: A phone held upright (WCAG 2.1 1.4.10, Reflow: 320 CSS pixels wide), a common phone, and
#: a tablet held upright.
WIDTHS = (320, 390, 768)
#: The width at which axe checks every page again (the menu folded, the charts narrow).
PHONE_WIDTH = 390


@pytest.mark.parametrize("role", sorted(PATHS))
def test_no_page_scrolls_sideways_on_a_phone(logged_in, demo_ids, role):
    """Every page of the sweep at 320, 390 and 768 pixels: the page never scrolls sideways (a
    wide table scrolls in its own box) and axe finds nothing at a phone's width. Each role's
    home page is kept as a screenshot on a phone and on a desktop."""
    page = logged_in(role)
    usual = page.viewport_size
    try:
        too_wide = {}
        for path in PATHS[role]:
            page.set_viewport_size({"width": WIDTHS[0], "height": 800})
            page.goto(path.format(**demo_ids(re.findall(r"\{(\w+)\}", path))))
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                scrolled = page.evaluate("document.documentElement.scrollWidth")
                if scrolled > width:
                    too_wide[f"{path} at {width} px"] = scrolled
                if width == PHONE_WIDTH:
                    assert_accessible(page)
                if path == "/" and width == PHONE_WIDTH:
                    screenshot(page, f"home-{role}-{width}")
        assert too_wide == {}
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto("/")
        screenshot(page, f"home-{role}-1366")
    finally:
        page.set_viewport_size(usual)


#: Forms sent empty: the page comes back with the error summary and the fields marked invalid.
EMPTY_FORMS = [
    "/meetings/new", "/meetings/series/new", "/meetings/{bureau_meeting}/agenda/new",
    "/meetings/{bureau_meeting}/cancel", "/measures/new", "/measures/plans/new",
    "/measures/{measure}/indicators/new", "/admin/users/new", "/agencies/new",
    "/minutes/{draft}/decisions",
]  # fmt: skip


@pytest.mark.parametrize("path", EMPTY_FORMS)
def test_form_errors_are_accessible(logged_in, demo_ids, path):
    page = logged_in("secretariat")
    page.goto(path.format(**demo_ids(re.findall(r"\{(\w+)\}", path))))
    form = page.locator("#main form[method=post]:has(textarea, input[type=text])").first
    for field in form.locator("input[type=text], textarea").all():
        field.fill("")
    form.locator("[type=submit]").first.click()
    expect(page.locator("#main .error-summary, #main .field-error").first).to_be_visible()
    assert page.locator("#main [aria-invalid=true]").count() >= 1
    assert_accessible(page)
