"""WeCom calling MeetOps back (real HTTP to the live server): the URL check, address-book
change events applied within one callback, and forged, replayed or stale callbacks refused."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from tests.servers.wecom_standin import WeComStandIn, member

from meetops.identity.models import ExternalDepartment, ExternalIdentity
from meetops.people.models import User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def events_url(live_server: Any) -> str:
    return f"{live_server.url}/im/wecom/events/"


def test_url_check_answers_the_plain_echostr(wecom: WeComStandIn, events_url: str) -> None:
    assert wecom.url_check(events_url, echo="1616140317555161061") == (200, "1616140317555161061")


def test_person_added_moved_and_left_each_applied_within_one_callback(
    wecom: WeComStandIn, wecom_sync: Callable[[], Any], events_url: str
) -> None:
    wecom_sync()
    # Added: the callback says only who; MeetOps reads the person (user/get) and creates them.
    wecom.add(member("zhaoliu", "赵六", [4], mobile="13800000004"))
    status, _body = wecom.callback(
        events_url, wecom.change_contact("create_user", UserID="zhaoliu", Department="4")
    )
    assert status == 200
    zhaoliu = User.objects.get(external_identities__external_id="zhaoliu")
    software = ExternalDepartment.objects.get(provider="wecom", external_id="4").department
    assert zhaoliu.is_active and zhaoliu.department == software

    # Moved: into a department created in the same breath.
    wecom.departments.append({"id": 5, "name": "人工智能系", "parentid": 3, "order": 50})
    wecom.users["zhaoliu"]["department"] = [5]
    wecom.users["zhaoliu"]["main_department"] = 5
    wecom.callback(
        events_url, wecom.change_contact("update_user", UserID="zhaoliu", Department="5")
    )
    zhaoliu.refresh_from_db()
    assert zhaoliu.department is not None and zhaoliu.department.name == "人工智能系"

    # Left: deactivated, history kept.
    del wecom.users["zhaoliu"]
    wecom.callback(events_url, wecom.change_contact("delete_user", UserID="zhaoliu"))
    zhaoliu.refresh_from_db()
    assert not zhaoliu.is_active
    assert ExternalIdentity.objects.get(external_id="zhaoliu").left_at is not None


def test_department_renamed_and_deleted(
    wecom: WeComStandIn, wecom_sync: Callable[[], Any], events_url: str
) -> None:
    wecom_sync()
    wecom.departments[1]["name"] = "党委办公室（校长办公室）"
    wecom.callback(events_url, wecom.change_contact("update_party", Id="2", Name="x"))
    link = ExternalDepartment.objects.select_related("department").get(external_id="2")
    assert link.department.name == "党委办公室（校长办公室）"
    wecom.callback(events_url, wecom.change_contact("delete_party", Id="2"))
    link.refresh_from_db()
    assert link.gone_at is not None


def test_forged_replayed_stale_and_foreign_callbacks_are_refused(
    wecom: WeComStandIn, wecom_sync: Callable[[], Any], events_url: str
) -> None:
    wecom_sync()
    wecom.add(member("zhaoliu", "赵六", [4]))
    event = wecom.change_contact("create_user", UserID="zhaoliu")
    assert wecom.callback(events_url, event, signature="0" * 40)[0] == 403
    stale = int(time.time()) - 3600
    assert wecom.callback(events_url, event, timestamp=stale)[0] == 403
    assert wecom.callback(events_url, event, receive_id="ww-another-corp")[0] == 403
    assert not User.objects.filter(external_identities__external_id="zhaoliu").exists()

    assert wecom.callback(events_url, event)[0] == 200
    assert User.objects.filter(external_identities__external_id="zhaoliu").exists()
    # The same signed request again, byte for byte, inside the time window: refused.
    assert wecom.replay_last()[0] == 403
