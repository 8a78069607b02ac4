"""Budget, statement and supplies pages: personas, forms, money formatting and query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from meetops.budget import errors
from meetops.budget.models import Budget, Expense, SupplyItem

pytestmark = pytest.mark.django_db


def test_organiser_drafts_and_submits_leader_approves_on_the_page(
    client, meeting, organiser, leader
):
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/budget/")
    assert page.status_code == 200 and b"lines-editor" in page.content
    response = client.post(
        f"/meetings/{meeting.pk}/budget/lines/",
        {
            "line_id": ["", "", ""],
            "category": ["venue", "printing", ""],
            "planned": ["2000", "150.5", ""],
            "note": ["礼堂", "", ""],
        },
    )
    assert response.status_code == 302
    budget = Budget.objects.get(meeting=meeting)
    assert [str(line.planned) for line in budget.lines.all()] == ["2000.00", "150.50"]
    client.post(f"/meetings/{meeting.pk}/budget/submit/")
    client.force_login(leader)
    page = client.get(f"/meetings/{meeting.pk}/budget/")
    assert "Approve the budget" in page.content.decode() or "批准预算" in page.content.decode()
    client.post(f"/meetings/{meeting.pk}/budget/approve/", {"comment": "好"})
    assert Budget.objects.get(pk=budget.pk).status == "approved"


def test_money_is_formatted_for_the_reader(client, approved, meeting, organiser, spend):
    spend(meeting, "1234.5")
    organiser.language = "en"
    organiser.save(update_fields=["language"])
    client.force_login(organiser)
    body = client.get(f"/meetings/{meeting.pk}/budget/statement/").content.decode()
    assert "¥1,234.50" in body and "¥4,200.50" in body


def test_the_page_refuses_an_executable_receipt(client, approved, meeting, organiser):
    client.force_login(organiser)
    line = meeting.budget.lines.first()
    exe = SimpleUploadedFile("receipt.png", b"MZ\x90\x00" + b"\x00" * 64, "image/png")
    response = client.post(
        f"/meetings/{meeting.pk}/budget/expenses/",
        {"line": line.pk, "amount": "10", "spent_on": "2026-11-20", "payee": "店", "receipt": exe},
    )
    assert response.status_code == 422
    with translation.override("zh-hans"):
        assert str(errors.bad_receipt().message) in response.content.decode()
    assert not Expense.objects.exists()


def test_an_over_budget_expense_without_reason_is_refused_on_the_page(
    client, approved, meeting, organiser
):
    client.force_login(organiser)
    line = meeting.budget.lines.first()
    data = {"line": line.pk, "amount": "5000", "spent_on": "2026-11-20", "payee": "店"}
    client.post(f"/meetings/{meeting.pk}/budget/expenses/", data)
    assert not Expense.objects.exists()
    client.post(f"/meetings/{meeting.pk}/budget/expenses/", {**data, "over_budget_reason": "涨价"})
    assert Expense.objects.get().over_budget_reason == "涨价"
    page = client.get(f"/meetings/{meeting.pk}/budget/").content.decode()
    assert "over-budget" not in page and 'class="blocked"' in page


@pytest.mark.parametrize(
    ("persona", "confidentiality", "read", "write"),
    [
        ("member", "internal", 200, 403),
        ("outsider", "internal", 403, 403),
        ("outsider", "confidential", 404, 404),
    ],
)
def test_personas_on_the_pages(
    client, make_meeting, organiser, member, outsider, persona, confidentiality, read, write
):
    from meetops.meetings.services import add_participant

    meeting = make_meeting(confidentiality=confidentiality)
    add_participant(meeting, actor=organiser, user=member, role="participant")
    client.force_login({"member": member, "outsider": outsider}[persona])
    for path in ("budget/", "budget/statement/", "supplies/"):
        assert client.get(f"/meetings/{meeting.pk}/{path}").status_code == read
    lines = {"category": ["venue"], "planned": ["1"], "note": [""], "line_id": [""]}
    assert client.post(f"/meetings/{meeting.pk}/budget/lines/", lines).status_code == write
    assert (
        client.post(f"/meetings/{meeting.pk}/supplies/save/", {"name": ["笔"]}).status_code == write
    )
    assert not Budget.objects.exists() and not SupplyItem.objects.exists()


def test_meeting_detail_links_to_budget_for_those_who_may_read_it(
    client, meeting, organiser, outsider
):
    client.force_login(organiser)
    assert (
        f"/meetings/{meeting.pk}/budget/".encode() in client.get(f"/meetings/{meeting.pk}/").content
    )
    client.force_login(outsider)
    assert (
        f"/meetings/{meeting.pk}/budget/".encode()
        not in client.get(f"/meetings/{meeting.pk}/").content
    )


def test_statement_query_count_does_not_grow_with_expenses(
    client, approved, meeting, organiser, spend, django_assert_max_num_queries
):
    client.force_login(organiser)
    spend(meeting, "1.00")
    with django_assert_max_num_queries(20) as few:
        client.get(f"/meetings/{meeting.pk}/budget/statement/")
    for _ in range(15):
        spend(meeting, "1.00", index=1, description="tea-bill")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/meetings/{meeting.pk}/budget/statement/")
    assert response.content.decode().count("tea-bill") == 15
    with django_assert_max_num_queries(len(few.captured_queries) + 6):
        client.get(f"/meetings/{meeting.pk}/budget/")


def test_supplies_page_and_usual_items(client, meeting, organiser):
    from meetops.budget.models import DefaultSupply

    DefaultSupply.objects.create(kind=meeting.kind, name="纸杯", quantity=50, unit="个")
    DefaultSupply.objects.create(kind=meeting.kind, name="桌牌", quantity=10, reusable=True)
    client.force_login(organiser)
    client.post(f"/meetings/{meeting.pk}/supplies/defaults/")
    client.post(f"/meetings/{meeting.pk}/supplies/defaults/")  # a second time adds nothing
    assert list(SupplyItem.objects.values_list("name", flat=True)) == ["纸杯", "桌牌"]
    items = list(SupplyItem.objects.order_by("order"))
    client.post(
        f"/meetings/{meeting.pk}/supplies/save/",
        {
            "item_id": [items[0].pk, items[1].pk, ""],
            "name": ["纸杯", "桌牌", "白板笔"],
            "quantity": ["50", "10", "4"],
            "unit": ["个", "", "支"],
            "responsible_id": ["", str(organiser.pk), ""],
            "recovered_quantity": ["", "9", ""],
            "note": ["", "", ""],
            "prepared": ["0", "1"],
            "reusable": ["1"],
        },
    )
    rows = list(
        SupplyItem.objects.order_by("order").values_list(
            "name", "prepared", "reusable", "recovered_quantity"
        )
    )
    assert rows == [
        ("纸杯", True, False, None),
        ("桌牌", True, True, 9),
        ("白板笔", False, False, None),
    ]
    page = client.get(f"/meetings/{meeting.pk}/supplies/")
    assert page.status_code == 200 and "白板笔" in page.content.decode()


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", "-50", "-¥50.00"),
        ("zh-hans", "1234567.5", "¥1,234,567.50"),
        ("zh-hant", "0", "¥0.00"),
    ],
)
def test_money_format(language, value, shown):
    from decimal import Decimal

    from meetops.budget.money import format_money

    with translation.override(language):
        assert format_money(Decimal(value)) == shown


def test_the_budget_page_shows_what_a_booked_external_venue_costs(client, meeting, organiser):
    from decimal import Decimal

    from meetops.venues.models import ExternalVenue, Room
    from meetops.venues.services.booking import book_room

    hotel = ExternalVenue.objects.create(name="国际饭店", cost_per_day=Decimal("2500.00"))
    room = Room.objects.create(name="宴会厅", capacity=80, external_venue=hotel)
    book_room(room, meeting=meeting, start=meeting.start, end=meeting.end, actor=organiser)
    client.force_login(organiser)
    with translation.override("en"):
        body = client.get(f"/meetings/{meeting.pk}/budget/", HTTP_ACCEPT_LANGUAGE="en")
    assert "国际饭店" in body.content.decode()
    assert "¥2,500.00" in body.content.decode()


def test_the_meeting_plan_shows_the_budget_to_its_readers(
    client, approved, meeting, organiser, outsider
):
    client.force_login(organiser)
    body = client.get(f"/meetings/{meeting.pk}/plan/").content.decode()
    assert "¥3,000.00" in body and "¥4,200.50" in body
    client.force_login(outsider)
    assert "¥4,200.50" not in client.get(f"/meetings/{meeting.pk}/plan/").content.decode()


def test_void_an_expense_on_the_page_and_see_it_on_the_statement(
    client, approved, meeting, organiser, spend
):
    expense = spend(meeting, "75.00", payee="错误的收款方")
    client.force_login(organiser)
    client.post(f"/meetings/{meeting.pk}/budget/expenses/{expense.pk}/void/", {"reason": "录错"})
    body = client.get(f"/meetings/{meeting.pk}/budget/statement/").content.decode()
    assert 'id="voided"' in body and "录错" in body and "<s>¥75.00</s>" in body
    assert Expense.objects.get().voided_by == organiser
