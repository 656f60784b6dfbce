"""Every meetings route, per role: the table the lead folds into the global matrix.

``ROUTES`` holds ``(method, url_template, {role: status})``. Templates use the placeholders of
:func:`route_objects`: ``{bureau_meeting}``, ``{platform_meeting}``, ``{series}``,
``{bureau_item}``, ``{platform_item}``, ``{bureau_document}``, ``{platform_document}``.
POST requests carry an empty form (no CSRF token needed in tests): the secretariat then gets
the form's own answer (400, or a redirect where an empty form is a complete one), everybody
else 403, or 404 where they may not even know the meeting exists. Anonymous users are sent to
the login page (302) everywhere.
"""

from __future__ import annotations

import io
from datetime import date, time

import pytest

from coordination.core.time import brussels_to_utc
from coordination.db import db
from coordination.meetings import services
from tests import factories
from tests.meetings import files

ROLES = ["anonymous", "rep_both", "rep_bureau", "rep_platform", "minister", "rapporteur",
         "secretariat"]  # fmt: skip
#: Who may not know that a meeting of the forum exists.
OUTSIDERS = {"bureau": "rep_platform", "platform": "rep_bureau"}


def everyone(status: int) -> dict[str, int]:
    return {role: (302 if role == "anonymous" else status) for role in ROLES}


def secretariat_only(status: int) -> dict[str, int]:
    return {**everyone(403), "secretariat": status}


def meeting_readers(forum: str, status: int = 200) -> dict[str, int]:
    return {**everyone(status), OUTSIDERS[forum]: 404}


def meeting_editors(forum: str, status: int) -> dict[str, int]:
    return {**everyone(403), OUTSIDERS[forum]: 404, "secretariat": status}


ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/meetings/", everyone(200)),
    ("GET", "/meetings/?forum=bureau&when=past", everyone(200)),
    ("GET", "/meetings/calendar", everyone(200)),
    ("GET", "/meetings/calendar?year=2026&month=7&forum=platform", everyone(200)),
    ("GET", "/meetings/series", secretariat_only(200)),
    ("GET", "/meetings/series/new", secretariat_only(200)),
    ("POST", "/meetings/series/new", secretariat_only(400)),
    ("GET", "/meetings/series/{series}/edit", secretariat_only(200)),
    ("POST", "/meetings/series/{series}/edit", secretariat_only(400)),
    ("GET", "/meetings/new", secretariat_only(200)),
    ("POST", "/meetings/new", secretariat_only(400)),
]
for forum in ("bureau", "platform"):
    meeting, item, document = f"{{{forum}_meeting}}", f"{{{forum}_item}}", f"{{{forum}_document}}"
    ROUTES += [
        ("GET", f"/meetings/{meeting}", meeting_readers(forum)),
        ("GET", f"/meetings/documents/{document}", meeting_readers(forum)),
        ("GET", f"/meetings/{meeting}/edit", meeting_editors(forum, 200)),
        ("POST", f"/meetings/{meeting}/edit", meeting_editors(forum, 400)),
        ("GET", f"/meetings/{meeting}/reschedule", meeting_editors(forum, 200)),
        ("POST", f"/meetings/{meeting}/reschedule", meeting_editors(forum, 400)),
        ("GET", f"/meetings/{meeting}/cancel", meeting_editors(forum, 200)),
        ("POST", f"/meetings/{meeting}/cancel", meeting_editors(forum, 400)),
        ("GET", f"/meetings/{meeting}/held", meeting_editors(forum, 200)),
        ("POST", f"/meetings/{meeting}/held", meeting_editors(forum, 400)),
        ("GET", f"/meetings/{meeting}/agenda/new", meeting_editors(forum, 200)),
        ("POST", f"/meetings/{meeting}/agenda/new", meeting_editors(forum, 400)),
        ("GET", f"/meetings/{meeting}/agenda/finalise", meeting_editors(forum, 200)),
        ("POST", f"/meetings/{meeting}/agenda/finalise", meeting_editors(forum, 400)),
        ("GET", f"/meetings/agenda/{item}/edit", meeting_editors(forum, 200)),
        ("POST", f"/meetings/agenda/{item}/edit", meeting_editors(forum, 400)),
        ("GET", f"/meetings/agenda/{item}/delete", meeting_editors(forum, 200)),
        ("POST", f"/meetings/agenda/{item}/delete", meeting_editors(forum, 400)),
        ("POST", f"/meetings/agenda/{item}/move", meeting_editors(forum, 303)),
        ("GET", f"/meetings/{meeting}/documents/new", meeting_editors(forum, 200)),
        ("POST", f"/meetings/{meeting}/documents/new", meeting_editors(forum, 400)),
        ("GET", f"/meetings/documents/{document}/delete", meeting_editors(forum, 200)),
        # Last: the secretariat's empty confirmation form is complete and deletes.
        ("POST", f"/meetings/documents/{document}/delete", meeting_editors(forum, 302)),
    ]


def route_objects(app, world) -> dict[str, int]:
    """Real objects of both forums for the placeholders of ``ROUTES``."""
    day = date(2026, 7, 14)
    series = services.create_series(
        world["bureau"], title="Bureau", rrule="FREQ=MONTHLY;BYDAY=2TU", starts_on=day,
        ends_on=date(2026, 9, 30), start_time=time(10), duration_minutes=120, actor=None,
        today=day, notify_members=False,
    )  # fmt: skip
    ids: dict[str, int] = {"series": series.id}
    for forum in ("bureau", "platform"):
        meeting = factories.meeting(world[forum], starts_at=brussels_to_utc(day, time(14)))
        item = factories.agenda_item(meeting)
        document = services.store_document(
            meeting, stream=io.BytesIO(files.PDF), filename=f"{forum}.pdf", actor=None,
            upload_dir=app.config["UPLOAD_DIR"], max_bytes=10_000,
        )  # fmt: skip
        ids.update({f"{forum}_meeting": meeting.id, f"{forum}_item": item.id,
                    f"{forum}_document": document.id})  # fmt: skip
    db.session.commit()
    return ids


@pytest.mark.parametrize(("method", "template", "expected"), ROUTES)
def test_route_per_role(app, client, login_as, world, method, template, expected):
    url = template.format(**route_objects(app, world))
    assert set(expected) == set(ROLES)
    for role in ROLES:
        if role == "anonymous":
            with client.session_transaction() as session:
                session.clear()
        else:
            login_as(world[role])
        with client.open(url, method=method, data={}) as response:
            assert response.status_code == expected[role], (role, method, url)
