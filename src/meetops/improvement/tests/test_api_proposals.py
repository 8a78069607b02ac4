"""Found by the API fuzz test (issue 14): the proposals list answered 500 once a proposal existed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_proposals_list_answers_with_the_proposals(api_as, meeting, admin_user, add_measure):
    measure = add_measure(meeting, proposes_process_change=True, process_change="P2.10 增加联调项")
    response = api_as(admin_user).get("/api/v1/improvements/proposals")
    assert response.status_code == 200, response.content
    (item,) = response.json()
    assert item["id"] == measure.pk and item["process_change"] == "P2.10 增加联调项"
    assert item["lesson_ids"] == [] and item["overdue"] is False
