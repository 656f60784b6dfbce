"""The load benchmark (``make bench``): real data, real server, real HTTP; writes RESULTS.md.

For each scale (1x and 10x by default) it:

1. generates the data set on PostgreSQL (``bench/dataset.py``: drop, create, migrate, COPY);
2. counts the SQL statements of each page once, under the Flask test client;
3. starts gunicorn exactly as ``make serve-prod`` does (``COORDINATION_ENV=production``,
   Redis rate-limit storage), logs in once through the real form and keeps the session cookie;
4. writes the bytes of the calendar feed to a static ``.ics`` file served by the same server:
   the speed limit the feed is compared with;
5. sends a burst of simultaneous logins of the same account (a known source of conflicts);
6. measures each endpoint with ``wrk`` (fixed connections and duration, after a warm-up):
   latency p50/p90/p95/p99 and throughput;
7. runs a mixed load of the four roles (secretariat, agency representative, minister,
   rapporteur), each signed in as its own user, each connection requesting a weighted mix of
   its role's pages for the same duration (``--skip-mixed`` leaves it out).

Then it runs the two micro-benchmarks (``bench/feeds.py``, ``bench/dashboard.py``) and writes
``bench/RESULTS.md`` from what it measured; nothing in that file is typed by hand.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import render  # noqa: E402 - after the path set-up

BENCH = ROOT / "bench"
WORK = BENCH / "work"
#: Bench-only files served by the app's static route (gitignored).
STATIC_DIR = ROOT / "coordination" / "static" / "bench"
LUA_REPORT = BENCH / "wrk_report.lua"
USER_AGENT = "coordination-bench/1"
SESSION_COOKIE = "coordination_session"
SECRET_KEY = "bench-" + "k" * 40
#: What the search page is asked for: the words of the issue's example ("what did we decide
#: about the ECOSOC teams?"), held by a sixth of the agenda items and by minutes.
SEARCH_WORDS = "ECOSOC-teams controles"
#: A Redis database of its own, so that the bench never touches production counters (db 0).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
#: The cache of computed results, in Redis as under ``make serve-prod`` (a database of its own).
CACHE_REDIS_URL = os.environ.get("BENCH_CACHE_REDIS_URL", "redis://127.0.0.1:6379/6")
BIN = Path(sys.executable).parent


@dataclass
class Endpoint:
    label: str
    path: str
    #: Needs the logged-in session cookie.
    session: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    expected_status: int = 200


@dataclass
class Measurement:
    endpoint: Endpoint
    figures: dict[str, int]
    probe: Probe
    schedule: Plan
    statements: int | None

    @property
    def response_bytes(self) -> int:
        return self.probe.size

    @property
    def requests_per_second(self) -> float:
        return self.figures["requests"] / (self.figures["duration_us"] / 1e6)

    @property
    def errors(self) -> int:
        return sum(value for key, value in self.figures.items() if key.startswith("errors_"))

    def ms(self, key: str) -> float:
        return self.figures[key] / 1000


@dataclass
class ScaleRun:
    scale: int
    summary: dict[str, Any]
    measurements: list[Measurement] = field(default_factory=list)
    concurrent_logins: dict[str, int] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    #: (page, first request of a fresh worker in ms, median of the next ones in ms)
    first_requests: list[tuple[str, float, float]] = field(default_factory=list)
    mixed: MixedRun | None = None


# --- machine ------------------------------------------------------------------------------


def command_output(*command: str) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return "not installed"
    return (result.stdout or result.stderr).strip()


def machine_description() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    memory = re.search(r"MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text())
    postgres = command_output(
        "psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"
    )
    return {
        "CPU": model.group(1) if model else platform.processor(),
        "cores (os.cpu_count)": str(os.cpu_count()),
        "RAM": f"{int(memory.group(1)) / 1024 / 1024:.1f} GiB" if memory else "unknown",
        "OS": f"{platform.system()} {platform.release()}",
        "PostgreSQL": postgres,
        "Python": platform.python_version(),
        "gunicorn": command_output(str(BIN / "gunicorn"), "--version"),
        "wrk": command_output("wrk", "-v").splitlines()[0],
    }


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# --- data set and statement counts ----------------------------------------------------------


def generate(scale: int) -> dict[str, Any]:
    out = WORK / f"bench_{scale}x.json"
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "dataset.py"),
            "--database",
            f"bench_{scale}x",
            "--scale",
            str(scale),
            "--out",
            str(out),
        ],
        check=True,
    )
    return json.loads(out.read_text())


def endpoints(summary: dict[str, Any]) -> list[Endpoint]:
    token = summary["feed_token"]
    return [
        Endpoint("login page", "/login"),
        Endpoint("meeting list", "/meetings/", session=True),
        Endpoint("meeting page", f"/meetings/{summary['meeting_id']}", session=True),
        Endpoint("measure list", "/measures/", session=True),
        Endpoint("dashboard", "/dashboard/", session=True),
        Endpoint("minutes page", f"/minutes/{summary['minutes_id']}", session=True),
        Endpoint("briefing PDF", "/dashboard/briefing.pdf", session=True),
        # Words that many agenda items, minutes and decisions hold, and a measure's code.
        Endpoint("search", f"/search?q={quote(SEARCH_WORDS)}", session=True),
        Endpoint("search (code)", "/search?q=6.8", session=True),
        Endpoint("feed (full)", f"/feeds/{token}.ics"),
        Endpoint("feed (304)", f"/feeds/{token}.ics", expected_status=304),
        Endpoint("static .ics", f"/static/bench/feed-{summary['scale']}x.ics"),
    ]


def count_statements(summary: dict[str, Any], pages: list[Endpoint]) -> dict[str, int]:
    """SQL statements of each page's second request (the first warms the caches)."""
    import sqlalchemy as sa

    from coordination import create_app
    from coordination.db import db

    app = create_app(
        {
            "DATABASE_URL": summary["database_url"],
            "SECRET_KEY": SECRET_KEY,
            "RATELIMIT_ENABLED": False,
            "BASE_URL": "http://127.0.0.1",
        }
    )
    from coordination.auth.sessions import start_session
    from coordination.users.models import User

    with app.app_context():
        engine = db.engine
        user = db.session.scalars(sa.select(User).where(User.email == summary["email"])).one()
        # A server-side session, as the login form would start (tests/conftest.py sign_in).
        secret = start_session(user, ip_address="127.0.0.1", user_agent=USER_AGENT)
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = secret
        session["_fresh"] = True
    counts: dict[str, int] = {}
    etag = None
    for page in pages:
        if page.label == "static .ics":
            continue
        headers = {"If-None-Match": etag} if page.expected_status == 304 and etag else {}
        client.get(page.path, headers=headers)
        statements: list[str] = []

        def count(conn, cursor, statement, *args, statements=statements):
            statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", count)
        response = client.get(page.path, headers=headers)
        sa.event.remove(engine, "before_cursor_execute", count)
        if page.label == "feed (full)":
            etag = response.headers.get("ETag")
        counts[page.label] = len(statements)
    engine.dispose()
    return counts


