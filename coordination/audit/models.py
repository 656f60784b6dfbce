"""AuditEvent: one row per write or security event, never updated or deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.db import Model, intpk, str80, str255, utcnow
from coordination.users.models import User


class AuditEvent(Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_at", "at"),
    )

    id: Mapped[intpk]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None for anonymous events (a failed login) and for the CLI without a user.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Who acted, kept as text so the record stays readable if the account is removed.
    actor_label: Mapped[str255]
    #: Dotted verb, e.g. "meeting.cancel", "auth.login_failed".
    action: Mapped[str80] = mapped_column(index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    #: What changed: {"field": [old, new]} or free details for security events.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(45))

    actor: Mapped[User | None] = relationship()


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(_mapper: object, _connection: object, target: AuditEvent) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(_mapper: object, _connection: object, target: AuditEvent) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be deleted")
