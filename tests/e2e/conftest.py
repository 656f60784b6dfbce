"""Real-browser fixtures: the app under gunicorn on 127.0.0.1 with a fresh demo database,
driven by Playwright in Debian's chromium, with axe-core for accessibility checks.

Under ``CI=true`` a missing chromium fails the run; elsewhere the browser tests are skipped
with the reason shown.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.dates import get_month_names

from coordination.core.i18n import babel_locale
from tests.conftest import IN_CI, ROOT

CHROMIUM = os.environ.get("COORDINATION_CHROMIUM", "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
DEMO_PASSWORD = "demo-coordination-2026"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI requires the browser tests: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:  # noqa: S310 - local test server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start in time")


@pytest.fixture(scope="session")
def live_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's folder: its database (``e2e.sqlite``), uploads and log."""
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def live_server(live_workdir: Path) -> Iterator[str]:
    """gunicorn serving the app on a free port, with a fresh SQLite database and demo data."""
    workdir = live_workdir
    env = {
        **os.environ,
        "COORDINATION_ENV": "development",
        "COORDINATION_DATABASE_URL": f"sqlite:///{workdir / 'e2e.sqlite'}",
        "COORDINATION_SECRET_KEY": "e2e-secret-key-that-is-long-enough-0123456789",
        "COORDINATION_UPLOAD_DIR": str(workdir / "uploads"),
        # Journeys log in many times from one address: the login limiter is tested elsewhere.
        "COORDINATION_RATELIMIT_ENABLED": "false",
        "COORDINATION_MAIL_BACKEND": "console",
    }
    port = _free_port()
    env["COORDINATION_BASE_URL"] = f"http://127.0.0.1:{port}"
    flask = [sys.executable, "-m", "flask", "--app", "coordination"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*flask, "demo", "load"], env=env, cwd=ROOT, check=True, capture_output=True)
    log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4",
         "--bind", f"127.0.0.1:{port}", "coordination:create_app()"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require(Path(CHROMIUM).exists() or shutil.which("chromium") is not None, "chromium missing")
    _require(AXE_JS.exists(), "axe-core missing: run `npm ci`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def new_page(browser, live_server, locale: str = "en-GB"):
    """A page in a fresh browser context whose Accept-Language follows ``locale``."""
    return browser.new_context(base_url=live_server, locale=locale).new_page()


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real form (CSRF token included), with the authenticator's code
    where the account signs in in two steps (the demo secretariat)."""
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form[action='/login'] [type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path != "/login")
    if urlsplit(page.url).path == "/login/code":
        page.fill("#code", authenticator_code())
        page.click("form[action='/login/code'] [type=submit]")
    page.wait_for_url(lambda url: not urlsplit(url).path.startswith("/login"))


#: Time steps of the demo key already used in this run: the server accepts a code once.
_USED_STEPS: list[int] = []


def authenticator_code() -> str:
    """What the demo secretariat's authenticator app shows: a code of a step not used yet
    (the current one or the next, which the server accepts; else wait for the clock)."""
    import pyotp

    from coordination.demo import DEMO_SECOND_FACTOR_KEY

    while True:
        now = time.time()
        current = int(now // 30)
        fresh = [step for step in (current, current + 1) if step > max(_USED_STEPS, default=-1)]
        if fresh:
            _USED_STEPS.append(fresh[0])
            return pyotp.TOTP(DEMO_SECOND_FACTOR_KEY).at(fresh[0] * 30)
        time.sleep((current + 1) * 30 - now + 0.5)


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA) on the current page; return the violations."""
    page.wait_for_load_state("load")
    page.evaluate(AXE_JS.read_text())
    # Only the violations are wanted: skipping the details of passing checks halves the time.
    result = page.evaluate(
        "tags => axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"
    assert_content_in_the_page_language(page)
    assert_one_date_style(page)
    assert_no_developer_words(page)
    assert_buttons_and_tables_conventional(page)


@functools.cache
def _enum_words() -> re.Pattern[str]:
    """The application's enum values and names written the developer's way (``in_progress``,
    ``IN_PROGRESS``): a page that shows one has forgotten its label."""
    import enum

    from coordination import import_models

    import_models()  # the models define the enums
    words = set()
    pending = list(enum.Enum.__subclasses__())
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if not kind.__module__.startswith("coordination."):
            continue
        for member in kind:
            for word in (member.name, str(member.value)):
                if "_" in word and word.replace("_", "").isalpha():
                    words.add(word)
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


#: What only a developer should read: a recurrence rule, a shell command, an enum's own name.
DEVELOPER_WORDS = re.compile(
    r"\b(?:RRULE|FREQ=|BYDAY=|BYMONTHDAY=)"
    r"|\b(?:flask|alembic|pip|python3?|make) "
    r"(?:-m |install |db |meetings |outbox |demo |run\b|test\b|bench\b)"
)


#: The page's text without its <code> elements: a <code> marks an identifier shown on purpose
#: (the audit log's event codes, which its filter takes as typed), not a forgotten label.
TEXT_WITHOUT_CODE_JS = """
() => {
  let text = document.body.innerText;
  for (const code of document.body.querySelectorAll('code')) {
    text = text.replace(code.innerText, ' ');
  }
  return text;
}
"""


def assert_no_developer_words(page) -> None:
    text = page.evaluate(TEXT_WITHOUT_CODE_JS)
    found = DEVELOPER_WORDS.findall(text) + _enum_words().findall(text)
    assert found == [], f"{page.url}: developer words on the page: {sorted(set(found))}"


BUTTON_AND_TABLE_PROBLEMS_JS = """
async () => {
  // tables.js marks wide tables once the layout is known: let it run.
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const problems = [];
  const main = document.querySelector('#main');
  const shown = element => element.getClientRects().length > 0;
  const buttons = 'button, [role=button], input:is([type=submit], [type=button], [type=reset])';
  for (const button of main.querySelectorAll(buttons)) {
    if (!shown(button)) continue;
    const width = button.getBoundingClientRect().width;
    const saved = button.style.width;
    button.style.width = 'max-content';
    const words = button.getBoundingClientRect().width;
    button.style.width = saved;
    if (width > words + 2) {
      problems.push(`"${(button.innerText || button.value).trim()}" stretched to ${width} px`);
    }
  }
  for (const form of main.querySelectorAll('form')) {
    const primary = [...form.querySelectorAll('button:not([type=button]), input[type=submit]')]
      .filter(button => shown(button) && !button.matches('.secondary, .contrast, .outline'));
    if (primary.length > 1) {
      problems.push(`${primary.length} primary buttons in one form: `
        + primary.map(button => (button.innerText || button.value).trim()).join(' / '));
    }
  }
  for (const wrap of main.querySelectorAll('.table-wrap')) {
    if (wrap.scrollWidth <= wrap.clientWidth + 1) continue;
    const caption = (wrap.querySelector('caption') || {}).textContent;
    const hint = wrap.previousElementSibling;
    if (!(hint && hint.classList.contains('scroll-hint') && !hint.hidden && shown(hint))) {
      problems.push(`table "${caption}" wider than its box without a line saying so`);
    }
    if (wrap.getAttribute('role') !== 'region' || !wrap.getAttribute('aria-labelledby')) {
      problems.push(`table "${caption}" wider than its box is not a named region`);
    }
  }
  return problems;
}
"""


def assert_buttons_and_tables_conventional(page) -> None:
    """Buttons are as wide as their words and a form has one main (filled) button; a table
    wider than the screen says in words that it scrolls and is a region named by its caption."""
    problems = page.evaluate(BUTTON_AND_TABLE_PROBLEMS_JS)
    assert problems == [], f"{page.url}: {problems}"


def assert_content_in_the_page_language(page) -> None:
    """A Dutch or French page shows no content in another language: the demo data and what the
    journeys write exist in both, so no text falls back to the other community's ("not
    available in your language"). English is optional: an English page may fall back."""
    language = page.locator("html").get_attribute("lang")
    if language not in ("nl", "fr"):
        return
    # Every fallback carries the visible mark; a text shown in its own language on purpose
    # (a revision of the Dutch text, the boxes of a form side by side) does not.
    fallbacks = page.locator("#main .untranslated")
    shown = [
        fallbacks.nth(i).locator("xpath=..").inner_text() for i in range(min(fallbacks.count(), 5))
    ]
    assert shown == [], f"{page.url}: content not in {language}: {shown}"


_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b")
_WRITTEN_DATE = re.compile(r"\b\d{1,2}(?:er)? ([^\W\d_]+\.?) \d{4}\b")


def date_styles(text: str, language: str) -> set[str]:
    """The styles the dates of ``text`` are written in: numeric, abbreviated or written out."""
    locale = babel_locale(language)
    wide = {name.lower() for name in get_month_names("wide", locale=locale).values()}
    short = {name.lower() for name in get_month_names("abbreviated", locale=locale).values()}
    styles = {"numeric"} if _NUMERIC_DATE.search(text) else set()
    for month in (found.lower() for found in _WRITTEN_DATE.findall(text)):
        if month in wide:  # French "mars" is both: written out
            styles.add("written out")
        elif month in short:
            styles.add("abbreviated")
    return styles


def assert_one_date_style(page) -> None:
    """A page writes all its dates one way: not "3 Mar 2026" beside "03/03/2026"."""
    language = page.locator("html").get_attribute("lang") or "en"
    styles = date_styles(page.locator("#main").inner_text(), language)
    assert len(styles) <= 1, f"{page.url}: dates written {sorted(styles)}"


CHART_TEXT_PROBLEMS_JS = """
() => {
  // The page's small text: what a <small> in the main column measures.
  const probe = document.createElement('small');
  probe.textContent = 'x';
  document.querySelector('#main').appendChild(probe);
  const small = parseFloat(getComputedStyle(probe).fontSize);
  probe.remove();
  const problems = [];
  let shown = 0;
  for (const svg of document.querySelectorAll('#main svg.chart')) {
    const frame = svg.getBoundingClientRect();
    if (frame.width === 0) continue;  // the other layout's drawing
    shown += 1;
    for (const text of svg.querySelectorAll('text')) {
      const words = text.textContent.trim();
      if (!words) continue;
      const matrix = text.getScreenCTM();
      const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b);
      if (size < small - 0.01) problems.push(`${svg.id} "${words}": ${size.toFixed(1)} px`);
      const box = text.getBoundingClientRect();
      if (box.left < frame.left - 1 || box.right > frame.right + 1
          || box.top < frame.top - 1 || box.bottom > frame.bottom + 1) {
        problems.push(`${svg.id} "${words}": clipped`);
      }
    }
  }
  return {small, shown, problems};
}
"""


def assert_charts_legible(page) -> None:
    """Every chart shown reads at least at the page's small text, none of its text clipped."""
    result = page.evaluate(CHART_TEXT_PROBLEMS_JS)
    assert result["shown"], f"{page.url}: no chart shown"
    assert result["problems"] == [], (
        f"{page.url}: chart text under {result['small']} px or clipped: {result['problems']}"
    )


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
