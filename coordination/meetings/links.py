"""The address of a meeting's page: one rule for pages, e-mails and feeds."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, url_for

from coordination.core.urls import absolute_url
from coordination.meetings.models import Meeting


def meeting_url(meeting: Meeting | int, *, absolute: bool = False) -> str:
    """The meeting's page; ``absolute`` (from ``BASE_URL``) for e-mails and feeds.

    Whether the reader may open it is the policy's question, asked by the caller.
    """
    meeting_id = meeting if isinstance(meeting, int) else meeting.id
    if absolute:
        return absolute_url("meetings.show", meeting_id=meeting_id)
    return url_for("meetings.show", meeting_id=meeting_id)


def meeting_url_builder() -> Callable[[int], str]:
    """:func:`meeting_url` (absolute) for many meetings: the URL adapter is bound once."""
    base = current_app.config["BASE_URL"]
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return lambda meeting_id: base + adapter.build("meetings.show", {"meeting_id": meeting_id})
