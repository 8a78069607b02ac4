"""An action item reaches its owner's Feishu tasks (task v2) through the outbox and follows the
item; a create is deduplicated by its client_token; throttling is retried without a second task
(the stand-in's task API over HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from meetops.followup import services as followup
from meetops.identity.models import ExternalIdentity
from meetops.minutes import services as minutes
from meetops.minutes.tests.conftest import agenda_ids, host, meeting, recorder  # noqa: F401
from meetops.notifications.models import DeliveryAttempt, OutboxMessage
from meetops.notifications.worker import Worker
from meetops.workim.models import ImTodo
from meetops.workim.todos import EVENT

pytestmark = pytest.mark.django_db


def drain() -> None:
    for _ in range(6):
        if not Worker().run_once().handled:
            return


def syncs() -> list[str]:
    return list(
        DeliveryAttempt.objects.filter(message__event=EVENT)
        .order_by("id")
        .values_list("response_code", flat=True)
    )


def due_ms(day: Any) -> str:
    return str(int(datetime.combine(day, datetime.min.time(), tzinfo=UTC).timestamp() * 1000))


@pytest.fixture
def teachers(feishu: Any, make_user: Any) -> dict[str, Any]:
    people = {}
    for user_id, username in (("u-t1", "zhang"), ("u-t2", "chen")):
        people[user_id] = make_user(username)
        ExternalIdentity.objects.create(
            user=people[user_id], provider="feishu", external_id=user_id
        )
    return people


@pytest.fixture
def item(teachers: Any, meeting: Any, organiser: Any) -> Any:  # noqa: F811
    return minutes.create_action(
        meeting,
        actor=organiser,
        title="整理期末考务安排",
        owner=teachers["u-t1"],
        due_date=timezone.localdate() + timedelta(days=7),
    )


def test_an_item_follows_its_owner_as_one_feishu_task(item, feishu, teachers, organiser):
    drain()
    [task] = feishu.tasks.live()
    assert task["summary"] == "整理期末考务安排"
    assert task["members"] == [{"id": "u-t1", "type": "user", "role": "assignee"}]
    assert task["due"] == {"timestamp": due_ms(item.due_date), "is_all_day": True}
    assert "/im/feishu/login/" in task["description"]
    assert task["completed_at"] == "0"

    later = item.due_date + timedelta(days=3)
    followup.change_due_date(item, actor=organiser, due_date=later, reason="考场调整")
    drain()
    minutes.update_action(item, actor=teachers["u-t1"], state="done", completion_note="已发布")
    drain()
    [task] = feishu.tasks.live()
    assert task["due"]["timestamp"] == due_ms(later)
    assert task["completed_at"] != "0"

    # Sent back on review: the task is open again.
    followup.return_action(item, actor=organiser, reason="缺监考名单")
    drain()
    [task] = feishu.tasks.live()
    assert task["completed_at"] == "0"
    assert syncs() == ["created", "updated", "completed", "reopened"]


def test_given_to_someone_else_the_task_moves(item, feishu, teachers, organiser):
    drain()
    followup.assign_action(item, actor=organiser, owner=teachers["u-t2"])
    drain()
    [task] = feishu.tasks.live()
    assert task["members"][0]["id"] == "u-t2"
    assert feishu.tasks.live("u-t1") == []
    assert ImTodo.objects.get().user == teachers["u-t2"]


def test_throttling_and_an_expired_token_leave_one_task(teachers, feishu, meeting, organiser):  # noqa: F811
    feishu.expire_token_once()
    minutes.create_action(meeting, actor=organiser, title="核对成绩", owner=teachers["u-t1"])
    drain()
    assert len(feishu.tasks.live()) == 1
    action = ImTodo.objects.get().action

    feishu.throttle(1)
    minutes.update_action(action, actor=organiser, title="核对并录入成绩")
    drain()
    assert OutboxMessage.objects.filter(event=EVENT, status="failed").exists()
    assert syncs()[-1] == "99991400"
    OutboxMessage.objects.filter(event=EVENT, status="failed").update(
        next_attempt_at=timezone.now()
    )
    drain()
    [task] = feishu.tasks.live()
    assert task["summary"] == "核对并录入成绩"
    assert len(feishu.tasks.tasks) == 1


def test_a_create_sent_twice_makes_one_task(item, feishu, organiser):
    """The create carries a client_token: a create repeated after a lost answer (the row
    forgot its task id) finds the task already made."""
    drain()
    ImTodo.objects.update(task_id="", title="")
    minutes.update_action(item, actor=organiser, title="整理考务安排")
    drain()
    assert len(feishu.tasks.tasks) == 1


def test_a_person_switches_their_todos_off_on_my_settings(client, teachers, meeting, organiser):  # noqa: F811
    from django.urls import reverse

    from meetops.workim.models import ImPreference

    teacher = teachers["u-t1"]
    client.force_login(teacher)
    page = client.get(reverse("my_settings"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "把我的行动事项放进飞书 / Lark待办" in page
    client.post("/im/preference/", {"back": "/", "receive": "1", "todos_offered": "1"})
    pref = ImPreference.objects.get(user=teacher)
    assert (pref.receive, pref.todos) == (True, False)
    minutes.create_action(meeting, actor=organiser, title="监考", owner=teacher)
    assert not OutboxMessage.objects.filter(event=EVENT).exists()
