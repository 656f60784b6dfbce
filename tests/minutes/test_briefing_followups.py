"""The platform briefing pack lists the open follow-up actions of the past year's meetings."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.minutes.models import FollowUpStatus, MinutesStatus
from tests import factories
from tests.minutes import factories as mf


def meeting_days_ago(forum, days: int):
    day = today_brussels() - timedelta(days=days)
    return factories.meeting(forum, datetime.combine(day, time(10), BRUSSELS))


def test_briefing_shows_open_follow_ups_of_the_past_year(app, login_as):
    world = factories.world()
    published = mf.minutes(meeting_days_ago(world["bureau"], 30), status=MinutesStatus.PUBLISHED)
    mf.follow_up(published, world["bureau_only"], "Share the ECOSOC inspection figures")
    mf.follow_up(published, world["both"], "Already done", status=FollowUpStatus.DONE)
    draft = mf.minutes(meeting_days_ago(world["bureau"], 10))
    mf.follow_up(draft, world["both"], "Not yet published")
    old = mf.minutes(meeting_days_ago(world["platform"], 500), status=MinutesStatus.PUBLISHED)
    mf.follow_up(old, world["both"], "From long ago")
    db.session.commit()

    page = login_as(world["minister"]).get("/dashboard/briefing")
    assert page.status_code == 200
    html = page.data.decode()
    assert "Open follow-up actions from the last meetings" in html
    assert "Share the ECOSOC inspection figures" in html
    assert "BUREAUONLY" in html  # another agency's action: the minister sees them all
    for hidden in ("Already done", "Not yet published", "From long ago"):
        assert hidden not in html

    pdf = login_as(world["minister"]).get("/dashboard/briefing.pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
