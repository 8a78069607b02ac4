"""The Feishu platform's calls against the stand-in: tokens, paging, the failure shapes."""

from __future__ import annotations

import pytest

from meetops.notifications.senders import Permanent, Retry
from meetops.workim.feishu.platform import Feishu
from meetops.workim.platforms import PersonalMessage, get_platform

pytestmark = pytest.mark.django_db


def token_calls(feishu) -> int:
    return sum(c.path == "auth/v3/tenant_access_token/internal" for c in feishu.calls)


def test_departments_and_people_come_across_pages(feishu):
    api = get_platform("feishu").api()
    assert [d["name"] for d in api.departments()] == ["党政办公室", "教务处", "考试中心"]
    assert [u["user_id"] for u in api.people_in("od-teach")] == ["u-sec", "u-t1", "u-t2", "u-t3"]
    pages = [c for c in feishu.calls if c.path == "contact/v3/users/find_by_department"]
    assert [c.query.get("page_token", "") for c in pages] == ["", "2"]
    # One token for all of it, from the shared cache.
    assert token_calls(feishu) == 1


def test_an_expired_token_is_fetched_again_once(feishu):
    platform = get_platform("feishu")
    platform.token()
    feishu.expire_token_once()
    assert [d["name"] for d in platform.api().departments("od-teach")] == ["考试中心"]
    assert token_calls(feishu) == 2
    assert [c.code for c in feishu.calls][-3:] == [99991663, 0, 0]


def test_throttling_and_refusals_carry_the_platforms_code(feishu):
    platform = get_platform("feishu")
    message = PersonalMessage(title="会议通知", text="党委会", dedupe_key="k1")
    feishu.throttle(1)
    with pytest.raises(Retry) as throttled:
        platform.send_personal(platform_user_id="u-t1", message=message)
    assert throttled.value.code == "99991400"
    with pytest.raises(Permanent) as refused:
        platform.send_personal(platform_user_id="nobody", message=message)
    assert refused.value.code == "230013"


def test_a_message_is_sent_once_per_dedupe_key_as_rich_text_with_the_link(feishu):
    platform = get_platform("feishu")
    message = PersonalMessage(
        title="会议通知", text="党委会 3月5日", url="https://m.example/x", dedupe_key="k2"
    )
    first = platform.send_personal(platform_user_id="u-t1", message=message)
    again = platform.send_personal(platform_user_id="u-t1", message=message)
    assert first == again
    [sent] = feishu.messages
    assert sent["receive_id"] == "u-t1" and sent["msg_type"] == "post"
    assert sent["content"]["zh_cn"]["content"][-1][0]["href"] == "https://m.example/x"


def test_lark_is_the_same_api_on_another_host(settings):
    settings.MEETOPS_FEISHU_API_BASE = "https://open.larksuite.com"
    assert (
        Feishu().api().url("im/v1/messages")
        == "https://open.larksuite.com/open-apis/im/v1/messages"
    )
