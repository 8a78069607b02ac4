"""The unified social credit code (GB 32100-2015): its shape and check character, refused by
field name in the one error shape, page and API alike."""

from __future__ import annotations

import pytest
from django.utils import translation

from meetops.core.errors import ValidationFailed
from meetops.partners.creditcode import check_character, normalise, problem_with
from meetops.partners.models import Supplier
from meetops.partners.services import save_supplier
from meetops.partners.tests.conftest import CODE, CODE2


@pytest.mark.parametrize("code", [CODE, CODE2])
def test_published_codes_pass(code):
    assert problem_with(code) is None
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y4", "format"),  # 17 characters
        ("91350100M000100Y433", "format"),  # 19
        ("91350100M00010OY43", "format"),  # the letter O is not in the alphabet
        ("913501A0M000100Y43", "format"),  # a letter in the division code
        ("91350100M000100Y44", "check"),  # one character off
        ("91350100M000010Y43", "check"),  # two swapped
    ],
)
def test_wrong_codes_are_told_apart(code, problem):
    assert problem_with(code) == problem


def test_codes_are_read_as_typed_from_a_chinese_input_method():
    assert normalise("９１３５０１００ｍ０００１００ｙ４３") == CODE
    assert normalise(" 9135 0100 M000 100Y 43 ") == CODE


@pytest.mark.django_db
def test_the_service_refuses_a_bad_check_character_naming_the_field(keeper):
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        save_supplier(None, actor=keeper, name="某公司", credit_code="91350100M000100Y44")
    error = refused.value
    assert error.code == "invalid_credit_code"
    assert error.details["fields"] == ["credit_code"]
    assert "unified social credit code" in str(error.message).lower()
    assert "check character" in error.details["problems"][0]["problem"]
    assert not Supplier.objects.exists()


@pytest.mark.django_db
def test_the_service_stores_the_normalised_code_once(keeper):
    supplier = save_supplier(None, actor=keeper, name="甲", credit_code="91350100m000100y43")
    assert supplier.credit_code == CODE
    with pytest.raises(ValidationFailed) as refused:
        save_supplier(None, actor=keeper, name="乙", credit_code=CODE)
    assert refused.value.code == "credit_code_taken"
    assert save_supplier(None, actor=keeper, name="丙").credit_code == ""


@pytest.mark.django_db
def test_the_api_answers_with_the_field_in_the_one_error_shape(api_as, keeper):
    response = api_as(keeper).post("/api/v1/partners/", {"name": "某公司", "credit_code": "12345"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_credit_code"
    assert [f["field"] for f in error["details"]["fields"]] == ["credit_code"]


@pytest.mark.django_db
def test_the_page_shows_the_reason_beside_the_field(client, keeper):
    client.force_login(keeper)
    response = client.post(
        "/partners/new/", {"name": "某公司", "kind": "av", "credit_code": "91350100M000100Y44"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "check character" in page or "校验码" in page or "校驗碼" in page
    assert 'value="91350100M000100Y44"' in page  # what was typed stays
