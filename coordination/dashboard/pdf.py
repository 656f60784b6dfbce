"""HTML to PDF with WeasyPrint, offline: only the application's own static files are read."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join


class StaticFilesOnly(URLFetcher):
    """Serves ``<base_url><static_url_path>/...`` from the static folder; refuses the rest.

    A PDF is rendered inside a request: fetching over HTTP would call the server itself (or
    the internet), so every other URL fails and WeasyPrint leaves that resource out.
    """

    def __init__(self, base_url: str, static_url_path: str, static_folder: str) -> None:
        super().__init__(allowed_protocols={"http", "https"})
        self._base = urlsplit(base_url)
        self._prefix = static_url_path.rstrip("/") + "/"
        self._folder = static_folder

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (self._base.scheme, self._base.netloc):
            raise ValueError(f"not fetched (only the application's static files): {url}")
        if not parts.path.startswith(self._prefix):
            raise ValueError(f"not fetched (only the application's static files): {url}")
        path = safe_join(self._folder, unquote(parts.path[len(self._prefix) :]))
        if path is None or not Path(path).is_file():
            raise ValueError(f"no such static file: {url}")
        media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, Path(path).read_bytes(), headers={"Content-Type": media_type}
        )


def html_to_pdf(html: str, *, base_url: str, static_url_path: str, static_folder: str) -> bytes:
    """The PDF of ``html`` whose relative links resolve against ``base_url``."""
    fetcher = StaticFilesOnly(base_url, static_url_path, static_folder)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
