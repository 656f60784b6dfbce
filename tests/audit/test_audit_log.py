"""The audit log: every write and login is recorded; nothing can change a record."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coordination.audit.models import AuditEvent, AuditLogIsAppendOnly
from coordination.audit.services import record_event
from coordination.db import db
from tests import factories


def test_events_cannot_be_changed_or_deleted(app):
    event = record_event("test.event", actor=None, changes={"a": [1, 2]})
    db.session.commit()
    event.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).action == "test.event"


def test_account_changes_are_recorded_with_what_changed(app, login_as):
    secretariat = factories.user(factories.Role.SECRETARIAT)
    rep = factories.user(full_name="Old Name")
    db.session.commit()
    client = login_as(secretariat)
    response = client.post(
        f"/admin/users/{rep.id}/edit",
        data={"email": rep.email, "full_name": "New Name", "role": "agency_rep",
              "agency": rep.agency.code, "locale": ""},
    )  # fmt: skip
    assert response.status_code == 302
    event = db.session.scalar(select(AuditEvent).filter_by(action="user.update"))
    assert event.actor_id == secretariat.id
    assert event.object_type == "users"
    assert event.object_id == rep.id
    assert event.changes["full_name"] == ["Old Name", "New Name"]


def test_audit_log_is_filterable(app, login_as):
    secretariat = factories.user(factories.Role.SECRETARIAT, email="boss@example.org")
    db.session.commit()
    record_event("meeting.cancel", actor=secretariat, changes={"reason": "strike"})
    record_event("auth.login_failed", actor=None, actor_label="intruder@example.org")
    db.session.commit()
    client = login_as(secretariat)
    page = client.get("/admin/audit/?action=meeting.").data.decode()
    assert "meeting.cancel" in page
    assert "auth.login_failed" not in page
    page = client.get("/admin/audit/?actor=intruder").data.decode()
    assert "auth.login_failed" in page
    assert "meeting.cancel" not in page


def test_audit_list_runs_a_bounded_number_of_statements(app, login_as, count_queries):
    secretariat = factories.user(factories.Role.SECRETARIAT)
    db.session.commit()
    client = login_as(secretariat)

    def statements() -> int:
        with count_queries() as counter:
            assert client.get("/admin/audit/").status_code == 200
        return counter.count

    for _ in range(5):
        record_event("x.few", actor=secretariat)
    db.session.commit()
    few = statements()
    for _ in range(60):
        record_event("x.many", actor=factories.user())
    db.session.commit()
    assert statements() == few
