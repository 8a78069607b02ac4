"""The one number parser and the money and duration formats (issue 16, findings 4 and 7)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from meetops.core.numbers import (
    QuantityField,
    format_duration,
    format_money,
    parse_number,
    parse_quantity,
)
from meetops.core.validation import MoneyField


@pytest.mark.parametrize(
    "text",
    [
        "2000",
        "2,000",
        "2 000",
        "２０００",
        "2，000",
        "２，０００",
        " 2000 ",
        "¥2,000",
        "2\u3000000",
    ],
)
def test_a_number_is_read_the_way_people_write_it(text):
    assert parse_number(text) == Decimal(2000)


@pytest.mark.parametrize(
    "text", ["1,5", "1,00,0", "2,000 000", "abc", "", "1e5", "NaN", "2.000,50"]
)
def test_an_ambiguous_or_foreign_number_is_refused_not_guessed(text):
    assert parse_number(text) is None


def test_decimals_and_quantities():
    assert parse_number("1,234.56") == Decimal("1234.56")
    assert parse_number("１２．５") == Decimal("12.5")
    assert parse_quantity("1,200") == 1200
    assert parse_quantity("2.5") is None and parse_quantity("-1") is None
    assert parse_number(True) is None


def test_form_fields_take_grouped_numbers_and_name_the_problem():
    class F(forms.Form):
        amount = MoneyField(label="amount")
        count = QuantityField(label="count")

    form = F({"amount": "2,000.50", "count": "１２"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"amount": Decimal("2000.50"), "count": 12}
    with translation.override("zh-hans"):
        bad = F({"amount": "两千", "count": "1,5"})
        assert not bad.is_valid()
        assert bad.errors["amount"] == ["请填写数字，如 2000。"]
        assert bad.errors["count"] == ["请填写整数，如 20。"]
    # A text box with the numeric keyboard: a number input would refuse "2,000" in the browser.
    assert 'inputmode="decimal"' in str(F()["amount"]) and 'type="text"' in str(F()["amount"])


def test_money_carries_the_yuan_sign_in_every_language():
    with translation.override("zh-hans"):
        assert format_money(Decimal("2000")) == "¥2,000.00"
    with translation.override("en"):
        assert format_money(Decimal("-1234.5")) == "-¥1,234.50"


def test_durations_read_as_minutes_and_seconds():
    with translation.override("zh-hans"):
        assert format_duration(723) == "12 分 3 秒"
        assert format_duration(3900) == "1 小时 5 分"
    with translation.override("zh-hant"):
        assert format_duration(723) == "12 分 3 秒"
    with translation.override("en"):
        assert format_duration(723) == "12 min 3 s"
        assert format_duration(0) == "0 s"
