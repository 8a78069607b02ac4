"""An action item reaches its owner's DingTalk 待办 through the outbox, and follows the item:
a new due date, done, given to someone else, cancelled; throttling and an expired token are
retried without a second to-do (the stand-in's to-do API over HTTP)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from meetops.followup import services as followup
from meetops.identity.models import ExternalIdentity
from meetops.meetings import services as meetings
from meetops.minutes import services as minutes
from meetops.minutes.tests.conftest import agenda_ids, host, meeting, recorder  # noqa: F401
from meetops.notifications.models import DeliveryAttempt, OutboxMessage
from meetops.notifications.worker import Worker
from meetops.workim import services as workim_services
from meetops.workim.dingtalk.todos import due_millis
from meetops.workim.models import ImTodo
from meetops.workim.todos import EVENT, GONE_EVENT

pytestmark = pytest.mark.django_db


def person(userid: str) -> Any:
    return ExternalIdentity.objects.get(provider="dingtalk", external_id=userid).user


def drain() -> None:
    """Run the worker until nothing is due (notices first, then the to-do syncs)."""
    for _ in range(6):
        if not Worker().run_once().handled:
            return


def due_now() -> None:
    """Make failed syncs due at once, as after their back-off."""
    OutboxMessage.objects.filter(event=EVENT, status="failed").update(
        next_attempt_at=timezone.now()
    )


def syncs() -> list[str]:
    """What each to-do sync did, in order (the delivery log's codes)."""
    return list(
        DeliveryAttempt.objects.filter(message__event=EVENT)
        .order_by("id")
        .values_list("response_code", flat=True)
    )


@pytest.fixture
def item(synced: Any, meeting: Any, organiser: Any) -> Any:  # noqa: F811
    return minutes.create_action(
        meeting,
        actor=organiser,
        title="起草年度预算报告",
        owner=person("lisi"),
        due_date=timezone.localdate() + timedelta(days=10),
    )


def test_an_assigned_item_becomes_one_todo_for_its_owner_with_its_due_date(item, synced):
    drain()
    [task] = synced.todo.live()
    assert task["subject"] == "起草年度预算报告"
    assert task["executorIds"] == ["union-lisi"]
    assert task["dueTime"] == due_millis(item.due_date)
    assert task["detailUrl"]["pcUrl"].startswith("http")
    assert "/im/dingtalk/app/?next=%2Ffollowup%2Factions%2F" in task["detailUrl"]["pcUrl"]
    assert ImTodo.objects.get(action=item).task_id == task["id"]
    assert syncs() == ["created"]


def test_a_new_due_date_and_done_update_the_same_todo(item, synced, organiser):
    drain()
    later = item.due_date + timedelta(days=5)
    followup.change_due_date(item, actor=organiser, due_date=later, reason="等财政批复")
    drain()
    [task] = synced.todo.live()
    assert task["dueTime"] == due_millis(later) and task["done"] is False

    minutes.update_action(item, actor=person("lisi"), state="done", completion_note="已报送")
    drain()
    [task] = synced.todo.live()
    assert task["done"] is True
    assert syncs() == ["created", "updated", "completed"]


def test_given_to_someone_else_the_old_todo_goes_and_the_new_owner_gets_one(
    item, synced, organiser
):
    drain()
    minutes.update_action(item, actor=organiser, owner=person("wangwu"))
    drain()
    assert synced.todo.live("union-lisi") == []
    [task] = synced.todo.live()
    assert task["executorIds"] == ["union-wangwu"]
    assert sorted(syncs()) == ["created", "created", "deleted"]
    assert list(ImTodo.objects.values_list("user__username", flat=True)) == [
        person("wangwu").username
    ]


def test_a_cancelled_item_takes_its_todo_away(item, synced, organiser):
    drain()
    minutes.update_action(item, actor=organiser, state="cancelled")
    drain()
    assert synced.todo.live() == []
    assert not ImTodo.objects.exists()


def test_a_cancelled_meeting_takes_its_todos_away(item, synced, organiser):
    drain()
    assert len(synced.todo.live()) == 1
    meetings.transition_meeting(item.meeting, to="cancelled", actor=organiser)
    drain()
    assert synced.todo.live() == []
    assert not ImTodo.objects.exists()


def test_a_deleted_meeting_takes_its_todos_away(item, synced):
    drain()
    [task] = synced.todo.live()
    item.meeting.delete()  # the admin site's delete: the item and its ImTodo row go with it
    synced.todo.throttle()  # the first try is refused; the request keeps what it needs
    drain()
    OutboxMessage.objects.filter(event=GONE_EVENT, status="failed").update(
        next_attempt_at=timezone.now()
    )
    drain()
    assert synced.todo.live() == []
    assert synced.todo.tasks[task["id"]]["deleted"]
    assert OutboxMessage.objects.get(event=GONE_EVENT).status == "sent"


def test_a_throttled_sync_is_retried_with_the_code_in_the_log_and_no_second_todo(
    synced,
    meeting,  # noqa: F811
    organiser,
):
    synced.todo.throttle()
    action = minutes.create_action(
        meeting, actor=organiser, title="核对固定资产", owner=person("lisi")
    )
    drain()
    assert synced.todo.live() == []
    row = OutboxMessage.objects.get(event=EVENT)
    assert row.status == "failed"
    # DingTalk's own code (cut to the log's 40 characters).
    assert syncs() == ["Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"[:40]]

    due_now()
    drain()
    assert len(synced.todo.live()) == 1

    # Throttled again while updating: the retry updates the same to-do.
    synced.todo.throttle()
    minutes.update_action(action, actor=organiser, title="核对并登记固定资产")
    drain()
    due_now()
    drain()
    [task] = synced.todo.live()
    assert task["subject"] == "核对并登记固定资产"
    assert len(synced.todo.tasks) == 1


def test_an_expired_token_is_fetched_again(item, synced):
    synced.expire_token()
    drain()
    assert len(synced.todo.live()) == 1
    assert syncs() == ["created"]


def test_nobody_is_queued_without_a_link_or_with_the_switch_off(
    synced,
    meeting,  # noqa: F811
    organiser,
):
    workim_services.set_im_preference(actor=person("lisi"), receive=True, todos=False)
    minutes.create_action(meeting, actor=organiser, title="甲", owner=person("lisi"))
    minutes.create_action(meeting, actor=organiser, title="乙", owner=organiser)
    assert not OutboxMessage.objects.filter(event=EVENT).exists()


def test_nothing_is_queued_while_dingtalk_is_not_configured(
    meeting,  # noqa: F811
    organiser,
    make_user,
):
    owner = make_user("zhaoliu")
    ExternalIdentity.objects.create(user=owner, provider="dingtalk", external_id="zhaoliu")
    minutes.create_action(meeting, actor=organiser, title="甲", owner=owner)
    assert not OutboxMessage.objects.filter(event=EVENT).exists()


def test_without_a_synced_unionid_it_is_asked_of_dingtalk_and_a_refusal_is_logged(
    dingtalk,
    meeting,  # noqa: F811
    organiser,
    make_user,
):
    """Linked by hand (no record from a sync): the unionId comes from `topapi/v2/user/get`;
    DingTalk's refusal there (HTTP 200, errcode) is the log's code and is not retried."""
    first, second = make_user("zhaoliu"), make_user("sunqi")
    ExternalIdentity.objects.create(user=first, provider="dingtalk", external_id="zhaoliu")
    ExternalIdentity.objects.create(user=second, provider="dingtalk", external_id="sunqi")
    minutes.create_action(meeting, actor=organiser, title="甲", owner=first)
    drain()
    [task] = dingtalk.todo.live()
    assert task["executorIds"] == ["union-zhaoliu"]

    dingtalk.fail_next("topapi/v2/user/get", {"errcode": 60121, "errmsg": "找不到该用户"})
    minutes.create_action(meeting, actor=organiser, title="乙", owner=second)
    drain()
    assert syncs()[-1] == "60121"
    assert OutboxMessage.objects.filter(event=EVENT, status="dead").count() == 1
    assert len(dingtalk.todo.live()) == 1
