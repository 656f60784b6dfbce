"""RESULTS.md from the figures ``bench/load.py`` measured (nothing here is a typed number)."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.load import Measurement, MixedRun, PageLoad, ScaleRun

STATIC_LABEL = "static .ics"
RESULTS_HEAD = (
    "| endpoint | status | p50 | p90 | p95 | p99 | requests/s | vs static | requests | errors "
    "| measured (s) | alone (ms) | KiB | SQL statements |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def growth_head(small: int, large: int) -> str:
    return (
        f"| endpoint | p50 {small}x (ms) | p50 {large}x (ms) | p50 ratio | req/s {small}x "
        f"| req/s {large}x | SQL {small}x | SQL {large}x |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|"
    )


def render(runs: list[ScaleRun], micro: dict[str, str], context: dict[str, Any], options) -> str:
    parts = [
        header(context, options),
        goals(runs, micro, options),
        machine(context),
        method(runs, options),
        datasets(runs),
        *(scale_results(run) for run in runs),
        growth(runs),
        mixed_load(runs, options),
        fresh_workers(runs),
        errors(runs),
        micro_benchmarks(micro),
    ]
    return "\n".join(parts)


def header(context: dict[str, Any], options) -> str:
    started, finished = context["started_at"], context["finished_at"]
    return f"""# Benchmark results

