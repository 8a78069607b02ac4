"""Change events from Feishu, encrypted and signed by the stand-in and sent to MeetOps over
HTTP: each is applied within its own callback."""

from __future__ import annotations

import pytest
from tests.servers.feishu_standin import department, person

from meetops.identity.models import ExternalIdentity, Membership
from meetops.people.models import Department, User

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_people_added_moved_and_left_are_applied_at_once(feishu, meetops_cli, live_server):
    meetops_cli("directory", "sync", "feishu")
    url = f"{live_server.url}/im/feishu/events/"

    # A new department and a new person in it.
    feishu.departments.append(department("od-lab", "实验中心", parent="od-teach", order=3))
    newcomer = person("u-new", "孙老师", "od-lab")
    feishu.users.append(newcomer)
    status, answer = feishu.post(
        url, feishu.event("contact.user.created_v3", {"object": feishu._visible(newcomer)})
    )
    assert (status, answer) == (200, {"msg": "success"})
    sun = User.objects.get(username="u-new")
    assert sun.department == Department.objects.get(name="实验中心")
    assert sun.department.parent == Department.objects.get(name="教务处")

    # Moved: 张老师 from 教务处 to 考试中心.
    teacher = next(u for u in feishu.users if u["user_id"] == "u-t1")
    teacher.update(person("u-t1", "张老师", "od-exam"))
    feishu.post(url, feishu.event("contact.user.updated_v3", {"object": teacher, "old_object": {}}))
    zhang = User.objects.get(username="u-t1")
    assert zhang.department == Department.objects.get(name="考试中心")
    assert list(
        Membership.objects.filter(user=zhang).values_list("department__name", flat=True)
    ) == ["考试中心"]

    # Left.
    feishu.users.remove(teacher)
    feishu.post(url, feishu.event("contact.user.deleted_v3", {"object": {"user_id": "u-t1"}}))
    zhang.refresh_from_db()
    assert not zhang.is_active
    assert ExternalIdentity.objects.get(external_id="u-t1").left_at is not None


def test_a_forged_or_replayed_event_is_refused(feishu, meetops_cli, live_server):
    url = f"{live_server.url}/im/feishu/events/"
    newcomer = person("u-new", "孙老师", "od-office")
    feishu.users.append(newcomer)
    event = feishu.event("contact.user.created_v3", {"object": newcomer})
    assert feishu.post(url, event, encrypt_key="guessed")[0] == 403
    assert (
        feishu.post(url, feishu.event("contact.user.created_v3", {"object": newcomer}, token="x"))[
            0
        ]
        == 403
    )
    assert not User.objects.filter(username="u-new").exists()
    assert feishu.post(url, event)[0] == 200
    body, headers = feishu.last_request
    assert feishu.post_raw(url, body, headers)[0] == 403
