"""The translatable names of an enumeration's members, for forms, pages and exports."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from flask_babel import LazyString

E = TypeVar("E", bound=Enum)


class Labels(dict[E, LazyString]):
    """A name for every member of ``enum``, in the order given (the order forms offer them).

    A member without a name fails when the module is imported, not on the page that shows it.
    """

    def __init__(self, enum: type[E], labels: Mapping[E, LazyString]) -> None:
        unnamed = [member.name for member in enum if member not in labels]
        if unnamed:
            raise ValueError(f"{enum.__name__} without a label: {', '.join(unnamed)}")
        super().__init__(labels)
        self.enum = enum

    def label(self, value: E | str) -> str:
        """The name of ``value`` (a member, or the value stored for it) in the reader's
        language."""
        return str(self[self.enum(value)])
