from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from tests.servers import feishu_standin as standin
from tests.servers.feishu_standin import FeishuStandIn, department, person


def org() -> FeishuStandIn:
    """Two levels of departments and enough people to need several pages (page size 2)."""
    return FeishuStandIn(
        departments=[
            department("od-office", "党政办公室", order=1),
            department("od-teach", "教务处", order=2),
            department("od-exam", "考试中心", parent="od-teach", order=1),
        ],
        users=[
            person("u-leader", "王校长", "od-office", email="wang@example.edu.cn"),
            person("u-sec", "李秘书", "od-office", "od-teach", main="od-teach"),
            person("u-t1", "张老师", "od-teach"),
            person("u-t2", "陈老师", "od-teach"),
            person("u-t3", "刘老师", "od-teach", mobile="+8613800000001"),
            person("u-exam", "赵主任", "od-exam"),
        ],
        page_size_cap=2,
    )


@pytest.fixture
def feishu(settings) -> Iterator[FeishuStandIn]:
    server = org()
    settings.MEETOPS_FEISHU_API_BASE = server.base
    settings.MEETOPS_FEISHU_APP_ID = standin.APP_ID
    settings.MEETOPS_FEISHU_APP_SECRET = standin.APP_SECRET
    settings.MEETOPS_FEISHU_ENCRYPT_KEY = standin.ENCRYPT_KEY
    settings.MEETOPS_FEISHU_VERIFICATION_TOKEN = standin.VERIFICATION_TOKEN
    cache.clear()  # tokens of an earlier stand-in
    yield server
    server.close()
