""" "Waiting for me" and the budget page ask the budget's flows who decides: never the submitter."""

from __future__ import annotations

import pytest

from meetops.budget import services
from meetops.core.inbox import waiting_for

pytestmark = pytest.mark.django_db

LINES = [{"category": "venue", "planned": "1000.00"}]


@pytest.fixture
def both(make_user):
    """An organiser who is also a leader: may approve budgets, but not their own."""
    return make_user("both", roles=("organiser", "leader"))


def _buttons(client, user, meeting):
    client.force_login(user)
    page = client.get(f"/meetings/{meeting.pk}/budget/").content.decode()
    base = f"/meetings/{meeting.pk}/budget/"
    return {move for move in ("approve", "settle-approve") if f'"{base}{move}/"' in page}


def test_the_submitter_never_sees_their_own_budget_or_settlement(
    client, make_meeting, both, leader, member
):
    meeting = make_meeting(actor=both, title="自编预算会")
    services.save_budget(meeting, lines=LINES, actor=both)
    services.submit_budget(meeting, actor=both)
    assert waiting_for(both) == []
    assert [(i.kind, i.meeting) for i in waiting_for(leader)] == [("budget", meeting)]
    assert _buttons(client, both, meeting) == set()
    assert _buttons(client, leader, meeting) == {"approve"}

    services.approve_budget(meeting, actor=leader)
    services.submit_settlement(meeting, actor=both)
    assert waiting_for(both) == []
    assert [(i.kind, i.url) for i in waiting_for(leader)] == [
        ("settlement", f"/meetings/{meeting.pk}/budget/statement/")
    ]
    assert _buttons(client, both, meeting) == set()
    assert _buttons(client, leader, meeting) == {"settle-approve"}
    assert waiting_for(member) == []
