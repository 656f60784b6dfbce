"""A small action plan whose every dashboard figure is known in advance.

Today is the real Brussels date; dates are placed relative to it so that "late", "next
meeting" and "latest year with results" stay true whenever the suite runs.

Plan P (open, 2021-2025), themes 1-3:

    code  theme status       lead          deadline     late  indicators (adopted measures only)
    1.1   1     in_progress  BOTH          today-10     yes   A more>=: 2023 100/80, 2024 100/240
    1.2   1     implemented  BOTH          2023-06-30   no    E more>=: 2024 50/60 (40 then 60)
    1.3   1     withdrawn    PLATFORMONLY  2022-01-01   no
    2.1   2     proposed     PLATFORMONLY  today-5      yes   D (proposal: not counted)
    2.2   2     adopted      BUREAUONLY    today+300    no    B less: 2024 30/20; C: 2024+2025 10/-
    3.1   3     postponed    BUREAUONLY    today-400    yes   F more>=: 2024 200/150
    3.2   3     rejected     BOTH          2022-01-01   no
    3.3   3     proposed     BOTH          none         no

Plan Q (closed, 2016-2020): 9.1 implemented (BOTH), 9.2 in_progress late (BOTH).

Platform meetings: 2021-03-09 adopted 1.1 and 1.2; 2023-10-10 adopted nothing; a cancelled
one; today-30 adopted 2.2; 3.1's adoption has no meeting; the next one (today+20) has 3.3 on
its agenda for a decision and 1.1 for discussion. A bureau meeting adopts nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from coordination.core.texts import Texts
from coordination.core.time import BRUSSELS, today_brussels
from coordination.db import db
from coordination.measures.models import (
    IndicatorDirection,
    MeasureStatus,
    MeasureTransition,
    PlanStatus,
    ReportStatus,
)
from coordination.meetings.models import AgendaItemKind, MeetingStatus
from tests import factories
from tests.measures import factories as mf

S = MeasureStatus
LESS = IndicatorDirection.LESS_IS_BETTER


def brussels(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


def adopt(measure, meeting, at: datetime) -> None:
    db.session.add(
        MeasureTransition(
            measure=measure, from_status=S.PROPOSED, to_status=S.ADOPTED, at=at, meeting=meeting
        )
    )


def build() -> dict:
    today = today_brussels()
    w = factories.world()
    plan = mf.plan(code="NAP-2021-2025")
    old = mf.plan(code="NAP-2016-2020", start_year=2016, end_year=2020, status=PlanStatus.CLOSED)
    t1, t2, t3 = plan.themes
    both, bureau, platform = w["both"], w["bureau_only"], w["platform_only"]
    m = {
        "1.1": mf.measure(plan, both, S.IN_PROGRESS, "1.1", t1, deadline=today - timedelta(10),
                          title="Train first-line police officers"),
        "1.2": mf.measure(plan, both, S.IMPLEMENTED, "1.2", t1, deadline=date(2023, 6, 30),
                          title="Workers' guide in 28 languages"),
        "1.3": mf.measure(plan, platform, S.WITHDRAWN, "1.3", t1, deadline=date(2022, 1, 1)),
        "2.1": mf.measure(plan, platform, S.PROPOSED, "2.1", t2, deadline=today - timedelta(5),
                          title="=HYPERLINK(\"http://evil\")"),
        "2.2": mf.measure(plan, bureau, S.ADOPTED, "2.2", t2, deadline=today + timedelta(300)),
        "3.1": mf.measure(plan, bureau, S.POSTPONED, "3.1", t3, deadline=today - timedelta(400),
                          title="Shelter capacity for male victims"),
        "3.2": mf.measure(plan, both, S.REJECTED, "3.2", t3, deadline=date(2022, 1, 1)),
        "3.3": mf.measure(plan, both, S.PROPOSED, "3.3", t3, title="Helpline in 28 languages"),
        "9.1": mf.measure(old, both, S.IMPLEMENTED, "9.1", old.themes[0]),
        "9.2": mf.measure(old, both, S.IN_PROGRESS, "9.2", old.themes[0],
                          deadline=date(2020, 12, 31)),
    }  # fmt: skip
    m["1.2"].partners = [bureau, platform]

    # Indicators.
    a = mf.indicator(m["1.1"], "Officers trained", "officers", targets={2023: "100", 2024: "100"})
    mf.value(a, 2023, "80")
    accepted = mf.report(
        m["1.1"], w["rep_both"], 2024, ReportStatus.ACCEPTED, reviewer=w["secretariat"]
    )
    mf.value(a, 2024, "240", source="Federal Police 2024", report_=accepted)
    pending = mf.report(m["1.1"], w["rep_both"], 2024, ReportStatus.SUBMITTED)
    late_value = mf.value(a, 2024, "50", report_=pending)
    late_value.reported_at = brussels(date(2025, 6, 1))
    e = mf.indicator(m["1.2"], "Language versions", "languages", targets={2024: "50"})
    mf.value(e, 2024, "40")
    newer = mf.value(e, 2024, "60", source="FPS Employment")
    newer.reported_at = brussels(date(2025, 3, 1))
    returned = mf.report(
        m["1.2"], w["rep_both"], 2024, ReportStatus.RETURNED, reviewer=w["secretariat"]
    )
    ignored = mf.value(e, 2024, "10", report_=returned)
    ignored.reported_at = brussels(date(2025, 9, 1))
    mf.indicator(m["2.1"], "Proposal indicator", "cases", targets={2024: "5"})
    b = mf.indicator(m["2.2"], "Days to identify a victim", "days", LESS, targets={2024: "30"})
    mf.value(b, 2024, "20")
    mf.indicator(m["2.2"], "Joint inspections", "inspections", targets={2024: "10", 2025: "10"})
    f = mf.indicator(m["3.1"], "Shelter places", "places", targets={2024: "200"})
    mf.value(f, 2024, "150")

    # Platform and bureau meetings, adoptions.
    platform_forum, bureau_forum = w["platform"], w["bureau"]
    march_2021 = factories.meeting(
        platform_forum,
        brussels(date(2021, 3, 9)),
        title=Texts(
            nl="Platform voorjaar 2021", fr="Plateforme printemps 2021", en="Platform spring 2021"
        ),
        status=MeetingStatus.HELD,
    )
    autumn_2023 = factories.meeting(
        platform_forum,
        brussels(date(2023, 10, 10)),
        title="Platform autumn 2023",
        status=MeetingStatus.HELD,
    )
    factories.meeting(
        platform_forum,
        brussels(date(2022, 3, 8)),
        title="Platform cancelled",
        status=MeetingStatus.CANCELLED,
        cancellation_reason="Strike",
    )
    recent = factories.meeting(
        platform_forum,
        brussels(today - timedelta(30)),
        title="Platform recent session",
        status=MeetingStatus.HELD,
    )
    upcoming = factories.meeting(
        platform_forum, brussels(today + timedelta(20)), title="Platform next session"
    )
    later = factories.meeting(
        platform_forum, brussels(today + timedelta(200)), title="Platform session after that"
    )
    bureau_meeting = factories.meeting(bureau_forum, brussels(date(2021, 2, 9)), title="Bureau")
    adopt(m["1.1"], march_2021, brussels(date(2021, 3, 9), 15))
    adopt(m["1.2"], march_2021, brussels(date(2021, 3, 9), 15))
    m["2.2"].transitions[0].meeting = recent
    adopt(m["3.1"], None, brussels(date(2021, 6, 1)))
    factories.agenda_item(upcoming, "3.3", kind=AgendaItemKind.DECISION, measure_id=m["3.3"].id)
    factories.agenda_item(upcoming, "1.1", kind=AgendaItemKind.DISCUSSION, measure_id=m["1.1"].id)
    factories.agenda_item(later, "2.1", kind=AgendaItemKind.DECISION, measure_id=m["2.1"].id)
    db.session.commit()
    w.update(
        plan=plan, old=old, themes=(t1, t2, t3), measures=m, today=today,
        meetings={"march_2021": march_2021, "autumn_2023": autumn_2023, "recent": recent,
                  "upcoming": upcoming, "later": later, "bureau": bureau_meeting},
    )  # fmt: skip
    return w
