"""Page numbers from the query string, kept within what a database can count to."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_sqlalchemy.pagination import Pagination

from coordination.db import db

#: Beyond this a page number is nonsense (and its offset would overflow the database's integer).
MAX_PAGE = 100_000


def page_number() -> int:
    """``?page=`` as a page number: 1 when missing or unreadable, at most ``MAX_PAGE``."""
    raw = request.args.get("page", "")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else 1
    return min(max(number, 1), MAX_PAGE)


def paginate(statement: Any, *, per_page: int) -> Pagination:
    """The page of ``statement`` that the query string asks for (an empty one past the end)."""
    return db.paginate(
        statement, page=page_number(), per_page=per_page, max_per_page=per_page, error_out=False
    )
