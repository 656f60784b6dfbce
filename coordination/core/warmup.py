"""A production worker starts warm: what its first pages would otherwise do once, it does
before it serves anything.

Measured on a fresh worker (``make bench``, the first request of a fresh worker): a meeting
page's first request took 6x its next ones, of which half compiled the page's templates and a
third loaded the Markdown extensions. A worker now compiles every template (Jinja keeps them
in its cache, which holds them all) and loads Markdown when the application is created, in a
second or so at start-up. What remains on a first request is SQLAlchemy compiling the page's
statements (each once per process, then cached).

Only where ``WARM_UP`` is set (production): development reloads the templates it changes, and
the tests build many applications.
"""

from __future__ import annotations

from flask import Flask

from coordination.core.markdown import prepare_markdown

#: The kinds of template the application renders (pages, e-mails, calendars).
TEMPLATE_EXTENSIONS = ("html", "txt")


def warm_up(app: Flask) -> None:
    """Compile every template and load Markdown, once, before the first request."""
    environment = app.jinja_env
    for name in environment.list_templates(extensions=TEMPLATE_EXTENSIONS):
        environment.get_template(name)
    prepare_markdown()