# --- the server ---------------------------------------------------------------------------


def server_environment(summary: dict[str, Any], port: int) -> dict[str, str]:
    return dict(
        os.environ,
        COORDINATION_ENV="production",
        COORDINATION_SECRET_KEY=SECRET_KEY,
        COORDINATION_DATABASE_URL=summary["database_url"],
        COORDINATION_RATELIMIT_STORAGE_URI=REDIS_URL,
        COORDINATION_CACHE_REDIS_URL=CACHE_REDIS_URL,
        COORDINATION_BASE_URL=f"http://127.0.0.1:{port}",
    )


def start_server(
    summary: dict[str, Any], port: int, workers: int, options, *, name: str = "gunicorn"
) -> subprocess.Popen:
    """gunicorn as ``make serve-prod`` runs it (logs under bench/work/)."""
    scale = summary["scale"]
    command = [
        str(BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--worker-class",
        options.worker_class,
        "--threads",
        str(options.threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        str(WORK / f"{name}-{scale}x-access.log"),
        "--error-logfile",
        str(WORK / f"{name}-{scale}x-error.log"),
        "coordination:create_app()",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=server_environment(summary, port))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} (see bench/work/)")
        try:
            requests.get(f"http://127.0.0.1:{port}/login", timeout=30)
            return process
        except requests.RequestException:
            time.sleep(0.5)
    stop_server(process)
    raise RuntimeError("gunicorn did not answer within 120 s")


def free_port() -> int:
    """A port nobody listens on (other engineers' servers run on this machine too)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def flush_rate_limits() -> None:
    """Start every scale with empty counters (the bench logs in a few times per scale) and an
    empty cache (each endpoint's first requests compute, during its warm-up)."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    redis.Redis.from_url(CACHE_REDIS_URL).flushdb()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no CSRF token on the login page")
    return match.group(1)


@dataclass
class LoginForm:
    """The login form as a browser holds it: its session cookie and CSRF token."""

    cookie: str
    token: str


def session_cookie(response: requests.Response) -> str:
    """The ``Cookie`` header that sends back the session a response set.

    Production cookies are ``Secure``: an HTTP client keeps them to itself over plain HTTP, so
    the bench sends the cookie explicitly, as a browser behind the TLS proxy would.
    """
    value = response.cookies.get(SESSION_COOKIE)
    if not value:
        raise RuntimeError(f"{response.url}: no session cookie")
    return f"{SESSION_COOKIE}={value}"


def load_login_form(base: str) -> LoginForm:
    page = requests.get(f"{base}/login", headers={"User-Agent": USER_AGENT}, timeout=30)
    return LoginForm(session_cookie(page), csrf_token(page.text))


def submit_login(base: str, form: LoginForm, account: dict[str, Any]) -> requests.Response:
    """POST the login form for ``account`` (``email``, ``password``; the summary is the bench
    secretariat's account, ``summary["accounts"]`` holds one per role)."""
    return requests.post(
        f"{base}/login",
        data={"email": account["email"], "password": account["password"], "csrf_token": form.token},
        headers={"User-Agent": USER_AGENT, "Cookie": form.cookie},
        allow_redirects=False,
        timeout=60,
    )


def log_in(base: str, account: dict[str, Any]) -> str:
    """Log in through the real forms (password, then the authenticator's code: the secretariat
    signs in in two steps); returns the ``Cookie`` header of the logged-in session."""
    response = submit_login(base, load_login_form(base), account)
    if response.status_code != 302:
        raise RuntimeError(f"login of {account['email']} failed: {response.status_code}")
    cookie = session_cookie(response)
    location = response.headers.get("Location", "")
    if not location.endswith("/login/code"):
        if "/login" in location:  # e.g. /login/enrol: a second factor to set up first
            raise RuntimeError(f"login of {account['email']} stopped at {location}")
        return cookie
    if not account.get("second_factor_key"):
        raise RuntimeError(f"{account['email']} is asked for a code, and has no known key")
    page = requests.get(
        f"{base}/login/code", headers={"User-Agent": USER_AGENT, "Cookie": cookie}, timeout=30
    )
    if page.cookies.get(SESSION_COOKIE):  # the page's CSRF token belongs to its session
        cookie = session_cookie(page)
    response = requests.post(
        f"{base}/login/code",
        data={"code": authenticator_code(account), "csrf_token": csrf_token(page.text)},
        headers={"User-Agent": USER_AGENT, "Cookie": cookie},
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302 or "/login" in response.headers.get("Location", ""):
        raise RuntimeError(f"second step of the login failed: {response.status_code}")
    return session_cookie(response)


#: Time steps already used: the server accepts each code once.
_USED_STEPS: list[int] = []


def authenticator_code(account: dict[str, Any]) -> str:
    """What the bench user's authenticator app shows, for a step not used yet (the current one
    or the next, which the server accepts; else wait for the clock)."""
    import pyotp

    totp = pyotp.TOTP(account["second_factor_key"])
    while True:
        current = int(time.time() // 30)
        fresh = [step for step in (current, current + 1) if step > max(_USED_STEPS, default=-1)]
        if fresh:
            _USED_STEPS.append(fresh[0])
            return totp.at(fresh[0] * 30)
        time.sleep(1)


def concurrent_logins(base: str, summary: dict[str, Any], count: int) -> dict[str, int]:
    """``count`` logins of the same account submitted at the same instant; status counts."""
    forms = [load_login_form(base) for _ in range(count)]
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def submit(form: LoginForm) -> None:
        barrier.wait()
        statuses.append(submit_login(base, form, summary).status_code)

    threads = [threading.Thread(target=submit, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {str(status): statuses.count(status) for status in sorted(set(statuses))}


def write_static_feed(base: str, summary: dict[str, Any]) -> str:
    """Save the feed's exact bytes as the static file; returns the feed's ETag."""
    response = requests.get(f"{base}/feeds/{summary['feed_token']}.ics", timeout=60)
    response.raise_for_status()
    STATIC_DIR.mkdir(parents=True, exist_ok=True)
    (STATIC_DIR / f"feed-{summary['scale']}x.ics").write_bytes(response.content)
    return response.headers["ETag"]


@dataclass
class Probe:
    """The answer to one lone request: its size and how long the server took."""

    size: int
    seconds: float


def check(base: str, endpoint: Endpoint, cookie: str) -> Probe:
    """One request as the load generator will send it; refuses an unexpected answer."""
    started = time.perf_counter()
    response = requests.get(
        base + endpoint.path,
        headers=request_headers(endpoint, cookie),
        allow_redirects=False,
        timeout=300,
    )
    seconds = time.perf_counter() - started
    if response.status_code != endpoint.expected_status:
        raise RuntimeError(
            f"{endpoint.label}: {response.status_code}, not {endpoint.expected_status}"
        )
    return Probe(len(response.content), seconds)


def request_headers(endpoint: Endpoint, cookie: str) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, **endpoint.headers}
    if endpoint.session:
        headers["Cookie"] = cookie
    return headers


# --- wrk ----------------------------------------------------------------------------------


def run_wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> dict[str, int]:
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "60s",
        "--latency",
        "--script",
        str(LUA_REPORT),
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    report = result.stdout.split("BENCH-REPORT", 1)[1]
    return {
        key: int(value) for key, value in (line.split() for line in report.strip().splitlines())
    }


def run_python(url: str, headers: dict[str, str], seconds: int, connections: int) -> dict[str, int]:
    """The fallback where wrk cannot be installed: one thread per keep-alive connection.

    Same figures as the wrk hook; its own overhead (the GIL, on the server's cores) is higher,
    so its figures are lower bounds.
    """
    address = urlsplit(url)
    latencies: list[int] = []
    counters = {"bytes": 0, "errors_status": 0, "errors_read": 0}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", address.path, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                with lock:
                    counters["errors_read"] += 1
                continue
            with lock:
                latencies.append(round((time.perf_counter() - started) * 1e6))
                counters["bytes"] += len(body)
                counters["errors_status"] += response.status >= 400
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies) or [0]
    figures = {
        "requests": len(latencies),
        "duration_us": round((time.perf_counter() - started) * 1e6),
    }
    figures |= counters | {"errors_connect": 0, "errors_write": 0, "errors_timeout": 0}
    for share in (50, 90, 95, 99):
        figures[f"p{share}_us"] = ordered[min(len(ordered) - 1, len(ordered) * share // 100)]
    figures["max_us"] = ordered[-1]
    return figures


@dataclass(frozen=True)
class Plan:
    """How long to load one endpoint, from the time of one lone request."""

    warmup: int
    duration: int
    #: Pause afterwards, so that requests the generator abandoned at the end (the workers
    #: still compute them) do not slow the next endpoint down.
    drain: float


#: Completed requests wanted in the measured period, even for a page of several seconds.
MIN_REQUESTS = 20
MAX_DURATION = 120


def plan(probe: Probe, options) -> Plan:
    """Fixed duration, stretched for slow pages so that they complete enough requests.

    With all cores busy, a page that takes T seconds alone is served about ``cores / T`` times
    a second; ``MIN_REQUESTS`` of them need ``MIN_REQUESTS * T / cores`` seconds.
    """
    cores = os.cpu_count() or 1
    needed = MIN_REQUESTS * probe.seconds / cores
    duration = min(MAX_DURATION, max(options.duration, round(needed)))
    # A slow page's lone request already warmed it; a warm-up would only leave work behind.
    warmup = options.warmup if probe.seconds * options.connections < options.warmup else 0
    drain = min(MAX_DURATION, probe.seconds * options.connections / cores)
    return Plan(warmup, duration, drain)


def measure(base: str, endpoint: Endpoint, cookie: str, schedule: Plan, options) -> dict:
    headers = request_headers(endpoint, cookie)
    load = run_wrk if options.generator == "wrk" else run_python
    if schedule.warmup:
        load(base + endpoint.path, headers, schedule.warmup, options.connections)
        time.sleep(schedule.drain)
    figures = load(base + endpoint.path, headers, schedule.duration, options.connections)
    time.sleep(schedule.drain)
    return figures


def server_errors(scale: int) -> list[str]:
    """Exceptions (tracebacks' last lines) and killed workers in the server's error log.

    gunicorn kills a sync worker whose request lasts longer than its ``--timeout`` (30 s by
    default, as in ``make serve-prod``); the client gets its connection closed.
    """
    log = (WORK / f"gunicorn-{scale}x-error.log").read_text(errors="replace").splitlines()
    exceptions = [
        line.strip()
        for previous, line in itertools.pairwise(log)
        if previous.startswith("  ") and re.match(r"^[\w.]+(Error|Exception)\b", line)
    ]
    timeouts = ["gunicorn WORKER TIMEOUT" for line in log if "WORKER TIMEOUT" in line]
    return exceptions + timeouts


def bench_scale(scale: int, options) -> ScaleRun:
    print(f"== {scale}x: generating the data set", flush=True)
    summary = generate(scale)
    run = ScaleRun(scale, summary)
    pages = endpoints(summary)
    print(f"== {scale}x: counting SQL statements", flush=True)
    statements = count_statements(summary, pages)
    flush_rate_limits()
    port = options.port or free_port()
    base = f"http://127.0.0.1:{port}"
    for log in ("error", "access"):
        (WORK / f"gunicorn-{scale}x-{log}.log").unlink(missing_ok=True)
    server = start_server(summary, port, options.workers, options)
    try:
        cookie = log_in(base, summary)
        etag = write_static_feed(base, summary)
        conditional = next(page for page in pages if page.expected_status == 304)
        conditional.headers["If-None-Match"] = etag
        run.concurrent_logins = concurrent_logins(base, summary, options.connections)
        for endpoint in pages:
            probe = check(base, endpoint, cookie)
            schedule = plan(probe, options)
            print(f"== {scale}x: {endpoint.label} {schedule}", flush=True)
            figures = measure(base, endpoint, cookie, schedule, options)
            run.measurements.append(
                Measurement(endpoint, figures, probe, schedule, statements.get(endpoint.label))
            )
        if not options.skip_mixed:
            print(f"== {scale}x: mixed load of the four roles", flush=True)
            run.mixed = mixed_load(base, summary, cookie, options)
            answers = sum(load.ok for load in run.mixed.pages)
            print(
                f"== {scale}x: mixed load: {answers} answers in {run.mixed.seconds:.1f} s "
                f"(logins and checks before it {run.mixed.preparation:.1f} s)",
                flush=True,
            )
    finally:
        stop_server(server)
    run.server_errors = server_errors(scale)
    print(f"== {scale}x: first requests of a fresh worker", flush=True)
    run.first_requests = fresh_worker_requests(summary, pages, options)
    return run


#: Pages profiled in-process once the load is measured (``bench/profile_pages.py``).
PROFILED = (
    "meeting list",
    "meeting page",
    "minutes page",
    "measure list",
    "dashboard",
    "search",
    "search (code)",
)

#: Pages whose first request in a fresh worker is timed against its next ones.
FRESH_WORKER_PAGES = ("meeting page", "minutes page", "measure list", "dashboard")
WARM_REQUESTS = 5


def fresh_worker_requests(
    summary: dict[str, Any], pages: list[Endpoint], options
) -> list[tuple[str, float, float]]:
    """A new server of one worker: each page's first request (the worker has imported the
    application but rendered nothing yet; the shared cache holds what the measured server
    computed) against the median of the next ones."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(summary, port, 1, options, name="fresh")
    results = []
    try:
        cookie = log_in(base, summary)
        for endpoint in (page for page in pages if page.label in FRESH_WORKER_PAGES):
            first = check(base, endpoint, cookie).seconds * 1000
            warm = sorted(
                check(base, endpoint, cookie).seconds * 1000 for _ in range(WARM_REQUESTS)
            )
            results.append((endpoint.label, first, warm[len(warm) // 2]))
    finally:
        stop_server(server)
    return results


# --- the mixed load of the four roles -------------------------------------------------------


@dataclass(frozen=True)
class MixedPage:
    label: str
    path: str
    #: Share of the role's requests, relative to the role's other pages.
    weight: int
    #: Sends the role's session cookie (the calendar feed is read by its token alone).
    session: bool = True
    #: The path as the report shows it (without a secret token).
    shown: str = ""


@dataclass(frozen=True)
class MixedRole:
    role: str
    label: str
    pages: tuple[MixedPage, ...]


def mixed_roles(summary: dict[str, Any]) -> list[MixedRole]:
    """Each role's pages and how often it asks for them (a guess at a working day: lists and
    the meeting page most, the PDF briefing least)."""
    meeting, minutes = f"/meetings/{summary['meeting_id']}", f"/minutes/{summary['minutes_id']}"
    feed = f"/feeds/{summary['accounts']['agency_rep']['feed_token']}.ics"
    search = f"/search?q={quote(SEARCH_WORDS)}"
    return [
        MixedRole(
            "secretariat",
            "secretariat",
            (
                MixedPage("meeting list", "/meetings/", 3),
                MixedPage("meeting page", meeting, 3),
                MixedPage("measure list", "/measures/", 2),
                MixedPage("minutes page", minutes, 2),
                MixedPage("search", search, 1),
            ),
        ),
        MixedRole(
            "agency_rep",
            "agency representative",
            (
                MixedPage("home", "/", 3),
                MixedPage("meeting list", "/meetings/", 2),
                MixedPage("meeting page", meeting, 2),
                MixedPage("calendar feed", feed, 1, session=False, shown="/feeds/<token>.ics"),
                MixedPage("measure list", "/measures/", 2),
                MixedPage("search", search, 1),
            ),
        ),
        MixedRole(
            "minister",
            "minister",
            (
                MixedPage("dashboard", "/dashboard/", 3),
                MixedPage("briefing page", "/dashboard/briefing", 2),
                MixedPage("briefing PDF", "/dashboard/briefing.pdf", 1),
                MixedPage("measure list", "/measures/", 2),
            ),
        ),
        MixedRole(
            "rapporteur",
            "rapporteur",
            (
                MixedPage("dashboard", "/dashboard/", 3),
                MixedPage("measure list", "/measures/", 2),
                MixedPage("minutes page", minutes, 2),
            ),
        ),
    ]


@dataclass
class PageLoad:
    """What one role's page got during the mixed load."""

    role: str
    page: MixedPage
    #: Latencies (microseconds) of the answers with the expected status (200).
    latencies: list[int] = field(default_factory=list)
    #: Unexpected answers by status ("read" for a socket error or timeout).
    failures: dict[str, int] = field(default_factory=dict)
    #: The status of the one request sent before the load (must be 200).
    checked: int = 0

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(self.failures.values())

    @property
    def requests(self) -> int:
        return self.ok + self.errors


@dataclass
class MixedRun:
    duration: int
    #: From the start until the last connection got its last answer (requests still running
    #: at the deadline are waited for).
    seconds: float
    accounts: dict[str, str]
    connections: dict[str, int]
    pages: list[PageLoad]
    #: The logins and the one request per page before the load.
    preparation: float = 0.0

    @property
    def check_failures(self) -> list[PageLoad]:
        return [load for load in self.pages if load.checked != 200]


def mixed_load(base: str, summary: dict[str, Any], cookie: str, options) -> MixedRun:
    """``options.connections`` keep-alive connections (at least one per role), shared among the
    roles in turn; each requests its role's pages at random by weight, back to back, for
    ``options.duration`` seconds. The secretariat keeps the bench session of the endpoint
    measurements; the other roles sign in through the form first.

    Every page is first requested once with its role's cookie: an answer other than 200 is
    reported (and printed) as a failed check, and the page's requests under load count as
    errors, never as answers.
    """
    prepared = time.perf_counter()
    roles = mixed_roles(summary)
    accounts = summary["accounts"]
    cookies = {
        role.role: cookie if role.role == "secretariat" else log_in(base, accounts[role.role])
        for role in roles
    }
    loads = {
        (role.role, page.label): PageLoad(role.role, page) for role in roles for page in role.pages
    }
    for load in loads.values():
        response = requests.get(
            base + load.page.path,
            headers=mixed_headers(load.page, cookies[load.role]),
            allow_redirects=False,
            timeout=300,
        )
        load.checked = response.status_code
        if response.status_code != 200:
            where = response.headers.get("Location", "")
            print(
                f"!! mixed load: {load.role} {load.page.label} {load.page.path} answered "
                f"{response.status_code} {where}".rstrip(),
                file=sys.stderr,
                flush=True,
            )
    address = urlsplit(base)
    host, port = address.hostname or "127.0.0.1", address.port
    count = max(options.connections, len(roles))
    assigned = [roles[number % len(roles)] for number in range(count)]
    lock = threading.Lock()
    preparation = time.perf_counter() - prepared
    deadline = time.perf_counter() + options.duration

    def client(number: int, role: MixedRole) -> None:
        chooser = random.Random(number)  # a load mix, not a secret
        weights = [page.weight for page in role.pages]
        headers = {page.label: mixed_headers(page, cookies[role.role]) for page in role.pages}
        latencies: dict[str, list[int]] = {page.label: [] for page in role.pages}
        failures: dict[str, list[str]] = {page.label: [] for page in role.pages}
        connection = http.client.HTTPConnection(host, port, timeout=60)
        while time.perf_counter() < deadline:
            page = chooser.choices(role.pages, weights)[0]
            started = time.perf_counter()
            try:
                connection.request("GET", page.path, headers=headers[page.label])
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                failures[page.label].append("read")
                continue
            if response.status == 200:
                latencies[page.label].append(round((time.perf_counter() - started) * 1e6))
            else:
                failures[page.label].append(str(response.status))
        connection.close()
        with lock:
            for label, values in latencies.items():
                loads[role.role, label].latencies.extend(values)
            for label, statuses in failures.items():
                tally = loads[role.role, label].failures
                for status in statuses:
                    tally[status] = tally.get(status, 0) + 1

    started = time.perf_counter()
    threads = [
        threading.Thread(target=client, args=(number, role)) for number, role in enumerate(assigned)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return MixedRun(
        duration=options.duration,
        seconds=time.perf_counter() - started,
        accounts={role: account["email"] for role, account in accounts.items()},
        connections={role.role: assigned.count(role) for role in roles},
        pages=list(loads.values()),
        preparation=preparation,
    )


def mixed_headers(page: MixedPage, cookie: str) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT}
    if page.session:
        headers["Cookie"] = cookie
    return headers


# --- micro-benchmarks and the report ----------------------------------------------------------


def micro_benchmark(script: str, *arguments: str) -> str:
    print(f"== micro-benchmark {script}", flush=True)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(BENCH / script), *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    took = time.perf_counter() - started
    if result.returncode != 0:  # the load figures are still worth writing down
        failure = "\n".join(result.stderr.rstrip().splitlines()[-5:])
        return f"FAILED (exit {result.returncode}):\n{failure}\n(whole script: {took:.0f} s)"
    return result.stdout.rstrip() + f"\n(whole script: {took:.0f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--duration", type=int, default=15, help="seconds measured per endpoint")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread", help="as make serve-prod")
    parser.add_argument("--threads", type=int, default=4, help="per worker (gthread)")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--skip-micro", action="store_true")
    parser.add_argument("--skip-mixed", action="store_true", help="no mixed load of the four roles")
    parser.add_argument(
        "--generator", choices=("auto", "wrk", "python"), default="auto", help="auto: wrk if found"
    )
    options = parser.parse_args()
    if options.generator == "auto":
        options.generator = "wrk" if shutil.which("wrk") else "python"
    WORK.mkdir(exist_ok=True)
    started_at = datetime.now(UTC)
    context = {"machine": machine_description(), "load_start": load_average()}
    runs = [bench_scale(int(scale), options) for scale in options.scales.split(",")]
    micro = {}
    if not options.skip_micro:
        micro["bench/feeds.py"] = micro_benchmark("feeds.py")
        micro["bench/dashboard.py"] = micro_benchmark("dashboard.py")
        first = runs[0]
        micro["bench/profile_pages.py"] = micro_benchmark(
            "profile_pages.py",
            "--summary",
            str(WORK / f"bench_{first.scale}x.json"),
            *(endpoint.path for endpoint in endpoints(first.summary) if endpoint.label in PROFILED),
        )
    context.update(load_end=load_average(), started_at=started_at, finished_at=datetime.now(UTC))
    options.out.write_text(render(runs, micro, context, options))
    print(f"wrote {options.out}")


if __name__ == "__main__":
    main()
