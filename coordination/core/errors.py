"""Domain exceptions raised by services and turned into user messages by the views."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

#: Somebody else saved the object since the form was shown (a version column said so).
CONFLICT_MESSAGE = _l(
    "Someone else changed this in the meantime. Nothing was saved: reload the page to see "
    "their changes, then make yours again."
)


class DomainError(Exception):
    """A rule of the domain refused an operation; nothing was changed.

    ``message`` is a lazy-translatable string for the user; services never build HTML.
    """

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


class NotAllowed(DomainError):
    """The operation is not allowed in the object's current state."""


class ConflictError(DomainError):
    """Somebody else changed the object since it was loaded (optimistic locking)."""


def check_version(obj: Any, expected_version: int | None) -> None:
    """:raise ConflictError: when ``obj`` (with a ``version`` column) changed since the form
    that carries ``expected_version`` was shown."""
    if expected_version is not None and obj.version != expected_version:
        raise ConflictError(CONFLICT_MESSAGE)


class ValidationError(DomainError):
    """The input does not satisfy a domain rule."""
