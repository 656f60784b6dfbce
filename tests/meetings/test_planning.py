"""Planning ahead on the web: a series is extended a year further from its page, and the
secretariat's home page says when a forum has nothing planned three months ahead."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from coordination.core.errors import NotAllowed
from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.meetings import queries, services
from coordination.meetings.models import MeetingStatus
from tests import factories

TODAY = today_brussels()


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), BRUSSELS)


@pytest.fixture
def series(world):
    made = services.create_series(
        world["bureau"],
        title="Bureau — monthly meeting",
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        starts_on=TODAY,
        start_time=time(10),
        duration_minutes=120,
        actor=world["secretariat"],
        today=TODAY,
        horizon_months=2,
        notify_members=False,
    )
    db.session.commit()
    return made


def test_a_series_is_planned_a_year_further(series, world):
    before = series.materialised_until
    done = services.extend_series(series, today=TODAY, actor=world["secretariat"])
    assert series.materialised_until == before + relativedelta(months=12)
    assert len(done.created) in (11, 12, 13)  # a second Tuesday a month
    assert all(m.series_id == series.id for m in done.created)


def test_a_finished_series_or_one_five_years_ahead_is_not_extended(series, world):
    series.ends_on = series.materialised_until
    with pytest.raises(NotAllowed, match="ended"):
        services.extend_series(series, today=TODAY, actor=world["secretariat"])
    series.ends_on = None
    series.materialised_until = TODAY + relativedelta(months=60)
    with pytest.raises(NotAllowed, match="five years"):
        services.extend_series(series, today=TODAY, actor=world["secretariat"])


def test_the_series_page_extends_without_a_shell_command_or_a_rule_string(series, login_as, world):
    client = login_as(world["secretariat"])
    page = client.get("/meetings/series").get_data(as_text=True)
    assert "FREQ=" not in page
    assert "flask" not in page
    assert f'action="/meetings/series/{series.id}/extend"' in page
    done = client.post(f"/meetings/series/{series.id}/extend", follow_redirects=True)
    assert "meetings added: the series has meetings until" in done.get_data(as_text=True)
    db.session.expire_all()
    assert series.materialised_until > TODAY + relativedelta(months=12)


def test_the_home_page_tells_the_secretariat_which_forum_has_nothing_planned(world, login_as):
    factories.meeting(world["bureau"], at(TODAY + timedelta(days=200)))
    soon = factories.meeting(world["platform"], at(TODAY + timedelta(days=20)))
    factories.meeting(
        world["platform"],
        at(TODAY + timedelta(days=300)),
        status=MeetingStatus.CANCELLED,
        cancellation_reason="No room",
    )
    db.session.commit()
    gaps = queries.planning_gaps(TODAY)
    assert [(gap.forum.code, gap.last_planned) for gap in gaps] == [("platform", soon.local_date)]
    home = login_as(world["secretariat"]).get("/").get_data(as_text=True)
    section = home.split('id="planning-gaps-title"')[1].split("</section>")[0]
    assert "no meeting planned after" in section
    assert 'id="planning-gaps-title"' not in login_as(world["rep_both"]).get("/").get_data(
        as_text=True
    )


def test_a_forum_without_any_meeting_ahead_is_named(world):
    assert {gap.forum.code for gap in queries.planning_gaps(date(2999, 1, 1))} == {
        "bureau",
        "platform",
    }
