"""HTTP response hardening applied to every response."""

from __future__ import annotations

from flask import Flask, Response, session

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Pico draws its form icons as data: SVG images.
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def apply_security_headers(app: Flask, response: Response) -> Response:
    """Set the headers every page carries (CSP, nosniff, referrer, framing, HSTS, and no
    caching of what a signed-in user sees)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if "_user_id" in session:
        # A signed-in page, export or document: no browser or proxy cache keeps a copy (a
        # shared computer, the back button after logout). Feeds say their own policy.
        headers.setdefault("Cache-Control", "no-store")
    if app.config.get("HSTS_ENABLED"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
