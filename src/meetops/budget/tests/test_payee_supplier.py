"""An expense may name a supplier of the register as its payee (P10.5); free text stays for
everyone else. The picker shows each supplier's average rating and expired documents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetops.budget.models import Expense
from meetops.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def caterer(admin_user):
    from meetops.partners import services

    supplier = services.save_supplier(None, actor=admin_user, name="锦程会务", kind="catering")
    services.add_qualification(
        supplier,
        actor=admin_user,
        title="食品经营许可证",
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    return supplier


def test_the_page_names_a_supplier_as_payee(client, approved, meeting, organiser, caterer):
    client.force_login(organiser)
    page = client.get(
        f"/meetings/{meeting.pk}/budget/", headers={"Accept-Language": "en"}
    ).content.decode()
    assert "锦程会务 · Catering · not rated yet · qualification expired" in page
    line = meeting.budget.lines.first()
    response = client.post(
        f"/meetings/{meeting.pk}/budget/expenses/",
        {"line": line.pk, "amount": "300", "spent_on": "2026-11-20", "payee_supplier": caterer.pk},
    )
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert (expense.payee, expense.payee_supplier) == ("锦程会务", caterer)
    entry = AuditEntry.objects.get(action="budget.expense.created")
    assert entry.changes["payee_supplier"] == [None, caterer.pk]


def test_free_text_payees_still_work_and_one_of_the_two_is_needed(
    client, approved, meeting, organiser
):
    client.force_login(organiser)
    line = meeting.budget.lines.first()
    url = f"/meetings/{meeting.pk}/budget/expenses/"
    base = {"line": line.pk, "amount": "10", "spent_on": "2026-11-20"}
    assert client.post(url, base).status_code == 422
    assert client.post(url, {**base, "payee": "路边小店"}).status_code == 302
    assert Expense.objects.get().payee_supplier is None


def test_the_api_takes_a_supplier_as_payee(api_as, approved, meeting, organiser, caterer):
    from meetops.partners import services

    api = api_as(organiser)
    line = meeting.budget.lines.first()
    body = {"line_id": line.pk, "amount": "120.00", "spent_on": "2026-11-20"}
    created = api.post(
        f"/api/v1/meetings/{meeting.pk}/expenses", {**body, "payee_supplier_id": caterer.pk}
    )
    assert created.status_code == 201, created.content
    assert created.json()["payee"] == "锦程会务"
    assert created.json()["payee_supplier_id"] == caterer.pk
    retired = services.save_supplier(None, actor=caterer.created_by, name="停用", active=False)
    refused = api.post(
        f"/api/v1/meetings/{meeting.pk}/expenses", {**body, "payee_supplier_id": retired.pk}
    )
    assert refused.status_code == 422
    assert Expense.objects.count() == 1


def test_the_supplier_page_shows_what_meetings_paid_it(
    client, approved, meeting, organiser, caterer, leader, spend
):
    spend(meeting, "88.00", payee="", payee_supplier_id=caterer.pk)
    client.force_login(leader)
    page = client.get(f"/partners/{caterer.pk}/").content.decode()
    assert 'id="payments"' in page and meeting.title in page
    client.force_login(organiser)  # reads the register, keeps no part of it: no payments
    assert 'id="payments"' not in client.get(f"/partners/{caterer.pk}/").content.decode()
