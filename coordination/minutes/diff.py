"""Line differences between two texts (difflib), as rows a template renders as a table."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum


class Change(StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"
    #: A marker for unchanged lines left out between two groups of changes.
    SKIPPED = "skipped"


@dataclass(frozen=True)
class DiffRow:
    change: Change
    #: Line numbers in the old and the new text (None where the line does not exist).
    old_number: int | None
    new_number: int | None
    text: str


def line_diff(old: str, new: str, *, context: int = 3) -> list[DiffRow]:
    """The changed lines of ``new`` against ``old`` with ``context`` unchanged lines around.

    A replaced line appears as removed then added, so that every row says in words what
    happened to it. Returns an empty list when the texts are equal.
    """
    old_lines = old.splitlines()
    new_lines = new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[DiffRow] = []
    for group_index, group in enumerate(matcher.get_grouped_opcodes(context)):
        if group_index > 0 or (group and (group[0][1] > 0 or group[0][3] > 0)):
            rows.append(DiffRow(Change.SKIPPED, None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    DiffRow(Change.SAME, i + 1, j + 1, old_lines[i])
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            if tag in ("replace", "delete"):
                rows.extend(
                    DiffRow(Change.REMOVED, i + 1, None, old_lines[i]) for i in range(i1, i2)
                )
            if tag in ("replace", "insert"):
                rows.extend(DiffRow(Change.ADDED, None, j + 1, new_lines[j]) for j in range(j1, j2))
    if rows and not any(row.change in (Change.ADDED, Change.REMOVED) for row in rows):
        return []
    last = rows[-1] if rows else None
    if last is not None and _lines_left_after(last, len(old_lines), len(new_lines)):
        rows.append(DiffRow(Change.SKIPPED, None, None, ""))
    return rows


def _lines_left_after(row: DiffRow, old_count: int, new_count: int) -> bool:
    if row.old_number is not None and row.old_number < old_count:
        return True
    return row.new_number is not None and row.new_number < new_count


def summary(rows: list[DiffRow]) -> tuple[int, int]:
    """(lines added, lines removed)."""
    added = sum(1 for row in rows if row.change is Change.ADDED)
    removed = sum(1 for row in rows if row.change is Change.REMOVED)
    return added, removed
