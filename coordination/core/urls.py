"""URL helpers."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next_url(target: object) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects).

    Refuses absolute URLs, scheme-relative ``//host`` and ``/\\host`` forms, and control
    characters that browsers strip before resolving.
    """
    if not target or not isinstance(target, str):
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def absolute_url(endpoint: str, **values: object) -> str:
    """An absolute link for e-mails and feeds, built from ``BASE_URL`` (works without a request)."""
    from flask import current_app

    adapter = current_app.url_map.bind("localhost", script_name="/")
    path = adapter.build(endpoint, values, force_external=False)
    return current_app.config["BASE_URL"] + path
