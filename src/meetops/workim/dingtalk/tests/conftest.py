from __future__ import annotations

from collections.abc import Iterator

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
