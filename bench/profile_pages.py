"""Where a page's time goes once its results are cached: run by ``make bench`` on the 1x data.

Each page is requested in-process (Flask test client, no network, no other load) as the bench
user, a few times to fill the cache, then timed, then profiled with cProfile. The report lists
the time per request and the application's and Jinja's functions that take the most of it
(cumulative), so that a page over its goal shows what would have to become cheaper.

    python bench/profile_pages.py --summary bench/work/bench_1x.json /dashboard/ /measures/
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from coordination import create_app
from coordination.auth.sessions import start_session
from coordination.db import db
from coordination.users.models import User

WARM_UP = 3
TIMED = 20
#: Lines of the profile kept per page: the application's functions and the template engine's.
SHOWN = 12
KEPT = ("coordination/", "jinja2/environment.py", "sqlalchemy/orm/session.py")


def signed_in_client(app, email: str):
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        secret = start_session(user, ip_address="127.0.0.1", user_agent="bench-profile")
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = secret
        session["_fresh"] = True
    return client


def profile(client, path: str) -> str:
    for _ in range(WARM_UP):
        client.get(path)
    started = time.perf_counter()
    for _ in range(TIMED):
        status = client.get(path).status_code
    per_request = (time.perf_counter() - started) * 1000 / TIMED
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(TIMED):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(80)
    rows = [line for line in out.getvalue().splitlines() if any(k in line for k in KEPT)]
    header = f"{path} ({status}): {per_request:.1f} ms per request, in-process, cache warm"
    lines = [
        "  calls  cumulative s (for 20 requests)  function",
        *(_short(row) for row in rows[:SHOWN]),
    ]
    return "\n".join([header, *lines])


def _short(row: str) -> str:
    """pstats' columns: ncalls tottime percall cumtime percall file:line(function)."""
    parts = row.split(None, 5)
    if len(parts) < 6:
        return row
    where = parts[5]
    for marker in ("site-packages/", "/work/main/", str(Path(__file__).resolve().parent.parent)):
        where = where.split(marker)[-1]
    return f"  {parts[0]:>7}  {float(parts[3]):7.3f}  {where}"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--summary", type=Path, required=True, help="bench/work/bench_1x.json")
    parser.add_argument("paths", nargs="+")
    options = parser.parse_args()
    summary = json.loads(options.summary.read_text())
    app = create_app(
        {
            "DATABASE_URL": summary["database_url"],
            "SECRET_KEY": "bench-profile-" + "k" * 40,
            "RATELIMIT_ENABLED": False,
            "CACHE_TYPE": "memory",
            "BASE_URL": "http://127.0.0.1",
        }
    )
    client = signed_in_client(app, summary["email"])
    print("\n\n".join(profile(client, path) for path in options.paths))
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
