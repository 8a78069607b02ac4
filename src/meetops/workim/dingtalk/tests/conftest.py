from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from tests.servers import dingtalk_standin
from tests.servers.dingtalk_standin import StandIn


@pytest.fixture
def standin() -> Iterator[StandIn]:
    """A DingTalk stand-in with a small organisation: two branches, a shared person."""
    cache.clear()
    with dingtalk_standin.running() as s:
        s.add_department(10, "党委办公室", order=2)
        s.add_department(20, "财务处", order=1)
        s.add_department(21, "预算科", parent_id=20)
        s.add_user(
            "zhangsan",
            "张三",
            [10, 21],
            mobile="13800000001",
            email="zs@example.cn",
            title="主任",
            leader_in=(10,),
        )
        s.add_user("lisi", "李四", [20], mobile="13800000002")
        s.add_user("wangwu", "王五", [21])
        s.add_user("zhaoliu", "赵六", [21], email="zl@example.cn")
        s.add_user("sunqi", "孙七", [21])
        yield s
    cache.clear()


@pytest.fixture
def dingtalk(standin: StandIn, settings: Any) -> StandIn:
    """MeetOps configured for the stand-in through its MEETOPS_DINGTALK_* settings."""
    settings.MEETOPS_DINGTALK_APP_KEY = dingtalk_standin.APP_KEY
    settings.MEETOPS_DINGTALK_APP_SECRET = dingtalk_standin.APP_SECRET
    settings.MEETOPS_DINGTALK_AGENT_ID = dingtalk_standin.AGENT_ID
    settings.MEETOPS_DINGTALK_CORP_ID = dingtalk_standin.CORP_ID
    settings.MEETOPS_DINGTALK_CALLBACK_TOKEN = dingtalk_standin.CALLBACK_TOKEN
    settings.MEETOPS_DINGTALK_CALLBACK_AES_KEY = dingtalk_standin.CALLBACK_AES_KEY
    settings.MEETOPS_DINGTALK_OAPI_BASE = standin.url
    settings.MEETOPS_DINGTALK_API_BASE = standin.url
    settings.MEETOPS_DINGTALK_LOGIN_BASE = standin.url
    return standin


@pytest.fixture
def synced(dingtalk: StandIn) -> StandIn:
    """The stand-in's organisation synced into MeetOps (people linked by their userid)."""
    from meetops.identity.providers import providers
    from meetops.identity.sync import start_sync

    run = start_sync(providers()["dingtalk"], actor=None)
    assert run.status == "succeeded", run.error
    return dingtalk
