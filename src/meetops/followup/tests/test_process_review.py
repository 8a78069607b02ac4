"""The periodic follow-up review (P8.7): its numbers on a known set of items, the default
period, who may read it (page and API), and its query count."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetops.followup import process_review, services
from meetops.followup.models import Escalation
from meetops.followup.performance import Period
from meetops.followup.tests.conftest import fresh
from meetops.minutes import services as minutes_services
from meetops.minutes.models import ActionItem

pytestmark = pytest.mark.django_db


def _done(action: Any, owner: Any, *, created_days_ago: int, done_days_ago: int) -> None:
    """Mark done, then put its creation and completion where the test needs them."""
    minutes_services.update_action(action, actor=owner, state="done", completion_note="完成")
    now = timezone.now()
    ActionItem.objects.filter(pk=action.pk).update(
        created_at=now - timedelta(days=created_days_ago),
        completed_at=now - timedelta(days=done_days_ago),
    )


@pytest.fixture
def quarter(make_item, owner, organiser, make_user, departments, meeting, leader):
    """Known items, due within a month either side of today:

    - on time (plan, 预算科): created 10 days ago, done 2 days ago, accepted at once;
    - late (plan, owner's 预算科): due 5 days ago, created 20 days ago, escalated (overdue, to the
      organisers: no head) 3 days ago, done today after being sent back once, then accepted;
    - overdue (a decision of the minutes, 信息中心): due 2 days ago, still open, its owner
      raised a problem 20 days ago;
    - instructed (a leader's 批示, owner's 预算科): due in 10 days, a problem raised yesterday;
    - a cancelled item, and one due in two months: neither counts.
    """
    from meetops.minutes.models import Decision, Minutes, MinutesSection
    from meetops.reports.models import Instruction, SummaryReport

    on_time = make_item(title="按时", due_in=5, department=departments["budget"])
    _done(on_time, owner, created_days_ago=10, done_days_ago=2)
    services.accept_action(fresh(on_time, organiser), actor=organiser, quality=4)

    late = make_item(title="延期", due_in=-5)
    assert [
        e.action_id for e in services.escalate_overdue(today=timezone.localdate(), after_days=3)
    ] == [late.pk]
    Escalation.objects.filter(action=late).update(created_at=timezone.now() - timedelta(days=3))
    minutes_services.update_action(late, actor=owner, state="done", completion_note="初稿")
    services.return_action(fresh(late, organiser), actor=organiser, reason="缺数据")
    _done(fresh(late, organiser), owner, created_days_ago=20, done_days_ago=0)
    services.accept_action(fresh(late, organiser), actor=organiser, quality=3)

    section = MinutesSection.objects.create(
        minutes=Minutes.objects.create(meeting=meeting), title="网络"
    )
    decision = Decision.objects.create(section=section, text="三月底前完成网络改造")
    netman = make_user("netman", department=departments["it"])
    overdue = make_item(
        title="逾期", due_in=-2, owner=netman, department=departments["it"], decision=decision
    )
    services.raise_escalation(overdue, actor=netman, kind="coordination", text_="需要停机窗口")
    Escalation.objects.filter(action=overdue).update(created_at=timezone.now() - timedelta(days=20))

    instructed = make_item(title="批示事项", due_in=10)
    report = SummaryReport.objects.create(meeting=meeting, title="报告")
    Instruction.objects.create(
        report=report, leader=leader, number=1, text="抓紧", action=instructed
    )
    services.raise_escalation(instructed, actor=owner, kind="resources", text_="缺经费")
    Escalation.objects.filter(action=instructed).update(
        created_at=timezone.now() - timedelta(days=1)
    )

    cancelled = make_item(title="取消", due_in=3)
    minutes_services.update_action(cancelled, actor=organiser, state="cancelled")
    make_item(title="下季度", due_in=60)
    today = timezone.localdate()
    return Period(today - timedelta(days=30), today + timedelta(days=30))


def _rows(lines: list[process_review.PatternLine]) -> list[tuple[Any, ...]]:
    return [(x.label, x.items, x.late, x.overdue_now, x.accepted, x.first_try) for x in lines]


def test_overdue_patterns_by_department_and_kind(quarter, organiser):
    review = process_review.followup_review(organiser, quarter)
    t = review.totals
    assert (t.items, t.late, t.overdue_now, t.accepted, t.first_try) == (4, 2, 1, 2, 1)
    assert (t.late_rate, t.first_try_rate) == (50, 50)
    # The most late first; items without a department of their own count for the owner's.
    assert _rows(review.departments) == [("信息中心", 1, 1, 1, 0, 0), ("预算科", 3, 1, 0, 2, 1)]
    assert [(k.key, k.items, k.late, k.overdue_now) for k in review.kinds] == [
        ("instruction", 1, 0, 0),
        ("decision", 1, 1, 1),
        ("plan", 2, 1, 0),
    ]
    assert review.departments[0].first_try_rate is None  # nothing accepted: no rate, not 0%


def test_time_to_done_median_and_90th_percentile(quarter, organiser):
    review = process_review.followup_review(organiser, quarter)
    assert (review.done, review.median_days, review.p90_days) == (2, 14.0, 20)


def test_escalations_that_worked_depend_on_the_window(quarter, organiser):
    review = process_review.followup_review(organiser, quarter)
    lines = [
        (e.kind, e.stage, e.total, e.worked, e.done_later, e.not_done, e.too_early)
        for e in review.escalations
    ]
    assert lines == [
        ("coordination", "", 1, 0, 0, 1, 0),
        ("resources", "", 1, 0, 0, 0, 1),
        ("overdue", "leaders", 1, 1, 0, 0, 0),
    ]
    total = review.escalation_totals
    assert (total.total, total.worked, total.worked_rate) == (3, 1, 50)
    # Done three days after the escalation: within a fortnight it worked, within a day not.
    strict = process_review.followup_review(organiser, quarter, within_days=1)
    overdue = strict.escalations[-1]
    assert (overdue.worked, overdue.done_later) == (0, 1)


def test_outside_the_period_nothing_counts(quarter, organiser):
    later = Period(quarter.end + timedelta(days=40), quarter.end + timedelta(days=90))
    review = process_review.followup_review(organiser, later)
    assert (review.totals.items, review.done, review.escalations) == (0, 0, [])
    assert review.median_days is None and review.p90_days is None


def test_the_review_counts_only_what_the_reader_follows(quarter, outsider):
    assert process_review.followup_review(outsider, quarter).totals.items == 0


def test_the_default_period_is_the_last_quarter():
    assert process_review.last_quarter(date(2026, 12, 7)) == Period(
        date(2026, 7, 1), date(2026, 9, 30)
    )
    assert process_review.last_quarter(date(2026, 2, 10)) == Period(
        date(2025, 10, 1), date(2025, 12, 31)
    )
    assert process_review.review_period(None, None, today=date(2026, 4, 1)) == Period(
        date(2026, 1, 1), date(2026, 3, 31)
    )


def test_the_review_costs_the_same_queries_however_many_items(quarter, organiser, make_item):
    with CaptureQueriesContext(connection) as first:
        process_review.followup_review(organiser, quarter)
    for n in range(6):
        late = make_item(title=f"更多{n}", due_in=-n - 1)
        services.raise_escalation(late, actor=late.owner, kind="decision", text_="x")
    with CaptureQueriesContext(connection) as second:
        process_review.followup_review(organiser, quarter)
    assert len(first.captured_queries) == len(second.captured_queries) == 6


def test_the_review_page_for_organisers_and_leaders_only(client, quarter, organiser, owner, leader):
    client.force_login(organiser)
    page = client.get(
        "/followup/review/",
        {"start": quarter.start.isoformat(), "end": quarter.end.isoformat(), "within": 14},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-count="items">4<' in html and 'data-count="median">14<' in html
    assert 'data-count="first-try">50%<' in html and "信息中心" in html
    assert 'href="/followup/rules/propose/"' in html
    assert 'href="/followup/review/"' in client.get("/followup/").content.decode()
    client.force_login(leader)
    assert client.get("/followup/review/").status_code == 200
    client.force_login(owner)
    assert client.get("/followup/review/").status_code == 403
    assert 'href="/followup/review/"' not in client.get("/followup/").content.decode()


def test_the_review_api(api_as, quarter, organiser, owner):
    got = api_as(organiser).get(
        "/api/v1/followup/review",
        **{"from": quarter.start.isoformat(), "to": quarter.end.isoformat(), "within": 1},
    )
    assert got.status_code == 200, got.content
    body = got.json()
    assert (body["start"], body["end"], body["within"]) == (
        quarter.start.isoformat(),
        quarter.end.isoformat(),
        1,
    )
    assert body["totals"] | {"label": ""} == {
        "key": "",
        "label": "",
        "items": 4,
        "late": 2,
        "overdue_now": 1,
        "late_rate": 50,
        "accepted": 2,
        "first_try": 1,
        "first_try_rate": 50,
    }
    assert [k["key"] for k in body["kinds"]] == ["instruction", "decision", "plan"]
    assert (body["median_days_to_done"], body["p90_days_to_done"]) == (14.0, 20)
    assert body["escalations"][-1]["done_later"] == 1 and body["rules_version"] == 0
    default = api_as(organiser).get("/api/v1/followup/review").json()
    last = process_review.last_quarter(timezone.localdate())
    assert (default["start"], default["end"]) == (last.start.isoformat(), last.end.isoformat())
    refused = api_as(owner).get("/api/v1/followup/review")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    bad = api_as(organiser).get(
        "/api/v1/followup/review", **{"from": "2026-05-01", "to": "2026-01-01"}
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_period"
