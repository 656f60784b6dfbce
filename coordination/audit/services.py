"""Recording audit events. Callers pass everything explicitly (no request access here)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import inspect

from coordination.audit.models import AuditEvent
from coordination.core.texts import Texts
from coordination.db import db
from coordination.users.models import User


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a column value."""
    if isinstance(value, Texts):
        return value.as_dict()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _plain_deep(value: Any) -> Any:
    """Texts in a list or a mapping of changes as their languages; the rest as given."""
    if isinstance(value, Texts):
        return value.as_dict()
    if isinstance(value, list | tuple):
        return [_plain_deep(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain_deep(item) for key, item in value.items()}
    return value


def changes_of(obj: Any) -> dict[str, list[Any]]:
    """The pending column changes of an ORM object as {"field": [old, new]}."""
    state = inspect(obj)
    changed: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in {"version", "password_hash"}:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            changed[attr.key] = [_plain(old), _plain(new)]
    return changed


def record_event(
    action: str,
    *,
    actor: User | None,
    obj: Any = None,
    changes: dict[str, Any] | None = None,
    ip_address: str | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append an audit event to the current transaction."""
    object_type = object_id = None
    if obj is not None:
        if getattr(obj, "id", 0) is None:
            db.session.flush()  # a new object gets its id so the event can point at it
        object_type = getattr(obj, "__tablename__", type(obj).__name__)
        object_id = getattr(obj, "id", None)
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label or (actor.email if actor is not None else "anonymous"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes={key: _plain_deep(value) for key, value in (changes or {}).items()},
        ip_address=ip_address,
    )
    db.session.add(event)
    return event
