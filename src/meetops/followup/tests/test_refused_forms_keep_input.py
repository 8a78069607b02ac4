"""A refused small form on the item page keeps what was typed, with the field's error beside it
(issue 16: no form loses input; core.refill)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(organiser):
    organiser.language = "en"
    organiser.save(update_fields=["language"])


def _post_back(client, item, move, data):
    page = f"/followup/actions/{item.pk}/"
    response = client.post(
        f"/followup/actions/{item.pk}/{move}/", data, HTTP_REFERER=f"http://testserver{page}"
    )
    assert response.status_code == 303 and response["Location"].endswith(page)
    return client.get(page).content.decode()


def _form(page: str, move: str) -> str:
    return page.split(f"/{move}/", 1)[1].split("</form>", 1)[0]


def test_a_bad_date_keeps_the_reason_and_names_the_field(client, item, organiser):
    client.force_login(organiser)
    page = _post_back(client, item, "due", {"due_date": "2030-02-31", "reason": "等<上级>批复"})
    due = _form(page, "due")
    assert "等&lt;上级&gt;批复</textarea>" in due  # the reason, escaped, back in its box
    assert 'value="2030-02-31"' in due and 'aria-invalid="true"' in due
    assert '<ul class="errorlist" data-field="due_date"><li>Enter a valid date.</li></ul>' in due
    assert "New due date: Enter a valid date." in page  # the message names the field
    assert '<details open class="card"><summary>Change the due date' in page
    item.refresh_from_db()
    assert str(item.due_date) != "2030-02-31"
    # Once: the next visit shows the form as new.
    again = _form(client.get(f"/followup/actions/{item.pk}/").content.decode(), "due")
    assert "批复" not in again and "errorlist" not in again


def test_a_blank_reason_keeps_the_date(client, item, organiser):
    client.force_login(organiser)
    page = _post_back(client, item, "due", {"due_date": "2030-03-01", "reason": " "})
    assert "Reason: This field is required." in page
    assert 'value="2030-03-01"' in _form(page, "due")
