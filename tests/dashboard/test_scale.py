"""At scale: 2,000 measures with 10 indicators each, the dashboard runs the same statements as
with 10 measures (and the briefing pack and the home page too). A statement per row shows at
any size; how long the pages take at 5,000 measures with 50 indicators is `make bench`'s."""

from __future__ import annotations

import time

import pytest

from coordination.db import db
from coordination.measures.models import Indicator, IndicatorValue, Measure
from tests.dashboard import builders, scale_data

MEASURES = 2000
INDICATORS = 10


@pytest.mark.slow
def test_statements_do_not_grow_with_the_plan(app, login_as, count_queries):
    env = builders.build()
    client = login_as(env["minister"])
    urls = ["/dashboard/", f"/dashboard/?theme={env['themes'][0].id}", "/dashboard/briefing", "/"]
    small = {}
    for url in urls:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        small[url] = counter.count
    started = time.perf_counter()
    scale_data.add_measures(
        env["plan"],
        count=MEASURES,
        indicators_per_measure=INDICATORS,
        years=(2024, 2025),
        agency_ids=[env["both"].id, env["bureau_only"].id, env["platform_only"].id],
        adoption_meeting_ids=[env["meetings"]["march_2021"].id, env["meetings"]["recent"].id],
        today=env["today"],
        first_number=1000,
    )
    db.session.commit()
    built = time.perf_counter() - started
    assert scale_data.count_rows(Measure) == 10 + MEASURES
    assert scale_data.count_rows(Indicator) > MEASURES * INDICATORS
    assert scale_data.count_rows(IndicatorValue) > MEASURES * INDICATORS
    for url in urls:
        started = time.perf_counter()
        with count_queries() as counter:
            response = client.get(url)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200
        assert counter.count == small[url], (url, counter.statements)
        print(f"{url}: {counter.count} statements, {elapsed:.2f} s (data built in {built:.1f} s)")
    # The figures are those of the whole plan.
    page = client.get("/dashboard/").get_data(as_text=True)
    assert f"<strong>{MEASURES + 8}</strong>" in page
