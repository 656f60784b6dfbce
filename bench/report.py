"""RESULTS.md from the figures ``bench/load.py`` measured (nothing here is a typed number)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.load import Measurement, ScaleRun

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
        machine(context),
        method(runs, options),
        datasets(runs),
        *(scale_results(run) for run in runs),
        growth(runs),
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
        f"{run.summary['seconds']['copy_and_analyze']} s)"
        for run in runs
    )
    return f"""## Data sets

Generated by `bench/dataset.py` into fresh databases migrated by the application's own
migrations (`flask db upgrade`), then filled with PostgreSQL `COPY`. Every account shares one
scrypt password hash computed once.

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
