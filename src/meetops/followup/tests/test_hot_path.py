"""A progress report's statements pinned (issue 17), first (moves the item) and later reports."""

from __future__ import annotations

import pytest

from meetops.minutes.models import ActionItem

pytestmark = pytest.mark.django_db

# token, the item for the caller (+cooperations), roles, begin, lock, insert the update, [move the
# item], audit entry on the item's stream (savepoint, head, insert, release), the followers and
# their rights and channels, the bell and outbox rows, commit
FIRST_REPORT = 20
LATER_REPORT = 19


def test_progress_report_statements(api_as, item, owner, django_assert_num_queries):
    api = api_as(owner)
    api.get("/api/v1/me")
    url = f"/api/v1/actions/{item.pk}/progress"
    with django_assert_num_queries(FIRST_REPORT):
        first = api.post(url, {"percent": 30, "note": "开始"})
    with django_assert_num_queries(LATER_REPORT):
        later = api.post(url, {"percent": 60, "note": "过半"})
    assert (first.status_code, later.status_code) == (201, 201)
    assert later.json()["percent"] == 60
    assert ActionItem.objects.get(pk=item.pk).state == "in_progress"
