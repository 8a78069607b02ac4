"""A refused budget or checklist keeps every cell as typed and names the row and column (issue 16, finding 7)."""

from __future__ import annotations

import pytest

from meetops.budget.models import Budget, SupplyItem

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_grouped_and_full_width_amounts_are_read(client, meeting, organiser):
    client.force_login(organiser)
    response = client.post(
        f"/meetings/{meeting.pk}/budget/lines/",
        {
            "line_id": ["", "", ""],
            "category": ["venue", "printing", "catering"],
            "planned": ["2,000", "２０００", "1 500.5"],
            "note": ["", "", ""],
        },
    )
    assert response.status_code == 302
    budget = Budget.objects.get(meeting=meeting)
    assert [str(x.planned) for x in budget.lines.order_by("order")] == [
        "2000.00",
        "2000.00",
        "1500.50",
    ]


def test_one_bad_amount_keeps_all_three_lines_and_names_row_and_column(client, meeting, organiser):
    client.force_login(organiser)
    response = client.post(
        f"/meetings/{meeting.pk}/budget/lines/",
        {
            "line_id": ["", "", ""],
            "category": ["venue", "printing", "catering"],
            "planned": ["2,000", "两千", "300"],
            "note": ["礼堂", "会议手册", "午餐"],
        },
        **ZH,
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "第 2 行 预算金额（元）：请填写数字，如 2000。" in page
    for typed in ('value="2,000"', 'value="两千"', 'value="300"', "礼堂", "会议手册", "午餐"):
        assert typed in page
    assert 'aria-invalid="true"' in page
    assert not Budget.objects.filter(meeting=meeting, lines__isnull=False).exists()


def test_a_service_refusal_lands_on_the_row_shown_not_the_row_sent(client, meeting, organiser):
    """A blank row between two filled ones is skipped for the service; the number stays the page's."""
    client.force_login(organiser)
    response = client.post(
        f"/meetings/{meeting.pk}/budget/lines/",
        {
            "line_id": ["", "", ""],
            "category": ["venue", "", ""],
            "planned": ["100", "", "300"],
            "note": ["", "", "没选类别"],
        },
        **ZH,
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "第 3 行 类别：" in page and "没选类别" in page and 'value="300"' in page


def test_a_refused_revision_keeps_its_reason(client, meeting, organiser):
    client.force_login(organiser)
    client.post(
        f"/meetings/{meeting.pk}/budget/lines/",
        {"line_id": [""], "category": ["venue"], "planned": ["100"], "note": [""]},
    )
    Budget.objects.filter(meeting=meeting).update(status="approved")
    line = Budget.objects.get(meeting=meeting).lines.get()
    response = client.post(
        f"/meetings/{meeting.pk}/budget/lines/",
        {
            "line_id": [line.pk],
            "category": ["venue"],
            "planned": ["1,2,3"],
            "note": [""],
            "reason": "场地涨价",
        },
        **ZH,
    )
    assert response.status_code == 422
    assert "场地涨价</textarea>" in response.content.decode()


def test_supplies_recovery_keeps_the_counts_typed_and_names_the_row(client, meeting, organiser):
    client.force_login(organiser)
    cups = SupplyItem.objects.create(meeting=meeting, name="纸杯", quantity=50, order=0)
    cards = SupplyItem.objects.create(
        meeting=meeting, name="桌牌", quantity=10, reusable=True, order=1
    )
    response = client.post(
        f"/meetings/{meeting.pk}/supplies/save/",
        {
            "item_id": [cups.pk, cards.pk],
            "name": ["纸杯", "桌牌"],
            "quantity": ["1,200", "10"],
            "unit": ["个", "块"],
            "responsible_id": ["", ""],
            "recovered_quantity": ["", "十"],
            "note": ["", "会后清点"],
            "reusable": ["1"],
        },
        **ZH,
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "第 2 行 已回收：请填写整数，如 20。" in page
    assert 'value="1,200"' in page and 'value="十"' in page and "会后清点" in page
    assert SupplyItem.objects.get(pk=cups.pk).quantity == 50  # nothing saved

    response = client.post(
        f"/meetings/{meeting.pk}/supplies/save/",
        {
            "item_id": [cups.pk, cards.pk],
            "name": ["纸杯", "桌牌"],
            "quantity": ["1,200", "10"],
            "unit": ["个", "块"],
            "responsible_id": ["", ""],
            "recovered_quantity": ["", "１２"],
            "note": ["", ""],
            "reusable": ["1"],
        },
        **ZH,
    )
    assert response.status_code == 422  # 12 recovered of 10: the service's rule, on row 2
    assert "第 2 行 已回收：" in response.content.decode()
    assert 'value="１２"' in response.content.decode()


def test_the_api_reads_a_grouped_amount(client, meeting, organiser):
    client.force_login(organiser)
    response = client.put(
        f"/api/v1/meetings/{meeting.pk}/budget",
        {"lines": [{"category": "venue", "planned": "2,000"}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert str(Budget.objects.get(meeting=meeting).lines.get().planned) == "2000.00"
