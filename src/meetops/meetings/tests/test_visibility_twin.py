"""`meeting_visibility` (a test of one meeting's columns) answers as `meetings_visible_to` does."""

from __future__ import annotations

import pytest

from meetops.meetings import services
from meetops.meetings.models import Confidentiality, Participant
from meetops.meetings.selectors import meeting_visibility, meetings_visible_to
from meetops.people import services as people
from meetops.people.models import Role

pytestmark = pytest.mark.django_db


def test_the_row_test_agrees_with_the_queryset_for_everyone(admin_user, make_user, make_meeting):
    finance = people.create_department(name="财务处", actor=admin_user)
    budget = people.create_department(name="预算科", actor=admin_user, parent=finance)
    it = people.create_department(name="信息中心", actor=admin_user)
    meetings = [
        make_meeting(title=f"会议-{level}", confidentiality=level, department=department)
        for level in Confidentiality.values
        for department in (finance, budget, None)
    ]
    users = [make_user(f"u-{role}", roles=(role,), department=it) for role in Role.values]
    users += [
        make_user("in-finance", department=finance),
        make_user("in-budget", department=budget),
        make_user("nowhere"),
    ]
    gone = make_user("gone", department=finance)
    gone.is_active = False
    users.append(gone)
    guest = make_user("guest")
    for meeting in meetings[-6:]:  # the confidential ones
        services.add_participant(meeting, actor=admin_user, user=guest)
    users.append(guest)
    creator = meetings[0].created_by
    users.append(creator)
    on = set(Participant.objects.filter(user__isnull=False).values_list("meeting_id", "user_id"))
    seen_any = set()
    for user in users:
        expected = set(meetings_visible_to(user).values_list("pk", flat=True))
        sees = meeting_visibility(user)
        got = {
            m.pk
            for m in meetings
            if sees(m.confidentiality, m.department_id, m.created_by_id, (m.pk, user.pk) in on)
        }
        assert got == expected, user.username
        seen_any.add(len(got))
    assert 0 in seen_any and len(meetings) in seen_any and len(seen_any) > 3