Written by `make bench` (`bench/load.py`) on {started:%Y-%m-%d}, run from {started:%H:%M} to
{finished:%H:%M} UTC ({(finished - started).total_seconds() / 60:.0f} min). Every figure below
comes from that run; rerun `make bench` to refresh this file. Options: scales
{options.scales}, {options.duration} s measured per endpoint after a {options.warmup} s warm-up,
{options.connections} connections, {options.workers} gunicorn workers ({options.worker_class},
{options.threads} threads each).
"""


#: The pages of the p95 goal (issue 20): under 50 ms at the first scale, at most twice that
#: at the last.
GOAL_PAGES = (
    "login page",
    "meeting list",
    "meeting page",
    "measure list",
    "minutes page",
    "dashboard",
    "search",
    "search (code)",
)
P95_GOAL_MS = 50.0
FEED_GOALS = (("feed (304)", 0.8), ("feed (full)", 0.5))
FRESH_WORKER_GOAL = 3.0


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _measurement(run: ScaleRun, label: str) -> Measurement | None:
    return next((m for m in run.measurements if m.endpoint.label == label), None)


def in_process_ms(micro: dict[str, str]) -> dict[str, float]:
    """Each profiled path's time per request, in-process with the cache warm
    (``bench/profile_pages.py``'s lines "<path> (200): 5.6 ms per request")."""
    output = micro.get("bench/profile_pages.py", "")
    return {
        path: float(ms)
        for path, ms in re.findall(r"^(\S+) \(\d+\): ([\d.]+) ms per request", output, re.M)
    }


def goals(runs: list[ScaleRun], micro: dict[str, str], options) -> str:
    """Each goal of issue 20 against this run's figures, and for a goal not met what the
    profile says of it."""
    if not runs:
        return ""
    first, last = runs[0], runs[-1]
    rows: list[str] = []
    for label, ratio in FEED_GOALS:
        for run in runs:
            feed, static = _measurement(run, label), static_of(run)
            if feed and static and static.requests_per_second:
                got = feed.requests_per_second / static.requests_per_second
                rows.append(
                    f"| {label} >= {ratio}x the static file's throughput | {run.scale}x | "
                    f"{got:.2f}x | {_met(got >= ratio)} |"
                )
    slow: list[tuple[str, float]] = []
    for label in GOAL_PAGES:
        small = _measurement(first, label)
        if small is None:
            continue
        p95 = small.ms("p95_us")
        rows.append(
            f"| {label}: p95 < {P95_GOAL_MS:.0f} ms | {first.scale}x | {p95:.1f} ms | "
            f"{_met(p95 < P95_GOAL_MS)} |"
        )
        if p95 >= P95_GOAL_MS:
            slow.append((label, p95))
        large = _measurement(last, label) if last is not first else None
        if large is not None and small.figures["p95_us"]:
            growth = large.ms("p95_us") / p95
            rows.append(
                f"| {label}: p95 at {last.scale}x <= 2x its {first.scale}x figure | "
                f"{last.scale}x | {large.ms('p95_us'):.1f} ms ({growth:.1f}x) | "
                f"{_met(growth <= 2)} |"
            )
    if last is not first:
        grew = [
            small.endpoint.label
            for small, large in zip(first.measurements, last.measurements, strict=True)
            if small.statements != large.statements
        ]
        rows.append(
            f"| SQL statements per page constant in data size | {first.scale}x, {last.scale}x | "
            f"{'all equal' if not grew else 'differ: ' + ', '.join(grew)} | {_met(not grew)} |"
        )
    for run in runs:
        if run.first_requests:
            worst = max(run.first_requests, key=lambda row: row[1] / max(row[2], 0.001))
            ratio = worst[1] / max(worst[2], 0.001)
            rows.append(
                f"| first request of a fresh worker <= {FRESH_WORKER_GOAL:.0f}x a warm one | "
                f"{run.scale}x | {ratio:.1f}x at most ({worst[0]}) | "
                f"{_met(ratio <= FRESH_WORKER_GOAL)} |"
            )
    return f"""## Goals

The goals of the performance issue against this run (details in the sections below).

| goal | scale | this run | |
|---|---|---|---|
{chr(10).join(rows)}
{_why_slow(first, slow, micro, options)}"""


def _why_slow(run: ScaleRun, slow: list[tuple[str, float]], micro: dict[str, str], options) -> str:
    """For pages over the p95 goal: their own time per request (profiled in-process, the cache
    warm) against what the goal allows under this load on this machine."""
    if not slow:
        return ""
    cores = os.cpu_count() or 1
    share = options.connections / cores
    own = in_process_ms(micro)
    paths = {m.endpoint.label: m.endpoint.path for m in run.measurements}
    lines = []
    for label, p95 in slow:
        alone = own.get(paths.get(label, ""))
        if alone is None:
            lines.append(f"- {label}: p95 {p95:.0f} ms; not profiled in this run.")
            continue
        lines.append(
            f"- {label}: {alone:.1f} ms of its own per request (in-process, cache warm); "
            f"{share:.0f} such requests per core take about {alone * share:.0f} ms, "
            f"the p95 measured {p95:.0f} ms."
        )
    budget = P95_GOAL_MS / share
    return f"""
Why the p95 goals not met are not met, from the profile (`bench/profile_pages.py` below): the
load keeps {options.connections} requests in flight on {cores} cores shared with the database,
Redis and the load generator, so a request waits for about {share:.0f} others per core; a page
meets {P95_GOAL_MS:.0f} ms at p95 only if its own work takes under about {budget:.0f} ms. The
pages over the goal:

{chr(10).join(lines)}

What would meet it: less work per request in the template engine (the largest share of each
profile once the data is cached), or more cores per connection (each added core divides the
queue). The profile is of the first scale only; at the last, a page's rows (a longer list,
larger tables) add to both its own work and its wait.
"""


def machine(context: dict[str, Any]) -> str:
    rows = "\n".join(f"| {key} | {value} |" for key, value in context["machine"].items())
    return f"""## Machine

| | |
|---|---|
{rows}
| load average (1, 5, 15 min) at the start | {context["load_start"]} |
| load average (1, 5, 15 min) at the end | {context["load_end"]} |

The database, Redis, gunicorn and the load generator all run on this one machine and share
its cores; other work on the machine (a test suite running at the same time)
shows in the load averages above and lowers every figure alike.
"""


def method(runs: list[ScaleRun], options) -> str:
    email = runs[0].summary["email"] if runs else ""
    return f"""## Method

- **Server**: gunicorn with {options.workers} workers of class `{options.worker_class}` with
  {options.threads} threads each (the defaults of `make serve-prod`),
  `COORDINATION_ENV=production`, PostgreSQL, rate limits enabled and kept in Redis (a database
  of its own, `/5`, emptied before each scale), the cache of computed results in Redis too
  (`/6`, emptied before each scale: each endpoint's first requests compute, in its warm-up),
  access log written to a file. No TLS proxy: the
  production session cookie is `Secure`, so the bench sends it back explicitly.
- **User**: the pages are read as a member of the secretariat (`{email}`), who sees every
  forum, meeting and measure: the heaviest reader. The session comes from one real login
  through the form (GET `/login`, its CSRF token, POST). The feed is the same user's personal
  feed (every meeting from a year ago on), by its token.
- **Load**: {load_generator(options)} with {options.connections} connections,
  {options.warmup} s of warm-up then {options.duration} s measured per endpoint, timeout 60 s.
  Each endpoint is first requested once and must answer with the expected status (200, or
  304 for the conditional feed request) before it is measured.
- **Static .ics**: a file holding exactly the bytes of the feed response, served by the same
  gunicorn application (`/static/bench/`, Flask's static route). Its throughput is the speed
  limit of this server for a response of that size; the feed's throughput is given as a ratio
  of it.
- **Feed 304**: the same feed URL with `If-None-Match` set to the ETag of the full response.
- **SQL statements per page**: each page requested twice under the Flask test client against
  the same database; the second request's statements are counted with an SQLAlchemy
  `before_cursor_execute` listener.
"""


def load_generator(options) -> str:
    if options.generator == "wrk":
        return (
            "`wrk` (2 threads; latency percentiles from wrk's own histogram, printed by a Lua "
            "`done()` hook)"
        )
    return (
        "the bench's Python load generator (wrk not found, or `--generator python`; one "
        "thread per keep-alive connection, exact percentiles of every request; its own "
        "overhead makes the figures lower bounds)"
    )


def datasets(runs: list[ScaleRun]) -> str:
    tables = sorted({table for run in runs for table in run.summary["rows"]})
    head = "| table | " + " | ".join(f"{run.scale}x" for run in runs) + " |"
    rule = "|---|" + "---:|" * len(runs)
    lines = [
        f"| {table} | "
        + " | ".join(f"{run.summary['rows'].get(table, 0):,}" for run in runs)
        + " |"
        for table in tables
    ]
    total = (
        "| **all rows** | "
        + " | ".join(f"**{sum(run.summary['rows'].values()):,}**" for run in runs)
        + " |"
    )
    timing = "\n".join(
        f"- {run.scale}x: {run.summary['seconds']['total']} s in all (drop, create and migrate "
        f"{run.summary['seconds']['create_and_migrate']} s; build rows "
        f"{run.summary['seconds']['build_rows']} s; COPY and ANALYZE "
        f"{run.summary['seconds']['copy_and_analyze']} s; search index "
        f"{run.summary['seconds'].get('search_index', '-')} s)"
        for run in runs
    )
    return f"""## Data sets

Generated by `bench/dataset.py` into fresh databases migrated by the application's own
migrations (`flask db upgrade`), then filled with PostgreSQL `COPY`; the search index, which
the writes keep current and COPY bypasses, is then written from the rows as `flask search
reindex` writes it. Every account shares one scrypt password hash computed once.

At 1x: 200 agencies of every kind, 10 users each (2,000 users: secretariat, ministers'
cabinets, the rapporteur and agency representatives; one in ten deactivated), forum memberships
with history (one member in five left, one in five joined late), 20 years of both forums (the
platform twice a year, the bureau monthly, materialised a year ahead as `meetings extend`
does) with 3 to 5 agenda items each, and for every past held meeting published minutes (one in
twenty corrected once) with attendance of the agencies that sat in the forum that day, two
decisions and two follow-up actions; 5 action plans of 5 years (the last one open) with 5,000
measures in all, two partner agencies each, their status history (adoptions and rejections at a
held platform meeting), 3 indicators each with a target every plan year, accepted progress
reports and results for the past years of measures under way; a calendar token for every other
user.

**How 10x is scaled**: agencies, users and measures are ten times as many. Meetings cannot
take more than the 20 years at the same cadence, so each forum has ten series instead of one
over the same 20 years (ten twice-yearly platform series, ten monthly bureau series, on other
weekdays): ten times the meetings, agendas, minutes, decisions and follow-ups. Forum
memberships follow the agencies (ten times as many members), so attendance grows about a
hundredfold. Measures are not carried over from one plan to the next (`carried_over_from`
stays empty).

{head}
{rule}
{chr(10).join(lines)}
{total}

Generation time:

{timing}
"""


def static_of(run: ScaleRun) -> Measurement | None:
    return next((m for m in run.measurements if m.endpoint.label == STATIC_LABEL), None)


def scale_results(run: ScaleRun) -> str:
    static = static_of(run)
    lines = []
    for m in run.measurements:
        ratio = f"{m.requests_per_second / static.requests_per_second:.2f}x" if static else "-"
        statements = "-" if m.statements is None else str(m.statements)
        lines.append(
            f"| {m.endpoint.label} | {m.endpoint.expected_status} | {m.ms('p50_us'):.1f} | "
            f"{m.ms('p90_us'):.1f} | {m.ms('p95_us'):.1f} | {m.ms('p99_us'):.1f} | "
            f"{m.requests_per_second:.1f} | {ratio} | {m.figures['requests']:,} | {m.errors} | "
            f"{m.schedule.duration} | {m.probe.seconds * 1000:.0f} | "
            f"{m.response_bytes / 1024:.1f} | {statements} |"
        )
    feed = next((m for m in run.measurements if m.endpoint.label == "feed (full)"), None)
    verdict = ""
    if feed and static:
        verdict = (
            f"\n**Feed throughput: {feed.requests_per_second / static.requests_per_second:.2f}x "
            f"the static file's** ({feed.requests_per_second:.1f} against "
            f"{static.requests_per_second:.1f} requests/s for {feed.response_bytes / 1024:.1f} "
            "KiB).\n"
        )
    return f"""## Results at {run.scale}x

Paths: meeting page `/meetings/{run.summary["meeting_id"]}` (the bureau's last held meeting),
meeting list `/meetings/` (the secretariat's first forum, upcoming), measure list `/measures/`,
dashboard `/dashboard/` (no filter), minutes page `/minutes/{run.summary["minutes_id"]}` (the
minutes of that meeting), briefing PDF `/dashboard/briefing.pdf` (WeasyPrint; kept per reader
and data version). Latencies in milliseconds. *measured*: seconds of load
(the fixed duration, stretched for a slow page so that it completes about 20 requests);
*alone*: one request with the server otherwise idle, just before (it also checks the status).
A page with 0 requests completed none in the measured time (its percentiles are then 0).

{RESULTS_HEAD}
{chr(10).join(lines)}
{verdict}"""


def growth(runs: list[ScaleRun]) -> str:
    if len(runs) < 2:
        return ""
    first, last = runs[0], runs[-1]
    lines = []
    for small, large in zip(first.measurements, last.measurements, strict=True):
        slower = large.ms("p50_us") / small.ms("p50_us") if small.figures["p50_us"] else 0
        lines.append(
            f"| {small.endpoint.label} | {small.ms('p50_us'):.1f} | {large.ms('p50_us'):.1f} | "
            f"{slower:.1f}x | {small.requests_per_second:.1f} | "
            f"{large.requests_per_second:.1f} | {small.statements or '-'} | "
            f"{large.statements or '-'} |"
        )
    return f"""## How cost grows from {first.scale}x to {last.scale}x

{growth_head(first.scale, last.scale)}
{chr(10).join(lines)}
"""


MIXED_HEAD = (
    "| role | page | path | weight | requests | errors | p50 | p95 | answers/s |\n"
    "|---|---|---|---:|---:|---:|---:|---:|---:|"
)


def mixed_load(runs: list[ScaleRun], options) -> str:
    blocks = [mixed_block(run.scale, run.mixed) for run in runs if run.mixed is not None]
    if not blocks:
        return "## A mixed load of the four roles\n\nSkipped in this run (`--skip-mixed`).\n"
    return f"""## A mixed load of the four roles

After the endpoints, each scale runs the four roles at once against the same server: a
secretariat member, an agency representative (an agency of the bureau, so it sat in the
meeting read above), a minister and the rapporteur (Myria), each signed in as its own user of
the data set (the secretariat with its password and authenticator code: it keeps the session of
the measurements above; the others, without a second factor, through the login form).
{options.connections} keep-alive connections (at least one per role) are shared among the roles
in turn, and each requests its role's pages back to back, picked at random by the *weight*
below, for {options.duration} s (requests still running at the deadline are waited for, and
counted). The generator is the bench's Python one (one thread per connection, `http.client`),
not `wrk`: wrk's Lua hooks see each response's status but not its latency, so they cannot give
percentiles per page. Its own overhead (the GIL, on the server's cores) makes the figures lower
bounds. Every page is first requested once with its role's cookie and must answer 200; under
load, any other status (a 302 to the login page, a 403, a 404, a 5xx) or a socket error counts
in *errors*, never as an answer. Latencies in milliseconds, of the 200 answers; *answers/s* is
200 answers per second of the whole run. A page with a handful of requests has a p95 that is
its slowest one. The calendar feed is the representative's own, read by its token (no cookie,
no `If-None-Match`).

{chr(10).join(blocks)}"""


def mixed_block(scale: int, mixed: MixedRun) -> str:
    roles = list(dict.fromkeys(load.role for load in mixed.pages))
    lines = []
    for role in roles:
        loads = [load for load in mixed.pages if load.role == role]
        lines += [
            mixed_row(
                mixed,
                role,
                load.page.label,
                f"`{load.page.shown or load.page.path}`",
                str(load.page.weight),
                [load],
            )
            for load in loads
        ]
        lines.append(mixed_row(mixed, f"**{role}**", "**all its pages**", "", "", loads))
    lines.append(mixed_row(mixed, "**all roles**", "", "", "", mixed.pages))
    answers = sum(load.ok for load in mixed.pages)
    errors = sum(load.errors for load in mixed.pages)
    accounts = ", ".join(
        f"{role} `{email}` ({mixed.connections.get(role, 0)} connections)"
        for role, email in mixed.accounts.items()
    )
    failed = mixed.check_failures
    checks = (
        "**Checks failed** (the page did not answer 200 to its role before the load): "
        + "; ".join(
            f"{load.role} {load.page.label} `{load.page.path}`: {load.checked}" for load in failed
        )
        + "."
        if failed
        else "Every page answered 200 to its role before the load."
    )
    statuses = sorted({status for load in mixed.pages for status in load.failures})
    breakdown = (
        " Errors by status: "
        + ", ".join(
            f"{status}: {sum(load.failures.get(status, 0) for load in mixed.pages)}"
            for status in statuses
        )
        + "."
        if statuses
        else ""
    )
    return f"""At {scale}x: {accounts}. **Overall: {answers / mixed.seconds:.1f} answers/s**
({answers:,} answers and {errors} errors in {mixed.seconds:.1f} s; the logins and checks
before it took {mixed.preparation:.1f} s).{breakdown} {checks}

{MIXED_HEAD}
{chr(10).join(lines)}
"""


def percentile(latencies: list[int], share: int) -> int:
    ordered = sorted(latencies) or [0]
    return ordered[min(len(ordered) - 1, len(ordered) * share // 100)]


def mixed_row(
    mixed: MixedRun, role: str, page: str, path: str, weight: str, loads: list[PageLoad]
) -> str:
    latencies = [value for load in loads for value in load.latencies]
    requests = sum(load.requests for load in loads)
    errors = sum(load.errors for load in loads)
    return (
        f"| {role} | {page} | {path} | {weight} | {requests:,} | {errors} | "
        f"{percentile(latencies, 50) / 1000:.1f} | {percentile(latencies, 95) / 1000:.1f} | "
        f"{len(latencies) / mixed.seconds:.1f} |"
    )


def errors(runs: list[ScaleRun]) -> str:
    lines = []
    for run in runs:
        logins = ", ".join(f"{count} x {status}" for status, count in run.concurrent_logins.items())
        timeouts = run.server_errors.count("gunicorn WORKER TIMEOUT")
        exceptions = [error for error in run.server_errors if "WORKER TIMEOUT" not in error]
        kinds = sorted(set(exceptions))
        lines.append(
            f"- {run.scale}x: simultaneous logins of one account answered {logins} "
            "(302 is a successful login; 500 a server error; 429 the rate limit). "
            f"Exceptions in the server's error log: {len(exceptions)}"
            + (f" ({'; '.join(kinds)[:400]})" if kinds else "")
            + f". Workers killed by gunicorn's 30 s request timeout: {timeouts}."
        )
    return f"""## Errors under load

Each scale also submits, at the same instant, as many logins of the same account as there are
connections (each with its own form and CSRF token), then every endpoint's wrk errors (socket
errors, timeouts, statuses of 400 and above) are in the `errors` column above. A request that
outlasts gunicorn's worker timeout (30 s, the default `make serve-prod` keeps) has its worker
killed and its connection closed: a read error for the load generator.

{chr(10).join(lines)}
"""


def fresh_workers(runs: list[ScaleRun]) -> str:
    blocks = []
    for run in runs:
        if not run.first_requests:
            continue
        lines = [
            f"| {label} | {first:.0f} | {warm:.0f} | {first / warm if warm else 0:.1f}x |"
            for label, first, warm in run.first_requests
        ]
        blocks.append(
            f"At {run.scale}x:\n\n| page | first request (ms) | warm median (ms) | ratio |\n"
            "|---|---:|---:|---:|\n" + "\n".join(lines) + "\n"
        )
    if not blocks:
        return ""
    return """## The first request of a fresh worker

Goal: the first request of a fresh worker no slower than 3x a warm one. After the
measurements, a second server of one worker (same class and threads) is started on the same
data and logged in; each page is then requested once (the worker has served only the login
pages: the page's own templates and code still load on that request) and five times more.
*warm median* is the median of those five; *ratio* is the first request's time divided by it.
The cache of computed results is shared by the workers (Redis here, files in the instance
folder without it), so a fresh worker finds the figures and charts another worker already
computed.

""" + "\n".join(blocks)


def micro_benchmarks(micro: dict[str, str]) -> str:
    if not micro:
        return "## Micro-benchmarks\n\nSkipped in this run (`--skip-micro`).\n"
    blocks = "\n".join(f"`{name}`:\n\n```\n{output}\n```\n" for name, output in micro.items())
    return f"""## Micro-benchmarks

Run by `make bench` too, in-process (Flask test client, SQLite in a temporary directory): the
calendar feed of 1,000 meetings (pure builder, whole request, SQL statements of the full and
the 304 request) and the dashboard pages on a plan of 5,000 measures with 50 indicators each.
Their databases are made without the data versions, so the cache never answers: these figures
are what computing a page costs (after a write, or for the first reader of a day).
`bench/profile_pages.py` reads pages of the first scale's PostgreSQL data in-process, the cache
warm and nothing else running: the time per request, and the functions of the application (and
of the template engine) that take the most of it.

{blocks}"""
