"""The DingTalk client against the stand-in: real HTTP, DingTalk's shapes and failures."""

from __future__ import annotations

import pytest
from tests.servers.dingtalk_standin import AGENT_ID, APP_KEY, APP_SECRET, StandIn

from meetops.workim.dingtalk.client import Credentials, DingTalkClient, DingTalkError, Throttled


def client_for(standin: StandIn, secret: str = APP_SECRET) -> DingTalkClient:
    return DingTalkClient(
        Credentials(
            app_key=APP_KEY,
            app_secret=secret,
            agent_id=AGENT_ID,
            oapi_base=standin.url,
            api_base=standin.url,
            login_base=standin.url,
        )
    )


def test_the_token_is_fetched_once_and_shared_through_the_cache(standin: StandIn) -> None:
    client_for(standin).department(20)
    client_for(standin).department(21)
    assert standin.calls.count("gettoken") == 1


def test_an_expired_token_is_fetched_anew_and_the_call_goes_through(standin: StandIn) -> None:
    client = client_for(standin)
    client.department(20)
    standin.expire_token()
    assert client.department(21)["name"] == "预算科"
    assert standin.calls.count("gettoken") == 2


def test_a_wrong_secret_is_dingtalks_error_with_its_code(standin: StandIn) -> None:
    with pytest.raises(DingTalkError) as caught:
        client_for(standin, secret="wrong").department(20)
    assert caught.value.code == "40089"


def test_the_tree_is_walked_from_the_root_in_the_admins_order(standin: StandIn) -> None:
    tree = list(client_for(standin).departments())
    assert [(d["dept_id"], d["parent_id"], d["order"]) for d in tree] == [
        (20, 1, 0),
        (10, 1, 1),
        (21, 20, 0),
    ]


def test_people_are_paged_by_cursor(standin: StandIn) -> None:
    standin.page_cap = 2
    people = list(client_for(standin).users_in(21))
    assert [p["userid"] for p in people] == ["sunqi", "wangwu", "zhangsan", "zhaoliu"]
    assert standin.calls.count("topapi/v2/user/list") == 2


def test_throttling_is_its_own_error_with_a_wait(standin: StandIn) -> None:
    standin.throttle("topapi/v2/department/get")
    with pytest.raises(Throttled) as caught:
        client_for(standin).department(20)
    assert caught.value.code == "90018"
    assert caught.value.retry_after
    assert client_for(standin).department(20)["name"] == "财务处"


def test_qr_login_code_leads_to_the_userid_once(standin: StandIn) -> None:
    client = client_for(standin)
    code = standin.issue_oauth_code("lisi")
    assert client.userid_from_oauth_code(code) == "lisi"
    with pytest.raises(DingTalkError):
        client.userid_from_oauth_code(code)


def test_in_app_auth_code_leads_to_the_userid_once(standin: StandIn) -> None:
    client = client_for(standin)
    code = standin.issue_jsapi_code("wangwu")
    assert client.userid_from_jsapi_code(code) == "wangwu"
    with pytest.raises(DingTalkError) as caught:
        client.userid_from_jsapi_code(code)
    assert caught.value.code == "40078"


def test_work_notice_returns_the_task_and_its_result(standin: StandIn) -> None:
    client = client_for(standin)
    msg = {"msgtype": "text", "text": {"content": "会议通知"}}
    task = client.send_work_notice(["zhangsan"], msg)
    assert [(s.userid, s.task_id) for s in standin.delivered()] == [("zhangsan", task)]
    assert client.send_result(task)["unread_user_id_list"] == ["zhangsan"]


def test_no_permission_is_reported_not_taken_for_an_expired_token(standin: StandIn) -> None:
    standin.fail_next(
        "topapi/v2/department/get",
        {
            "errcode": 88,
            "errmsg": "ding talk error",
            "sub_code": "60011",
            "sub_msg": "没有调用该接口的权限",
        },
    )
    with pytest.raises(DingTalkError) as caught:
        client_for(standin).department(20)
    assert (caught.value.code, caught.value.no_permission) == ("88", True)
    assert standin.calls.count("gettoken") == 1
