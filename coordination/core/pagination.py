"""Page numbers from the query string, kept within what a database can count to; pages of a
list every reader sees alike, kept in the cache."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import request
from flask_sqlalchemy.pagination import Pagination, SelectPagination

from coordination.core.cache import cached
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


class _CachedPagination(SelectPagination):
    """A page whose rows' ids and total come from the cache while the data stays as it is:
    the rows are then read by their ids, without sorting or counting the whole list."""

    def _query_items(self) -> list[Any]:
        args = self._query_args
        computed: list[Any] = []

        def page_ids() -> list[int]:
            computed.extend(SelectPagination._query_items(self))
            return [item.id for item in computed]

        parts = (*args["parts"], self.page, self.per_page)
        ids = cached(f"{args['kind']}-page", parts, page_ids, scopes=args["scopes"])
        if computed or not ids:
            return computed
        statement = args["select"].where(args["entity"].id.in_(ids))
        return list(args["session"].execute(statement).unique().scalars())

    def _query_count(self) -> int:
        args = self._query_args
        return cached(
            f"{args['kind']}-count",
            args["parts"],
            lambda: SelectPagination._query_count(self),
            scopes=args["scopes"],
        )


def paginate_cached(
    statement: Any,
    *,
    per_page: int,
    entity: Any,
    kind: str,
    parts: Iterable[object],
    scopes: Iterable[str],
) -> Pagination:
    """As :func:`paginate`, for a list every reader sees the same way (``parts`` says what makes
    two lists differ: the filters, the day): its pages and total are kept in the cache."""
    return _CachedPagination(
        page=page_number(),
        per_page=per_page,
        max_per_page=per_page,
        error_out=False,
        select=statement,
        session=db.session(),
        entity=entity,
        kind=kind,
        parts=tuple(parts),
        scopes=tuple(scopes),
    )
