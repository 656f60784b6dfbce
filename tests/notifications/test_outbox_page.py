"""The outbox page: the secretariat sees how many e-mails wait, went and failed, and why."""

from __future__ import annotations

import re
from datetime import timedelta

from coordination.core.time import utcnow
from coordination.db import db
from coordination.notifications.models import OutboxFailure, OutboxMessage, OutboxStatus
from tests import factories


def message(number: int, status: OutboxStatus, **fields) -> OutboxMessage:
    row = OutboxMessage(
        recipient=f"person{number}@example.org",
        subject=f"Meeting cancelled {number}",
        body_text="Body\n",
        status=status,
        **fields,
    )
    db.session.add(row)
    return row


def an_outbox() -> None:
    """Two waiting, three sent, three failed (one for each reason)."""
    earlier = utcnow() - timedelta(hours=2)
    message(1, OutboxStatus.PENDING)
    message(2, OutboxStatus.SENDING, attempts=1, last_attempt_at=utcnow())
    for number in (3, 4, 5):
        message(number, OutboxStatus.SENT, attempts=1, sent_at=earlier)
    message(6, OutboxStatus.FAILED, failure=OutboxFailure.REJECTED, attempts=1,
            last_attempt_at=earlier, last_error="550 5.1.1 No such user here",
            reason="meeting.cancel:42")  # fmt: skip
    message(7, OutboxStatus.FAILED, failure=OutboxFailure.GAVE_UP, attempts=8,
            last_attempt_at=earlier, last_error="ConnectionRefusedError: refused")  # fmt: skip
    message(8, OutboxStatus.FAILED, failure=OutboxFailure.UNCERTAIN, attempts=1,
            last_attempt_at=earlier)  # fmt: skip
    db.session.commit()


def count_after(label: str, page: str) -> int:
    found = re.search(rf"<dt>{label}</dt>\s*<dd>(\d+)</dd>", page)
    assert found, f"no count for {label!r}"
    return int(found.group(1))


def test_the_secretariat_sees_the_counts_and_every_failed_message(app, login_as):
    an_outbox()
    client = login_as(factories.user(factories.Role.SECRETARIAT))
    response = client.get("/admin/outbox/")
    assert response.status_code == 200
    page = response.data.decode()

    assert count_after("Waiting to be sent", page) == 2
    assert count_after("Sent", page) == 3
    assert count_after("Failed", page) == 3
    for number in (6, 7, 8):
        assert f"person{number}@example.org" in page
        assert f"Meeting cancelled {number}" in page
    assert "person1@example.org" not in page  # only failed messages are listed
    assert "Refused by the mail server" in page
    assert "550 5.1.1 No such user here" in page
    assert "Not delivered after 8 attempts" in page
    assert "may have arrived" in page


def test_the_page_speaks_the_secretariats_language_not_the_codes(app, login_as):
    an_outbox()
    client = login_as(factories.user(factories.Role.SECRETARIAT))
    page = client.get("/admin/outbox/").data.decode()
    for code in ("gave_up", "meeting.cancel", "OutboxStatus", "OutboxFailure"):
        assert code not in page
    # No stored value shown as it is, in a cell or anywhere else on its own.
    values = "rejected|gave_up|uncertain|pending|sending|sent|failed"
    assert not re.search(rf">\s*({values})\s*<", page)  # the labels are capitalised


def test_the_failed_messages_are_an_accessible_table(app, login_as):
    an_outbox()
    client = login_as(factories.user(factories.Role.SECRETARIAT))
    page = client.get("/admin/outbox/").data.decode()
    table = page[page.index("<table") : page.index("</table>")]
    assert re.search(r"<caption>[^<]+</caption>", table)
    headers = re.findall(r"<th\b[^>]*>", table)
    assert headers
    assert all('scope="col"' in header for header in headers)
    assert '<time datetime="' in table


def test_an_empty_outbox_says_nothing_failed(app, login_as):
    client = login_as(factories.user(factories.Role.SECRETARIAT))
    page = client.get("/admin/outbox/").data.decode()
    assert "No e-mail failed." in page
    assert "<table" not in page


def test_the_menu_shows_the_page_to_the_secretariat_only(app, login_as):
    secretariat = factories.user(factories.Role.SECRETARIAT)
    representative = factories.user(factories.Role.AGENCY_REP)
    assert 'href="/admin/outbox/"' in login_as(secretariat).get("/").data.decode()
    assert 'href="/admin/outbox/"' not in login_as(representative).get("/").data.decode()
