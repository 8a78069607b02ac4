"""P5.10: risks across meetings, to improve risk management, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetops.risks import services

pytestmark = pytest.mark.django_db


def _year_meeting(make_meeting, title, days, **fields):
    start = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    return make_meeting(title=title, start=start, **fields)


def test_the_overview_counts_what_was_feared_and_what_happened(
    client, api_as, organiser, leader, member, make_meeting, add_risk, django_assert_max_num_queries
):
    year = timezone.localdate().year
    past = _year_meeting(make_meeting, "年初的会", -1)
    if past.start.year != year:  # the first of January: keep both in this year
        past = _year_meeting(make_meeting, "年初的会", 1)
    projector = add_risk(past, category="technical", likelihood=4, impact=4)  # critical
    add_risk(past, category="venue", likelihood=1, impact=1)
    services.record_risk_event(
        past,
        actor=organiser,
        risk=projector,
        occurred_at=timezone.now() - timedelta(minutes=5),
        cause="投影仪过热关机",
        handling="换用备用投影仪",
        lessons="会前一天试机两小时",
    )
    services.record_drill(
        past,
        actor=organiser,
        held_at=timezone.now() - timedelta(hours=1),
        scenario="evacuation",
        participants=30,
        duration_minutes=10,
        outcome="passed",
    )
    upcoming = _year_meeting(make_meeting, "下周的大会", 7)
    add_risk(upcoming, category="security", likelihood=5, impact=5)  # critical, no response
    secret = _year_meeting(make_meeting, "保密会议", 3, confidentiality="confidential")
    add_risk(secret, category="security", likelihood=5, impact=5, description="不该出现")

    client.force_login(leader)
    url = reverse("risk_overview") + f"?year={upcoming.start.year}"
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "投影仪过热关机" in page and "会前一天试机两小时" in page
    assert "下周的大会" in page
    assert "不该出现" not in page  # the leader may not see the confidential meeting

    data = api_as(leader).get(f"/api/v1/risks/overview?year={upcoming.start.year}").json()
    technical = next(c for c in data["categories"] if c["category"] == "technical")
    assert technical == {
        "category": "technical",
        "by_level": {"low": 0, "medium": 0, "high": 0, "critical": 1},  # 4 × 4
        "total": 1,
        "occurred": 1,
    }
    assert data["events_by_level"]["critical"] == 1 and data["drills_by_outcome"]["passed"] == 1
    assert len(data["unanswered_risk_ids"]) == 1

    client.force_login(member)
    assert client.get(url).status_code == 403


def test_the_overview_does_not_cost_a_query_per_meeting(
    client, leader, make_meeting, add_risk, django_assert_max_num_queries
):
    client.force_login(leader)
    first = _year_meeting(make_meeting, "会0", 2)
    add_risk(first, category="health", likelihood=5, impact=5)
    url = reverse("risk_overview") + f"?year={first.start.year}"
    with django_assert_max_num_queries(20) as baseline:
        client.get(url)
    for i in range(1, 6):
        add_risk(_year_meeting(make_meeting, f"会{i}", 2 + i), likelihood=5, impact=5)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(url)
