"""The pages and forms, driven over HTTP as the secretariat and the members use them."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from coordination.audit.models import AuditEvent
from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS, brussels_to_utc, today_brussels
from coordination.db import db
from coordination.meetings.labels import describe_series_pattern
from coordination.meetings.models import (
    AgendaItem,
    Document,
    Meeting,
    MeetingSeries,
    MeetingStatus,
)
from coordination.notifications.models import OutboxMessage
from tests import factories
from tests.conftest import forget_recent_forms
from tests.meetings import files


def at(day: date, hour: int = 10, minute: int = 0):
    return brussels_to_utc(day, time(hour, minute))


@pytest.fixture
def soon():
    return today_brussels() + timedelta(days=14)


@pytest.fixture
def secretariat(client, login_as, world):
    return login_as(world["secretariat"])


@pytest.fixture
def meeting(world, soon):
    obj = factories.meeting(world["bureau"], starts_at=at(soon), title="Bureau meeting")
    db.session.commit()
    return obj


def outbox_count() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def refreshed(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


# --- series --------------------------------------------------------------------------------

SERIES_FORM = {
    "forum": "bureau",
    "title-nl": "Bureau — monthly meeting",
    "pattern": "monthly",
    "ordinal": "2",
    "weekday": "TU",
    "interval": "1",
    "rrule": "",
    "starts_on": "2026-01-01",
    "ends_on": "",
    "start_time": "10:00",
    "end_time": "12:30",
    "place-nl": "FPS Justice, Brussels",
    "online_url": "",
}


def test_the_secretariat_creates_both_series_and_members_are_told(secretariat, world):
    assert secretariat.get("/meetings/series/new").status_code == 200
    response = secretariat.post("/meetings/series/new", data=SERIES_FORM)
    assert response.status_code == 302, response.data
    platform = dict(
        SERIES_FORM, forum="platform", **{"title-nl": "Platform"}, ordinal="3", weekday="TH",
        months=["3", "10"], start_time="14:00", end_time="16:30",
    )  # fmt: skip
    assert secretariat.post("/meetings/series/new", data=platform).status_code == 302
    series = {s.forum.code: s for s in db.session.scalars(select(MeetingSeries))}
    assert series["bureau"].rrule == "FREQ=MONTHLY;BYDAY=2TU"
    assert series["bureau"].duration_minutes == 150
    assert series["platform"].rrule == "FREQ=MONTHLY;BYMONTH=3,10;BYDAY=3TH"
    assert outbox_count() > 0
    listing = secretariat.get("/meetings/series").data.decode()
    assert "Every month on the second Tuesday" in listing
    assert "In March and October, on the third Thursday" in listing
    assert secretariat.get("/meetings/calendar").status_code == 200


def test_weekly_and_advanced_patterns(secretariat, world):
    weekly = dict(
        SERIES_FORM, pattern="weekly", weekday="WE", interval="2", **{"title-nl": "Weekly"}
    )
    assert secretariat.post("/meetings/series/new", data=weekly).status_code == 302
    advanced = dict(SERIES_FORM, pattern="advanced", rrule="FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1",
                    **{"title-nl": "Advanced"})  # fmt: skip
    assert secretariat.post("/meetings/series/new", data=advanced).status_code == 302
    rules = set(db.session.scalars(select(MeetingSeries.rrule)))
    assert rules == {"FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1"}
    # The list says each pattern in words: a pattern the simple form cannot build by its next
    # dates, never in calendar notation.
    listing = secretariat.get("/meetings/series").data.decode()
    assert "Every 2 weeks on Wednesday" in listing
    assert "A pattern of its own; next: 1 June" in listing
    assert "FREQ=" not in listing


def test_a_pattern_without_a_sentence_is_described_by_its_next_dates(app, world):
    series = MeetingSeries(
        rrule="FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1", starts_on=date(2026, 1, 1),
        start_time=time(10, 0), duration_minutes=60,
    )  # fmt: skip
    with app.test_request_context(headers={"Accept-Language": "en"}):
        described = describe_series_pattern(series, today=date(2026, 11, 28))
        assert described == "A pattern of its own; next: 1 June 2027, 1 June 2028 and 1 June 2029"
        series.ends_on = date(2027, 12, 31)
        assert describe_series_pattern(series, today=date(2026, 11, 28)).endswith(
            "next: 1 June 2027"
        )
        assert describe_series_pattern(series, today=date(2028, 1, 1)) == (
            "A pattern of its own, with no date to come"
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pattern": "advanced", "rrule": "FREQ=SECONDLY"}, "more often than daily"),
        ({"pattern": "advanced", "rrule": "garbage"}, "NAME=VALUE"),
        ({"pattern": "advanced", "rrule": ""}, "Enter a recurrence rule"),
        ({"end_time": "09:00"}, "The end must be after the start."),
        ({"ends_on": "2025-01-01"}, "cannot end before it starts"),
        ({"title-nl": ""}, "Write it in Dutch or in French (or both)."),
        ({"forum": "nope"}, "Not a valid choice"),
        ({"online_url": "ftp://files.example.org"}, "https://"),
        ({"starts_on": "2026-02-30"}, "Not a valid date value"),
    ],
)
def test_bad_series_input_is_refused_with_a_message(secretariat, world, changes, message):
    response = secretariat.post("/meetings/series/new", data=dict(SERIES_FORM, **changes))
    assert response.status_code == 400
    assert message.encode() in response.data
    assert db.session.scalar(select(func.count(MeetingSeries.id))) == 0
    assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_every_problem_of_a_series_form_is_shown_at_once(secretariat, world):
    form = dict(
        SERIES_FORM, pattern="advanced", rrule="FREQ=SECONDLY", **{"title-nl": ""}, start_time=""
    )
    response = secretariat.post("/meetings/series/new", data=form)
    assert response.status_code == 400
    assert b"more often than daily" in response.data
    assert b"This field is required." in response.data
    assert b"Write it in Dutch or in French (or both)." in response.data


def test_editing_a_series_shows_its_pattern_and_refuses_a_stale_form(secretariat, world):
    secretariat.post("/meetings/series/new", data=SERIES_FORM)
    series = db.session.scalar(select(MeetingSeries))
    page = secretariat.get(f"/meetings/series/{series.id}/edit").data.decode()
    assert (
        '<input checked id="pattern-0" name="pattern" required type="radio" value="monthly">'
        in page
    )
    assert '<option selected value="TU">' in page
    form = dict(SERIES_FORM, version=str(series.version), start_time="14:00", end_time="16:00")
    del form["forum"]
    stale = dict(form, version=str(series.version - 1))
    response = secretariat.post(f"/meetings/series/{series.id}/edit", data=stale)
    assert response.status_code == 409
    assert b"Someone else changed this in the meantime" in response.data
    assert refreshed(series).start_time == time(10, 0)
    response = secretariat.post(f"/meetings/series/{series.id}/edit", data=form)
    assert response.status_code == 302
    assert refreshed(series).start_time == time(14, 0)


# --- one meeting ---------------------------------------------------------------------------


def test_schedule_a_one_off_meeting(secretariat, world, soon):
    response = secretariat.post("/meetings/new", data={
        "forum": "platform", "title-nl": "Extraordinary platform", "day": soon.isoformat(),
        "start_time": "14:00", "end_time": "16:00", "place-nl": "Egmont Palace",
    })  # fmt: skip
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert meeting.starts_at.astimezone(BRUSSELS).time() == time(14, 0)
    assert outbox_count() == 5


def test_reschedule_asks_for_confirmation_then_moves_and_tells(secretariat, meeting, soon):
    url = f"/meetings/{meeting.id}/reschedule"
    assert b"New date" in secretariat.get(url).data
    data = {
        "day": (soon + timedelta(days=1)).isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "place-nl": "Egmont Palace",
        "version": str(meeting.version),
    }
    confirm = secretariat.post(url, data=data)
    assert confirm.status_code == 200
    assert b"Confirm the new date" in confirm.data
    assert b"people will receive an e-mail" in confirm.data
    assert refreshed(meeting).sequence == 0  # nothing happened yet
    assert outbox_count() == 0
    done = secretariat.post(url, data=dict(data, confirmed="yes"))
    assert done.status_code == 302
    moved = refreshed(meeting)
    assert moved.local_date == soon + timedelta(days=1)
    assert moved.place == Texts(nl="Egmont Palace")
    assert moved.sequence == 1
    assert outbox_count() == 4
    # The calendars' revision counter is the feeds' business, not a reader's.
    page = secretariat.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Calendar revision" not in page
    forget_recent_forms()  # later, not a double click: the same form sent again is stale
    again = secretariat.post(url, data=dict(data, confirmed="yes"))  # the old version
    assert again.status_code == 409
    assert refreshed(meeting).sequence == 1


def test_cancel_needs_a_reason(secretariat, meeting):
    url = f"/meetings/{meeting.id}/cancel"
    assert b"Reason for the cancellation" in secretariat.get(url).data
    missing = secretariat.post(url, data={"reason": " ", "version": str(meeting.version)})
    assert missing.status_code == 400
    assert refreshed(meeting).status is MeetingStatus.SCHEDULED
    done = secretariat.post(url, data={"reason": "Strike", "version": str(meeting.version)})
    assert done.status_code == 302
    assert refreshed(meeting).status is MeetingStatus.CANCELLED
    page = secretariat.get(f"/meetings/{meeting.id}").data
    assert b"This meeting is cancelled." in page
    assert b"Strike" in page


def test_mark_held(secretariat, world, meeting):
    future = secretariat.post(f"/meetings/{meeting.id}/held", data={"version": meeting.version})
    assert future.status_code == 400
    assert b"once it has started" in future.data
    past = factories.meeting(world["bureau"], starts_at=at(today_brussels() - timedelta(days=3)))
    db.session.commit()
    done = secretariat.post(f"/meetings/{past.id}/held", data={"version": past.version})
    assert done.status_code == 302
    assert refreshed(past).status is MeetingStatus.HELD


def test_edit_details_with_a_stale_version_overwrites_nothing(secretariat, meeting):
    url = f"/meetings/{meeting.id}/edit"
    seen = meeting.version
    first = secretariat.post(url, data={"title-nl": "By Alice", "place-nl": "A", "version": seen})
    assert first.status_code == 302
    second = secretariat.post(url, data={"title-nl": "By Bob", "place-nl": "B", "version": seen})
    assert second.status_code == 409
    assert b"Someone else changed this in the meantime" in second.data
    assert refreshed(meeting).title == Texts(nl="By Alice")
    garbage = secretariat.post(url, data={"title-nl": "By Eve", "version": "x"})
    assert garbage.status_code == 400
    assert refreshed(meeting).title == Texts(nl="By Alice")


def test_a_conflict_noticed_by_the_database_is_a_409_not_a_500(secretariat, meeting, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    from coordination.meetings import services

    def concurrent_change(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'meetings' expected to update 1 row")

    monkeypatch.setattr(services, "cancel_meeting", concurrent_change)
    response = secretariat.post(
        f"/meetings/{meeting.id}/cancel", data={"reason": "Strike", "version": meeting.version}
    )
    assert response.status_code == 409
    assert b"Someone else changed this in the meantime" in response.data
    assert refreshed(meeting).status is MeetingStatus.SCHEDULED


# --- agenda --------------------------------------------------------------------------------


def test_build_reorder_and_finalise_an_agenda(secretariat, world, meeting):
    url = f"/meetings/{meeting.id}/agenda/new"
    for title, kind in (("Cases and trends", "discussion"), ("Proposal: measure 3.4", "decision"),
                        ("Varia", "information")):  # fmt: skip
        response = secretariat.post(url, data={
            "title-nl": title, "kind": kind, "presenting_agency": str(world["both"].id),
            "duration_minutes": "20", "description-nl": "**Bold** <script>alert(1)</script>",
        })  # fmt: skip
        assert response.status_code == 302
    items = {i.title.nl: i for i in db.session.scalars(select(AgendaItem))}
    varia = items["Varia"]
    assert secretariat.post(f"/meetings/agenda/{varia.id}/move",
                            data={"direction": "up"}).status_code == 302  # fmt: skip
    moved = secretariat.post(f"/meetings/agenda/{varia.id}/move", data={"direction": "up"},
                             headers={"Accept": "application/json"})  # fmt: skip
    assert moved.status_code == 200
    assert moved.json == {
        "moved": True,
        "order": [varia.id, items["Cases and trends"].id, items["Proposal: measure 3.4"].id],
    }
    bad = secretariat.post(f"/meetings/agenda/{varia.id}/move", data={"direction": "sideways"})
    assert bad.status_code == 303

    page = secretariat.get(f"/meetings/{meeting.id}").data.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert page.index("Varia") < page.index("Cases and trends")

    finalise = f"/meetings/{meeting.id}/agenda/finalise"
    assert b"will receive an e-mail with the agenda" in secretariat.get(finalise).data
    assert secretariat.post(finalise, data={"version": meeting.version}).status_code == 302
    assert refreshed(meeting).agenda_final is True
    assert outbox_count() == 4

    edit = secretariat.post(f"/meetings/agenda/{varia.id}/edit", data={
        "title-nl": "Varia / Divers", "kind": "information", "presenting_agency": "",
        "duration_minutes": "", "description-nl": "", "version": str(refreshed(varia).version),
    })  # fmt: skip
    assert edit.status_code == 302
    delete_url = f"/meetings/agenda/{items['Cases and trends'].id}/delete"
    assert b"Remove" in secretariat.get(delete_url).data
    version = refreshed(items["Cases and trends"]).version
    assert secretariat.post(delete_url, data={"version": version}).status_code == 302
    recorded = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "agenda.changed_after_final")
    ).all()
    assert [event.changes["operation"] for event in recorded] == ["update", "remove"]


# --- documents -----------------------------------------------------------------------------


def upload(client, meeting, name, content, **extra):
    return client.post(
        f"/meetings/{meeting.id}/documents/new",
        data={"file": (io.BytesIO(content), name), **extra},
        content_type="multipart/form-data",
    )


def test_upload_download_and_delete_a_document(app, secretariat, meeting):
    item = factories.agenda_item(meeting, title="ECOSOC results")
    db.session.commit()
    response = upload(secretariat, meeting, "../../Résultats ECOSOC 2024.pdf", files.PDF,
                      agenda_item=str(item.id))  # fmt: skip
    assert response.status_code == 302
    document = db.session.scalar(select(Document))
    assert document.filename == "Résultats ECOSOC 2024.pdf"
    assert document.agenda_item_id == item.id

    with secretariat.get(f"/meetings/documents/{document.id}") as download:
        assert download.status_code == 200
        assert download.data == files.PDF
        disposition = download.headers["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=UTF-8''R%C3%A9sultats%20ECOSOC%202024.pdf" in disposition
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert "private" in download.headers["Cache-Control"]
        assert download.headers["Content-Type"] == "application/pdf"

    delete_url = f"/meetings/documents/{document.id}/delete"
    assert b"Delete the document" in secretariat.get(delete_url).data
    assert secretariat.post(delete_url).status_code == 302
    assert db.session.scalar(select(Document)) is None
    assert secretariat.get(f"/meetings/documents/{document.id}").status_code == 404


def test_several_documents_at_once_each_to_its_item(secretariat, meeting):
    first = factories.agenda_item(meeting, title="ECOSOC results")
    second = factories.agenda_item(meeting, title="NRM report")
    db.session.commit()
    response = secretariat.post(
        f"/meetings/{meeting.id}/documents/new",
        data={
            "file": [
                (io.BytesIO(files.PDF), "ecosoc.pdf"),
                (io.BytesIO(files.DOCX), "nrm.docx"),
                (io.BytesIO(files.PNG), "chart.png"),
            ],
            # One choice per file, in their order (the page's script); the general one unused.
            "targets-0": str(first.id),
            "targets-1": str(second.id),
            "targets-2": "",
            "agenda_item": str(second.id),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "3 documents have been attached." in response.get_data(as_text=True)
    attached = {d.filename: d.agenda_item_id for d in db.session.scalars(select(Document))}
    assert attached == {"ecosoc.pdf": first.id, "nrm.docx": second.id, "chart.png": None}

    # Without the script: every file to the one item chosen.
    upload_all = secretariat.post(
        f"/meetings/{meeting.id}/documents/new",
        data={
            "file": [(io.BytesIO(files.PDF), "a.pdf"), (io.BytesIO(files.PDF), "b.pdf")],
            "agenda_item": str(first.id),
        },
        content_type="multipart/form-data",
    )
    assert upload_all.status_code == 302
    both = select(Document).where(Document.filename.in_(["a.pdf", "b.pdf"]))
    assert {document.agenda_item_id for document in db.session.scalars(both)} == {first.id}

    # One refused file: none is attached, and the message names it.
    refused = secretariat.post(
        f"/meetings/{meeting.id}/documents/new",
        data={"file": [(io.BytesIO(files.PDF), "ok.pdf"), (io.BytesIO(files.EXE), "virus.exe")]},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert b"virus.exe: Files of type .exe are not accepted" in refused.data
    assert db.session.scalar(select(Document).where(Document.filename == "ok.pdf")) is None

    # A document moves to another item of its meeting, never to another meeting's.
    chart = db.session.scalar(select(Document).where(Document.filename == "chart.png"))
    url = f"/meetings/documents/{chart.id}/attach"
    assert "Attach elsewhere" in secretariat.get(url).get_data(as_text=True)
    assert secretariat.post(url, data={"agenda_item": str(second.id)}).status_code == 302
    db.session.refresh(chart)
    assert chart.agenda_item_id == second.id
    elsewhere = factories.agenda_item(factories.meeting(meeting.forum), title="Elsewhere")
    db.session.commit()
    assert secretariat.post(url, data={"agenda_item": str(elsewhere.id)}).status_code == 400


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", files.EXE, b"Files of type .exe are not accepted"),
        ("invoice.pdf", files.EXE, b"The content of this file is not a .pdf file"),
        ("empty.pdf", b"", b"The file is empty"),
    ],
)
def test_refused_uploads_explain_why(secretariat, meeting, name, content, message):
    response = upload(secretariat, meeting, name, content)
    assert response.status_code == 400
    assert message in response.data
    assert db.session.scalar(select(Document)) is None


def test_missing_file_is_refused(secretariat, meeting):
    response = secretariat.post(f"/meetings/{meeting.id}/documents/new", data={},
                                content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 400
    assert b"Choose a file to upload." in response.data


def test_too_large_uploads(app, secretariat, meeting):
    app.config["MAX_UPLOAD_BYTES"] = 1024
    response = upload(secretariat, meeting, "big.pdf", files.PDF + b"\0" * 2048)
    assert response.status_code == 400
    assert b"larger than" in response.data
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = upload(secretariat, meeting, "huge.pdf", files.PDF + b"\0" * 8192)
    assert response.status_code == 413
    assert b"The file is too large" in response.data
    assert b"MB together." in response.data
    assert db.session.scalar(select(Document)) is None


# --- lists, calendar, page -----------------------------------------------------------------


def test_list_is_paginated(secretariat, world, soon):
    for offset in range(25):
        factories.meeting(world["bureau"], starts_at=at(soon + timedelta(days=offset)),
                          title=f"Meeting {offset:02d}")  # fmt: skip
    db.session.commit()
    first = secretariat.get("/meetings/?forum=bureau").data.decode()
    assert "Meeting 00" in first
    assert "Meeting 19" in first
    assert "Meeting 20" not in first
    assert "Page 1 of 2" in first
    second = secretariat.get("/meetings/?forum=bureau&page=2").data.decode()
    assert "Meeting 24" in second
    assert "Meeting 00" not in second
    assert secretariat.get("/meetings/?forum=bureau&page=99").status_code == 200
    assert secretariat.get("/meetings/?forum=nope").status_code == 404


def test_calendar_month_navigation_and_bad_months(secretariat, world):
    factories.meeting(world["bureau"], starts_at=at(date(2026, 3, 10)), title="March bureau")
    db.session.commit()
    page = secretariat.get("/meetings/calendar?year=2026&month=3").data.decode()
    assert "<caption>March 2026" in page
    assert "March bureau" in page
    assert 'href="/meetings/calendar?year=2026&amp;month=2"' in page
    assert 'href="/meetings/calendar?year=2026&amp;month=4"' in page
    assert '<th scope="col"><abbr title="Monday">' in page
    assert secretariat.get("/meetings/calendar?year=2026&month=12").status_code == 200
    december = secretariat.get("/meetings/calendar?year=2026&month=12").data.decode()
    assert "month=1" in december
    assert "year=2027" in december
    for query in ("year=2026&month=13", "year=abc&month=1", "year=99999&month=1", "month=0"):
        response = secretariat.get(f"/meetings/calendar?{query}")
        assert response.status_code == 400, query
        assert b"Choose a month between 1 and 12" in response.data
    assert secretariat.get("/meetings/calendar?forum=bureau&year=2026&month=3").status_code == 200


@pytest.mark.parametrize("url", ["/meetings/0", "/meetings/-1", "/meetings/abc",
                                 "/meetings/99999999999", "/meetings/documents/0"])  # fmt: skip
def test_bad_ids_are_404(secretariat, url):
    assert secretariat.get(url).status_code == 404


def test_the_meeting_page_links_the_other_domains_sections(secretariat, meeting):
    page = secretariat.get(f"/meetings/{meeting.id}").data.decode()
    assert "Bureau meeting" in page
    assert 'id="agenda"' in page
    assert 'id="documents"' in page
    assert "js/agenda.js" in page


# --- bounded statement counts --------------------------------------------------------------


def _populate(world, count, start):
    for offset in range(count):
        forum = world["bureau"] if offset % 2 else world["platform"]
        meeting = factories.meeting(forum, starts_at=at(start + timedelta(days=offset)),
                                    place_confidential=offset % 3 == 0)  # fmt: skip
        factories.agenda_item(meeting)
    db.session.commit()


@pytest.mark.parametrize("role", ["secretariat", "rep_bureau", "rapporteur"])
def test_list_calendar_and_home_run_a_bounded_number_of_statements(
    client, login_as, world, count_queries, role
):
    login_as(world[role])
    first_of_month = today_brussels().replace(day=1) + timedelta(days=32)
    month = first_of_month.replace(day=1)
    urls = [
        "/meetings/?forum=bureau",
        "/meetings/?forum=platform",
        f"/meetings/calendar?year={month.year}&month={month.month}",
        "/",
    ]

    def statements() -> list[int]:
        counts = []
        for url in urls:
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    _populate(world, 4, month)
    few = statements()
    _populate(world, 40, month + timedelta(days=1))
    many = statements()
    assert many == few
    # The secretariat's home page also counts the texts still to translate and looks for
    # forums with nothing planned (one statement each).
    assert max(many) <= 12, many


def test_the_meeting_page_runs_a_bounded_number_of_statements(secretariat, world, meeting,
                                                              count_queries):  # fmt: skip
    def statements() -> int:
        with count_queries() as counter:
            assert secretariat.get(f"/meetings/{meeting.id}").status_code == 200
        return counter.count

    factories.agenda_item(meeting, presenting_agency=world["both"])
    db.session.commit()
    few = statements()
    for number in range(12):
        item = factories.agenda_item(meeting, presenting_agency=world["bureau_only"])
        db.session.add(Document(meeting=meeting, agenda_item=item, filename=f"{number}.pdf",
                                media_type="application/pdf", size_bytes=10,
                                content_hash="a" * 64))  # fmt: skip
    db.session.commit()
    assert statements() == few


@pytest.mark.parametrize("reader", ["secretariat", "rep_both"])
def test_the_meeting_page_queries_nothing_while_rendering(
    login_as, world, meeting, queries_while_rendering, reader
):
    """Every section of the page (its own, the action plan's, the decisions', the minutes')
    is read by the view: the templates only show what they were given."""
    previous = factories.meeting(world["bureau"], starts_at=meeting.starts_at - timedelta(days=30))
    factories.agenda_item(previous, presenting_agency=world["both"])
    factories.agenda_item(meeting, presenting_agency=world["both"])
    db.session.commit()
    signed_in = login_as(world[reader])
    meeting_id = meeting.id
    # As in a real request: nothing the test loaded is already in the session.
    db.session.expunge_all()
    with queries_while_rendering("meetings/show.html") as watch:
        response = signed_in.get(f"/meetings/{meeting_id}")
    assert response.status_code == 200
    # The sections were there to be shown: a representative's answer, the agenda to copy.
    html = response.get_data(as_text=True)
    if reader == "rep_both":
        assert 'id="attendance"' in html
    else:
        assert f"/meetings/{meeting_id}/agenda/copy" in html
    assert watch.renders == 1
    assert watch.statements == []
