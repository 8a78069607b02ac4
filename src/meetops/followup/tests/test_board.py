"""The board, the leadership summary, the item page and "Waiting for me": filters, counts,
personas, exports and pinned query counts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

from meetops.followup import services
from meetops.followup.selectors import BoardFilter, board
from meetops.followup.tests.conftest import fresh
from meetops.minutes import services as minutes_services
from meetops.people.models import User
from meetops.reports.inbox import waiting_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(make_item, make_meeting, make_user, departments, owner, organiser):
    """Five items: two departments, two meetings, one overdue, one due this week, one done on time."""
    it_person = make_user("netman", department=departments["it"])
    second = make_meeting(title="第二次会议")
    items = {
        "budget": make_item(title="预算方案", department=departments["budget"]),
        "overdue": make_item(title="逾期事项", due_in=-2),
        "soon": make_item(title="本周到期", due_in=0),
        "network": make_item(
            title="网络改造", owner=it_person, department=departments["it"], target=second
        ),
        "done": make_item(title="已完成", due_in=5),
    }
    minutes_services.update_action(items["done"], actor=owner, state="done", completion_note="好了")
    return items


def titles(user: User, **flt: Any) -> set[str]:
    rows, _counts = board(user, BoardFilter(**flt))
    return {a.title for a in rows}


def test_filters_by_department_subtree_owner_meeting_state_and_dates(
    spread, organiser, departments, owner
):
    assert titles(organiser) == {"预算方案", "逾期事项", "本周到期", "网络改造", "已完成"}
    # 财务处 includes 预算科 below it.
    assert titles(organiser, department=departments["finance"]) == {"预算方案"}
    assert titles(organiser, owner=owner) == {"预算方案", "逾期事项", "本周到期", "已完成"}
    assert titles(organiser, meeting_id=spread["network"].meeting_id) == {"网络改造"}
    assert titles(organiser, state="live") == {"预算方案", "逾期事项", "本周到期", "网络改造"}
    assert titles(organiser, state="awaiting_acceptance") == {"已完成"}
    assert titles(organiser, overdue=True) == {"逾期事项"}
    assert "本周到期" in titles(organiser, due_this_week=True)


def test_counts_and_the_on_time_rate(spread, organiser, owner):
    _rows, counts = board(organiser, BoardFilter())
    assert (counts["total"], counts["done"], counts["overdue"]) == (5, 1, 1)
    # One done on time, one overdue: the overdue one counts as late (issue 16, finding 4).
    assert counts["on_time_rate"] == 50


def test_who_sees_what_on_the_board(spread, organiser, member, outsider, owner, make_user):
    lead = make_user("boss", roles=("leader",))
    assert len(titles(lead)) == 5  # internal meetings: a leader tracks all of them
    assert titles(owner) == {"预算方案", "逾期事项", "本周到期", "已完成"}
    assert titles(outsider) == set()  # a plain member sees only their own and their departments'


def test_the_board_page_has_a_pinned_query_count(
    client, spread, organiser, make_item, django_assert_max_num_queries
):
    client.force_login(organiser)
    url = reverse("followup:board")
    with django_assert_max_num_queries(9) as first:
        response = client.get(url)
    assert response.status_code == 200
    for n in range(6):
        make_item(title=f"追加事项{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url, {"state": "live"})
    body = response.content.decode()
    assert body.count("data-action-id=") == 10 and "追加事项5" in body


def test_the_board_exports_to_excel(client, spread, organiser):
    from openpyxl import load_workbook

    client.force_login(organiser)
    response = client.get(reverse("followup:board"), {"overdue": "on", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["逾期事项"]


def test_the_leadership_summary_by_department_and_meeting(
    client, spread, organiser, owner, member, django_assert_max_num_queries
):
    services.accept_action(fresh(spread["done"], organiser), actor=organiser, quality=4)
    client.force_login(organiser)
    # One more than before: the list of overdue items behind the count (one query, any length).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("followup:summary"))
    body = response.content.decode()
    assert response.status_code == 200 and "预算科" in body and "第二次会议" in body
    assert "4.0" in body  # the average quality of the owner's department
    pdf = client.get(reverse("followup:summary"), {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    client.force_login(member)
    assert client.get(reverse("followup:summary")).status_code == 403


def test_the_item_page_walks_the_personas(client, item, owner, organiser, outsider, meeting):
    from meetops.meetings.models import Meeting

    url = reverse("followup:item", args=[item.pk])
    client.force_login(owner)
    assert 'id="progress-form"' in client.get(url).content.decode()
    response = client.post(
        reverse("followup:item_move", args=[item.pk, "progress"]),
        {"percent": "50", "note": "过半"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "过半" in page and 'data-kind="progress"' in page
    client.force_login(organiser)
    page = client.get(url).content.decode()
    assert 'id="progress-form"' not in page and 'id="due-form"' in page
    assert (
        client.post(
            reverse("followup:item_move", args=[item.pk, "progress"]),
            {"percent": "60", "note": "x"},
        ).status_code
        == 403
    )
    Meeting.objects.filter(pk=meeting.pk).update(confidentiality="restricted")
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_waiting_for_me_shows_escalations_and_acceptances(item, owner, organiser, leader):
    services.raise_escalation(
        item, actor=owner, kind="decision", text_="需要拍板", leaders=[leader]
    )
    assert [i.kind for i in waiting_for(leader)] == ["escalation"]
    minutes_services.update_action(item, actor=owner, state="done", completion_note="完成")
    assert {i.kind for i in waiting_for(organiser)} == {"escalation", "acceptance"}
    assert waiting_for(owner) == []  # never asked to accept their own
    services.accept_action(fresh(item, organiser), actor=organiser, quality=5)
    assert [i.kind for i in waiting_for(organiser)] == ["escalation"]


def test_the_summary_lists_what_is_overdue_and_defines_the_on_time_rate(client, spread, organiser):
    """Issue 16, finding 4: "逾期 2 项。按时完成率 100%" with no list, over finished items only."""
    client.force_login(organiser)
    page = client.get(reverse("followup:summary"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = page.content.decode()
    assert 'id="overdue-items"' in body and "逾期事项" in body
    overdue = body.split('id="overdue-items"')[1].split("</table>")[0]
    assert "逾期事项" in overdue and "2 天" in overdue and "预算方案" not in overdue
    assert "按时完成率 50%：以截至今天已到期的 2 项计" in body
