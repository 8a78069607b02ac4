"""The Open API client against the stand-in: tokens, paging, the failure shapes."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from tests.servers import feishu_standin as standin

from meetops.workim.feishu.client import FeishuClient, FeishuError, Throttled


@pytest.fixture
def client(feishu) -> FeishuClient:
    cache.clear()
    return FeishuClient(base=feishu.base, app_id=standin.APP_ID, app_secret=standin.APP_SECRET)


def token_calls(feishu) -> int:
    return sum(c.path == "auth/v3/tenant_access_token/internal" for c in feishu.calls)


def test_departments_and_people_come_across_pages(client, feishu):
    names = [d["name"] for d in client.departments()]
    assert names == ["党政办公室", "教务处", "考试中心"]
    teachers = [u["user_id"] for u in client.people_in("od-teach")]
    assert teachers == ["u-sec", "u-t1", "u-t2", "u-t3"]
    pages = [c for c in feishu.calls if c.path == "contact/v3/users/find_by_department"]
    assert [c.query.get("page_token", "") for c in pages] == ["", "2"]
    # One token for all of it, from the shared cache.
    assert token_calls(feishu) == 1


def test_an_expired_token_is_fetched_again_once(client, feishu):
    client.token()
    feishu.expire_token_once()
    assert [d["name"] for d in client.departments("od-teach")] == ["考试中心"]
    assert token_calls(feishu) == 2
    assert [c.code for c in feishu.calls][-3:] == [99991663, 0, 0]


def test_throttling_and_refusals_carry_the_platforms_code(client, feishu):
    feishu.throttle(1)
    with pytest.raises(Throttled) as throttled:
        client.send(user_id="u-t1", msg_type="text", content={"text": "hi"}, uuid="x1")
    assert throttled.value.code == "99991400"
    with pytest.raises(FeishuError) as refused:
        client.send(user_id="nobody", msg_type="text", content={"text": "hi"}, uuid="x2")
    assert refused.value.code == "230013"


def test_a_message_is_sent_once_per_uuid(client, feishu):
    first = client.send(user_id="u-t1", msg_type="text", content={"text": "hi"}, uuid="m-1")
    again = client.send(user_id="u-t1", msg_type="text", content={"text": "hi"}, uuid="m-1")
    assert first == again
    assert [m["receive_id"] for m in feishu.messages] == ["u-t1"]
