"""DingTalk's encrypted change-event callbacks at /im/dingtalk/events/, as the stand-in sends
them: applied within the callback, answered with the encrypted "success"; forged, replayed,
stale or foreign ones refused."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from tests.servers.dingtalk_standin import CORP_ID, StandIn, standin_decrypt

from meetops.identity.models import ExternalDepartment, ExternalIdentity
from meetops.people.models import User

pytestmark = pytest.mark.django_db

URL = "/im/dingtalk/events/"


def post(client: Any, query: dict[str, str], body: bytes) -> Any:
    return client.post(f"{URL}?{urlencode(query)}", body, content_type="application/json")


def deliver(client: Any, standin: StandIn, event: dict[str, Any], **kwargs: Any) -> Any:
    return post(client, *standin.event_request(event, **kwargs))


def assert_success(response: Any) -> None:
    assert response.status_code == 200
    reply = response.json()
    assert set(reply) == {"msg_signature", "timeStamp", "nonce", "encrypt"}
    assert standin_decrypt(reply["encrypt"])[0] == "success"


def test_the_url_check_is_answered_with_the_encrypted_success(
    dingtalk: StandIn, client: Any
) -> None:
    assert_success(deliver(client, dingtalk, {"EventType": "check_url"}))


def test_a_person_added_moved_and_gone_is_applied_within_each_callback(
    synced: StandIn, client: Any
) -> None:
    synced.add_user("qianba", "钱八", [10], mobile="13800000008")
    event = {"EventType": "user_add_org", "TimeStamp": "1", "CorpId": CORP_ID}
    assert_success(deliver(client, synced, {**event, "UserId": ["qianba"]}))
    qianba = ExternalIdentity.objects.get(provider="dingtalk", external_id="qianba").user
    assert (qianba.display_name, qianba.department.name) == ("钱八", "党委办公室")

    # Moved to a new department created at the same time.
    synced.add_department(30, "审计处")
    synced.users["qianba"]["dept_id_list"] = [30]
    modify = {"EventType": "user_modify_org", "TimeStamp": "2", "UserId": ["qianba"]}
    assert_success(deliver(client, synced, modify))
    qianba.refresh_from_db()
    assert qianba.department.name == "审计处"

    del synced.users["qianba"]
    leave = {"EventType": "user_leave_org", "TimeStamp": "3", "UserId": ["qianba"]}
    assert_success(deliver(client, synced, leave))
    qianba.refresh_from_db()
    assert not qianba.is_active


def test_departments_created_renamed_and_removed(synced: StandIn, client: Any) -> None:
    synced.add_department(40, "宣传部")
    assert_success(deliver(client, synced, {"EventType": "org_dept_create", "DeptId": [40]}))
    link = ExternalDepartment.objects.get(provider="dingtalk", external_id="40")
    assert link.department.name == "宣传部"

    synced.departments[40]["name"] = "党委宣传部"
    assert_success(deliver(client, synced, {"EventType": "org_dept_modify", "DeptId": [40]}))
    link.department.refresh_from_db()
    assert link.department.name == "党委宣传部"

    del synced.departments[40]
    assert_success(deliver(client, synced, {"EventType": "org_dept_remove", "DeptId": [40]}))
    link.refresh_from_db()
    assert link.gone_at is not None


def test_a_forged_callback_is_refused_and_changes_nothing(synced: StandIn, client: Any) -> None:
    synced.add_user("qianba", "钱八", [10])
    query, body = synced.event_request(
        {"EventType": "user_add_org", "UserId": ["qianba"]}, token="not-the-token"
    )
    assert post(client, query, body).status_code == 403
    # The right signature over a different body.
    query, _body = synced.event_request({"EventType": "check_url"})
    _query, other = synced.event_request({"EventType": "user_add_org", "UserId": ["qianba"]})
    assert post(client, query, other).status_code == 403
    assert not ExternalIdentity.objects.filter(external_id="qianba").exists()


def test_a_replayed_callback_is_refused(synced: StandIn, client: Any) -> None:
    synced.add_user("qianba", "钱八", [10])
    query, body = synced.event_request({"EventType": "user_add_org", "UserId": ["qianba"]})
    assert_success(post(client, query, body))
    User.objects.filter(external_identities__external_id="qianba").update(display_name="改过")
    assert post(client, query, body).status_code == 403
    assert User.objects.get(external_identities__external_id="qianba").display_name == "改过"


def test_a_stale_callback_is_refused(synced: StandIn, client: Any) -> None:
    an_hour_ago = str(int((time.time() - 3600) * 1000))
    response = deliver(client, synced, {"EventType": "check_url"}, timestamp=an_hour_ago)
    assert response.status_code == 403


def test_a_callback_encrypted_for_another_organisation_is_refused(
    synced: StandIn, client: Any
) -> None:
    response = deliver(client, synced, {"EventType": "check_url"}, owner="dingothercorp")
    assert response.status_code == 403


def test_an_old_app_encrypting_for_the_corp_id_is_accepted(synced: StandIn, client: Any) -> None:
    assert_success(deliver(client, synced, {"EventType": "check_url"}, owner=CORP_ID))


def test_garbage_is_refused(synced: StandIn, client: Any) -> None:
    query, _body = synced.event_request({"EventType": "check_url"})
    assert post(client, query, b"not json").status_code == 403
    assert post(client, query, json.dumps({"encrypt": "!!"}).encode()).status_code == 403
