"""Issue 16 finding 17(c): automatic seating is in sight where the organiser arranges seats,
not folded away in a collapsed section."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _folded(page: str, marker: str) -> bool:
    """Whether `marker` sits inside a <details> element of the page."""
    before = page.split(marker)[0]
    return before.count("<details") > before.count("</details>")


def test_auto_seating_and_the_protocol_order_are_not_folded(
    client, seated_meeting, small_plan, organiser, member
):
    meeting = seated_meeting([("主持人", "host", "办公室"), ("张三", "participant", "财务处")])
    plan = small_plan(meeting)
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/seating/{plan.pk}/").content.decode()
    assert 'id="auto-assign"' in page and not _folded(page, 'id="auto-assign"')
    assert 'id="protocol-order"' in page and not _folded(page, 'id="protocol-order"')
    # Above the board: the first thing the organiser sees after the plan's tabs.
    assert page.index('id="auto-seating"') < page.index('id="seat-form"')
    client.force_login(member)
    assert (
        'id="auto-assign"'
        not in client.get(f"/meetings/{meeting.pk}/seating/{plan.pk}/").content.decode()
    )
