"""The translatable names of an enumeration's members, for forms, pages and exports."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from flask_babel import LazyString

E = TypeVar("E", bound=Enum)

#: Every enumeration's names by stored value, for a page that shows a value without knowing
#: its enumeration (the audit log's changes). Values shared by two enumerations ("draft")
#: name the same idea in both.
_BY_VALUE: dict[str, LazyString] = {}


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
        for member, label in labels.items():
            _BY_VALUE.setdefault(str(member.value), label)

    def label(self, value: E | str) -> str:
        """The name of ``value`` (a member, or the value stored for it) in the reader's
        language."""
        return str(self[self.enum(value)])


def value_label(value: object) -> object:
    """The name of a stored enumeration value in the reader's language; anything else as is."""
    return _BY_VALUE.get(value, value) if isinstance(value, str) else value
