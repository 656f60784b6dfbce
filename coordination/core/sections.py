"""Sections one domain adds to another's page: the meeting page shows the measures on its
agenda (action plan), the decisions taken on them (decisions) and its minutes (minutes).

A domain registers what its section needs (a function of the page's subject); the page's
view gathers every section before rendering and hands them to the template as ``sections``.
So no query runs from inside a template (its cost shows in the view's profile, and the
template only reads), and the page's domain imports none of the domains that add to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: page name -> section name -> what the section shows, computed from the page's subject.
_SECTIONS: dict[str, dict[str, Callable[[Any], Any]]] = {}


def add_section(page: str, name: str, compute: Callable[[Any], Any]) -> None:
    """Show ``compute(subject)`` as ``sections[name]`` on ``page`` (registering twice, as
    each application of the test suite does, replaces the same function)."""
    _SECTIONS.setdefault(page, {})[name] = compute


def page_sections(page: str, subject: Any) -> dict[str, Any]:
    """What every domain's section of ``page`` shows about ``subject``."""
    return {name: compute(subject) for name, compute in _SECTIONS.get(page, {}).items()}
