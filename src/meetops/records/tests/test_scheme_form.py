"""The lead's review of issue 16: an empty 门类代码 is refused beside its field (it used to be read
as "keep as is"), and destruction supervisors are picked from a list in name order."""

from __future__ import annotations

import pytest

from meetops.records.forms import ApproveDestructionForm
from meetops.records.models import Scheme

pytestmark = pytest.mark.django_db

RULES = {"file_name_pattern": "{number}_{seq:03d}.{ext}", "number_pattern": "{year}-{seq:05d}"}


def test_an_empty_class_code_is_refused_beside_its_field_keeping_the_input(client, archivist):
    client.force_login(archivist)
    client.get("/archive/scheme/")
    before = Scheme.objects.get().class_code
    response = client.post(
        "/archive/scheme/", {**RULES, "number_pattern": "{year}-{seq:06d}", "class_code": ""}
    )
    assert response.status_code == 422
    text = response.content.decode()
    error = text.split('id="class_code-error"')[1].split("</span>")[0]
    assert "WS" in error  # "Give the record class code, e.g. WS."
    assert 'value="{year}-{seq:06d}"' in text  # what was typed stays
    scheme = Scheme.objects.get()
    assert scheme.class_code == before and scheme.number_pattern != "{year}-{seq:06d}"


def test_a_form_without_the_class_code_keeps_it(client, archivist):
    client.force_login(archivist)
    client.get("/archive/scheme/")
    before = Scheme.objects.get().class_code
    assert client.post("/archive/scheme/", RULES).status_code == 302
    assert Scheme.objects.get().class_code == before


def test_supervisors_are_listed_by_name_not_user_name(make_user):
    make_user("a-zhao", display_name="赵强")
    make_user("z-an", display_name="安娜")
    make_user("m-li", display_name="李明")
    names = [str(u) for u in ApproveDestructionForm().fields["supervisors"].queryset]
    chosen = [n for n in names if n in ("赵强", "安娜", "李明")]
    assert chosen == ["安娜", "李明", "赵强"]
