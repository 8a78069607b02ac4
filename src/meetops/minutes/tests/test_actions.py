"""Action items: who may create and move them, the state graph, and the due/overdue reminder job."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.minutes import services
from meetops.minutes.jobs import send_action_reminders
from meetops.minutes.models import ActionState
from meetops.notifications.models import OutboxMessage
from meetops.people.services import create_department

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(db):
    return create_department(name="财务部", actor=None)


@pytest.fixture
def action(meeting, recorder, member):
    return services.create_action(
        meeting,
        actor=recorder,
        title="拿出预算方案",
        owner=member,
        due_date=timezone.localdate() + timedelta(days=7),
    )


def test_a_writer_creates_an_action_and_the_owner_is_told(action, member, recorder):
    assert (action.state, action.owner, action.created_by) == (ActionState.OPEN, member, recorder)
    assert OutboxMessage.objects.filter(event="action.assigned", user=member).exists()
    assert AuditEntry.objects.filter(
        action="minutes.action.created", object_id=str(action.pk)
    ).exists()


def test_an_action_needs_an_owner_or_a_department(meeting, recorder, department):
    with pytest.raises(DomainError) as exc:
        services.create_action(meeting, actor=recorder, title="无人负责")
    assert exc.value.code == "owner_required"
    owned = services.create_action(meeting, actor=recorder, title="部门负责", department=department)
    assert owned.department == department


def test_an_action_links_only_to_a_decision_of_its_meeting(
    written, meeting, recorder, member, make_meeting, organiser
):
    from meetops.minutes.models import Decision

    decision = Decision.objects.get(section__minutes=written)
    linked = services.create_action(
        meeting, actor=recorder, title="落实决定", owner=member, decision=decision
    )
    assert linked.decision == decision
    other = make_meeting(title="另一个会")
    with pytest.raises(DomainError) as exc:
        services.create_action(
            other, actor=organiser, title="错链", owner=member, decision=decision
        )
    assert exc.value.code == "unknown_decision"


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_outsiders_may_not_create_actions(request, meeting, persona, member):
    with pytest.raises(DomainError) as exc:
        services.create_action(
            meeting, actor=request.getfixturevalue(persona), title="x", owner=member
        )
    assert exc.value.code == "forbidden"


def test_the_owner_moves_it_along_and_done_needs_a_note(action, member):
    moved = services.update_action(action, actor=member, state="in_progress")
    assert moved.state == ActionState.IN_PROGRESS
    with pytest.raises(DomainError) as exc:
        services.update_action(action, actor=member, state="done")
    assert exc.value.code == "completion_note_required"
    done = services.update_action(action, actor=member, state="done", completion_note="方案已提交")
    assert done.state == ActionState.DONE and done.completed_at
    entry = AuditEntry.objects.filter(action="minutes.action.updated").latest("id")
    assert entry.changes["state"] == ["in_progress", "done"]


def test_the_owner_may_not_cancel_or_rename(action, member):
    with pytest.raises(DomainError) as exc:
        services.update_action(action, actor=member, state="cancelled")
    assert exc.value.code == "invalid_transition"
    with pytest.raises(DomainError) as exc:
        services.update_action(action, actor=member, title="改名")
    assert exc.value.code == "owner_fields_only"


def test_a_writer_cancels_and_reopens(action, host):
    assert services.update_action(action, actor=host, state="cancelled").state == "cancelled"
    assert services.update_action(action, actor=host, state="open").state == "open"


def test_someone_else_may_not_update(action, outsider):
    with pytest.raises(DomainError) as exc:
        services.update_action(action, actor=outsider, state="in_progress")
    assert exc.value.code == "forbidden"


def test_reminders_due_and_overdue_once_per_item_per_day(
    meeting, recorder, member, department, organiser
):
    today = timezone.localdate()
    due = services.create_action(
        meeting, actor=recorder, title="明天到期", owner=member, due_date=today + timedelta(days=1)
    )
    late = services.create_action(
        meeting, actor=recorder, title="已逾期", owner=member, due_date=today - timedelta(days=2)
    )
    dept = services.create_action(
        meeting, actor=recorder, title="部门的", department=department, due_date=today
    )
    services.create_action(
        meeting, actor=recorder, title="还早", owner=member, due_date=today + timedelta(days=9)
    )
    finished = services.create_action(
        meeting, actor=recorder, title="已完成", owner=member, due_date=today - timedelta(days=1)
    )
    services.update_action(finished, actor=member, state="done", completion_note="好了")

    assert send_action_reminders() == 3
    assert send_action_reminders() == 3  # the job runs again the same day ...
    reminders = OutboxMessage.objects.filter(
        event__in=["action.due", "action.overdue"], channel="inapp"
    )
    # ... but each item is reminded once: the dedupe key carries the item and the day.
    assert sorted((r.event, r.user.username, r.subject) for r in reminders) == sorted(
        [
            ("action.due", "member", f"行动事项 {due.due_date:%Y-%m-%d} 到期：明天到期"),
            ("action.overdue", "member", "行动事项已逾期：已逾期"),
            ("action.due", "organiser", f"行动事项 {dept.due_date:%Y-%m-%d} 到期：部门的"),
        ]
    )
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        send_action_reminders()
    overdue = reminders.filter(event="action.overdue")
    # The next day: the late item once more, and the department's item is now late too.
    assert overdue.filter(subject__endswith="已逾期").count() == 2
    assert overdue.filter(subject__endswith="部门的").count() == 1
    assert late.pk


def test_a_reminder_to_an_owner_who_may_not_see_the_meeting_does_not_name_it(
    make_meeting, organiser, member
):
    secret = make_meeting(title="绝密人事调整会议", confidentiality="confidential")
    services.create_action(
        secret,
        actor=organiser,
        title="整理名单",
        owner=member,
        due_date=timezone.localdate() - timedelta(days=1),
    )
    assert send_action_reminders() == 1
    sent = OutboxMessage.objects.filter(event="action.overdue", user=member)
    assert sent.exists()
    for message in sent:  # every channel the owner gets it on
        assert "整理名单" in message.subject + message.body
        assert "绝密人事调整会议" not in message.subject + message.body


def test_an_update_that_changes_nothing_writes_nothing(action, member, recorder, client):
    done = services.update_action(action, actor=member, state="done", completion_note="已交")
    updated = AuditEntry.objects.filter(action="minutes.action.updated")
    assert updated.count() == 1
    again = services.update_action(action, actor=member, state="done", completion_note="已交")
    assert updated.count() == 1 and again.completed_at == done.completed_at
    services.update_action(action, actor=recorder, title="拿出预算方案")
    assert updated.count() == 1
    services.update_action(action, actor=recorder, title="拿出预算方案（修订）")
    assert updated.count() == 2

    client.force_login(member)
    page = client.post(
        reverse("action_update", args=[action.pk]),
        {"state": "done", "completion_note": "已交"},
        follow=True,
        headers={"Accept-Language": "zh-hans"},
    )
    assert "未作修改" in page.content.decode() and updated.count() == 2
