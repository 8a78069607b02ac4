"""Issue 14 finding 2: amounts beyond what money can be are 422 `invalid_amount`, never 500."""

from __future__ import annotations

import pytest

from meetops.budget.models import Expense

pytestmark = pytest.mark.django_db

TOO_MUCH = ["1e999999", "9" * 40, "1e30", "NaN", "Infinity", "-Infinity", "10000000000", "-1"]


@pytest.mark.parametrize("amount", TOO_MUCH)
def test_an_impossible_expense_amount_is_422_invalid_amount(
    api_as, approved, meeting, organiser, amount
):
    line = meeting.budget.lines.order_by("order")[0]
    body = {"line_id": line.pk, "amount": amount, "spent_on": "2026-11-01", "payee": "酒店"}
    response = api_as(organiser).post(f"/api/v1/meetings/{meeting.pk}/expenses", raw=_json(body))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_amount"
    assert error["details"]["fields"][0]["field"] == "amount"
    assert not Expense.objects.exists()


@pytest.mark.parametrize("planned", [1e30, "1e999999", "9" * 40, "NaN"])
def test_an_impossible_planned_amount_is_422(api_as, meeting, organiser, planned):
    body = {"lines": [{"category": "venue", "planned": planned}]}
    response = api_as(organiser).put(f"/api/v1/meetings/{meeting.pk}/budget", raw=_json(body))
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid_amount"
    assert response.json()["error"]["details"]["fields"][0]["field"] == "lines.0.planned"


def test_the_largest_amount_is_accepted(api_as, meeting, organiser):
    body = {"lines": [{"category": "venue", "planned": "9999999999.99"}]}
    response = api_as(organiser).put(f"/api/v1/meetings/{meeting.pk}/budget", raw=_json(body))
    assert response.status_code == 200, response.content


def test_the_service_refuses_an_exponent_without_raising(meeting, organiser):
    from meetops.budget.services.common import money

    assert money("1e999999", allow_zero=True) is None
    assert money("9" * 40, allow_zero=True) is None


def test_the_expense_form_shows_a_field_error(client, approved, meeting, organiser):
    client.force_login(organiser)
    line = meeting.budget.lines.order_by("order")[0]
    from meetops.budget.forms import ExpenseForm

    form = ExpenseForm(
        data={"line": line.pk, "amount": "1e999999", "spent_on": "2026-11-01", "payee": "x"}
    )
    form.fields["line"].queryset = meeting.budget.lines.all()
    assert not form.is_valid() and "amount" in form.errors


def _json(body: object) -> str:
    import json

    return json.dumps(body, allow_nan=True)
