"""The cache of computed results (feed bodies, dashboard figures, charts), keyed on data versions.

Where it lives: Redis when ``CACHE_REDIS_URL`` is set (shared by every worker of every server),
else files in the instance folder (shared by the workers of one machine); the tests use memory,
emptied before each test. Whatever it holds is found again only under the data versions it was
computed with (``core.versions``), the running code's version (a deployment starts afresh) and
the key parts the caller gives, which must include everything that makes two readers' results
differ (the user, the language, the filters).

A cache that fails (Redis gone, a full disk) never fails the request: the result is computed
as if nothing were cached, and the failure is logged.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from cachelib import BaseCache, FileSystemCache, RedisCache, SimpleCache
from flask import Flask, current_app

from coordination.core.versions import SCOPES, current_versions

log = logging.getLogger(__name__)

T = TypeVar("T")

_EXTENSION = "coordination.cache"
#: How long an entry may stay unused: versions change keys, this only frees the space.
DEFAULT_TIMEOUT = 24 * 3600


def init_cache(app: Flask) -> None:
    app.extensions[_EXTENSION] = _make_cache(app)
    code_version()  # at start-up, not in a reader's first request


def _make_cache(app: Flask) -> BaseCache:
    kind = app.config.get("CACHE_TYPE", "filesystem")
    if kind == "memory":
        return SimpleCache(threshold=1000, default_timeout=DEFAULT_TIMEOUT)
    url = app.config.get("CACHE_REDIS_URL")
    if url:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return RedisCache(client, key_prefix="coordination:", default_timeout=DEFAULT_TIMEOUT)
    folder = Path(app.instance_path) / "cache"
    try:
        return FileSystemCache(str(folder), threshold=5000, default_timeout=DEFAULT_TIMEOUT)
    except OSError:
        # A read-only instance folder must not stop the application: each worker keeps its own.
        log.warning("cannot keep the cache in %s: each worker keeps its own in memory", folder)
        return SimpleCache(threshold=1000, default_timeout=DEFAULT_TIMEOUT)


def the_cache() -> BaseCache:
    return current_app.extensions[_EXTENSION]


def clear_cache() -> None:
    the_cache().clear()


#: The files whose content shapes what is cached: code, templates, translations, styles.
_CODE_SUFFIXES = {".py", ".html", ".mo", ".css"}


@functools.cache
def code_version() -> str:
    """A hash of the running application's files: what an earlier version computed (before a
    deployment, or a migration that moved data) is never found again. The same for every worker
    of one deployment; computed once per process (a few milliseconds)."""
    from coordination import PACKAGE_DIR, app_folder

    digest = hashlib.sha256()
    for folder in (PACKAGE_DIR, app_folder("templates"), app_folder("migrations")):
        for path in sorted(folder.rglob("*")):
            if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(kind: str, parts: Iterable[object], versions: Iterable[tuple[str, str]]) -> str:
    text = repr((code_version(), kind, tuple(parts), tuple(versions)))
    return f"{kind}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached(
    kind: str,
    parts: Iterable[object],
    compute: Callable[[], T],
    *,
    scopes: Iterable[str] = SCOPES,
) -> T:
    """``compute()``, or what it returned before for the same ``kind`` and ``parts`` under the
    current versions of ``scopes`` (and of the access scope: who may see what)."""
    versions = current_versions()
    if versions is None:
        return compute()
    wanted = sorted({*scopes, "access"})
    key = cache_key(kind, parts, ((scope, versions[scope]) for scope in wanted))
    cache = the_cache()
    try:
        found = cache.get(key)
    except Exception:  # any cache failure: compute instead
        log.exception("cache read failed (%s)", kind)
        return compute()
    if found is not None:
        return found
    value = compute()
    if value is None:
        return value  # nothing worth keeping (a token that opens nothing ...)
    try:
        cache.set(key, value)
    except Exception:  # any cache failure: the value is still right
        log.exception("cache write failed (%s)", kind)
    return value


def remember_for(key: str, period: timedelta) -> bool:
    """True the first time ``key`` is seen in ``period`` (by any worker), then False until the
    period is over: for work done at most once a period. A failing cache always says True."""
    try:
        return bool(the_cache().add(key, True, timeout=max(1, int(period.total_seconds()))))
    except Exception:  # any cache failure: do the work
        log.exception("cache write failed (%s)", key)
        return True
