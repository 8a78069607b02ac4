"""P9.4: where the people who run meetings stand per training need, per department."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from meetops.meetings.services import add_participant
from meetops.people.services import set_department_heads
from meetops.training import services
from meetops.training.selectors import add_months, coverage_for

from .conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_and_finance(
    make_user: Callable[..., Any],
    make_meeting: Callable[..., Any],
    organiser: Any,
    admin_user: Any,
    departments: dict[str, Any],
    needs: dict[str, Any],
    train_at: Callable[..., Any],
) -> dict[str, Any]:
    """A known organisation: who holds which duty and who was trained when."""
    office, finance = departments["office"], departments["finance"]
    people = {
        "org_a": make_user("org_a", roles=("organiser",), department=office),
        "org_b": make_user("org_b", roles=("organiser",), department=office),
        "org_c": make_user("org_c", roles=("organiser",), department=finance),
        "rec": make_user("rec", department=finance),
        "desk": make_user("desk", roles=("staff",), department=office),
        "guard": make_user("guard", department=office),
        "plain": make_user("plain", department=finance),
    }
    work = make_meeting(title="年度工作会议")
    add_participant(work, actor=organiser, user=people["rec"], role="recorder")
    add_participant(work, actor=organiser, user=people["guard"], role="staff", duties="会场安保")
    add_participant(work, actor=organiser, user=people["plain"])
    # A training not held as a course counts for every need; one held as the security course
    # counts for security only.
    train_at([people["org_a"]], days_ago=30)
    train_at([people["org_b"]], days_ago=710)  # 24-month refresher: due in about 20 days
    security = services.create_course(actor=admin_user, title="会场安保", needs=[needs["security"]])
    train_at([people["guard"]], days_ago=10, course=security, admin=admin_user)
    # External: the recorder's is verified; the desk clerk's still waits.
    ext = services.record_external(
        actor=people["rec"],
        person=people["rec"],
        title="公文与纪要写作",
        issuer="市档案局",
        completed_on=date.today().replace(day=1),
        hours="6",
        needs=[needs["recorder"]],
        certificate=pdf(),
    )
    services.verify_external(ext, actor=admin_user, accept=True)
    services.record_external(
        actor=people["desk"],
        person=people["desk"],
        title="接待礼仪",
        issuer="培训中心",
        completed_on=date.today().replace(day=1),
        hours="3.5",
        needs=[needs["desk"]],
        certificate=pdf(),
    )
    return people


def _table(coverage: Any) -> dict[str, dict[str, tuple[int, int, int]]]:
    return {
        (str(d.department) if d.department else "-"): {
            c.need.duty: (c.trained, c.due, c.untrained) for c in d.counts
        }
        for d in coverage.departments
    }


def test_coverage_counts_trained_due_and_untrained_per_department(
    office_and_finance: dict[str, Any], admin_user: Any
) -> None:
    table = _table(coverage_for(admin_user))
    assert table["办公室"] == {
        "organiser": (1, 1, 0),  # org_a trained a month ago; org_b's refresher is due
        "recorder": (0, 0, 0),
        "desk": (0, 0, 2),  # the clerk's external training is not verified; the guard has none
        "security": (1, 0, 0),  # the guard, at the security course
    }
    assert table["财务处"] == {
        "organiser": (0, 0, 1),
        "recorder": (1, 0, 0),  # verified external training
        "desk": (0, 0, 0),
        "security": (0, 0, 0),
    }
    # The organiser who created the meetings has no department and was never trained.
    assert table["-"]["organiser"] == (0, 0, 1)
    assert "plain" not in {
        p.person.username for d in coverage_for(admin_user).departments for p in d.people
    }


def test_a_head_sees_their_department_and_a_member_only_their_own_records(
    office_and_finance: dict[str, Any],
    departments: dict[str, Any],
    make_user: Callable[..., Any],
    admin_user: Any,
    api_as: Callable[[Any], Any],
) -> None:
    head = make_user("head", department=departments["finance"])
    set_department_heads(departments["finance"], heads=[head], actor=admin_user)
    body = api_as(head).get("/api/v1/training/coverage").json()
    assert [d["department"] for d in body["departments"]] == ["财务处"]

    answer = api_as(office_and_finance["plain"]).get("/api/v1/training/coverage")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    # A member reads their own records, not a colleague's (404: one answer for both).
    assert api_as(office_and_finance["plain"]).get("/api/v1/training/records").status_code == 200
    other = office_and_finance["rec"].pk
    refused = api_as(office_and_finance["plain"]).get("/api/v1/training/records", person_id=other)
    assert refused.status_code == 404
    # The head reads the recorder's, who is in their department.
    records = api_as(head).get("/api/v1/training/records", person_id=other).json()
    assert [r["kind"] for r in records] == ["external"]


def test_the_page_shows_coverage_to_overseers_and_own_records_to_everyone(
    office_and_finance: dict[str, Any],
    client: Any,
    admin_user: Any,
    make_user: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(admin_user)
    with django_assert_max_num_queries(30) as baseline:
        page = client.get(reverse("training:overview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="coverage"' in html and "财务处" in html and 'class="table stack"' in html
    # More people on duties cost no more queries.
    for i in range(4):
        make_user(
            f"more{i}", roles=("organiser",), department=office_and_finance["org_a"].department
        )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("training:overview"))

    client.force_login(office_and_finance["rec"])
    html = client.get(reverse("training:overview")).content.decode()
    assert 'id="coverage"' not in html
    assert "公文与纪要写作" in html  # their own external record


def test_refreshers_fall_due_on_the_same_day_months_later() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 24) == date(2028, 11, 15)
