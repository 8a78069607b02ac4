"""Fixtures for the work IM tests: the WeCom stand-in on a loopback port, MeetOps pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from tests.servers.wecom_standin import WeComStandIn, member


@pytest.fixture
def wecom() -> Iterator[WeComStandIn]:
    """The stand-in with four departments and three members, two of them in two departments;
    MeetOps's WeCom settings point at it (environment-style settings)."""
    stand_in = WeComStandIn()
    stand_in.add(
        member(
            "zhangsan",
            "张三",
            [2, 3],
            main=3,
            mobile="13800000001",
            email="zs@example.edu.cn",
            position="主任",
        )
    )
    stand_in.add(member("lisi", "李四", [3], mobile="13800000002", email="ls@example.edu.cn"))
    stand_in.add(member("wangwu", "王五", [4, 2], main=4, mobile="13800000003"))
    with stand_in:
        cache.clear()  # no token or setting left over from another stand-in
        with override_settings(**stand_in.env()):
            yield stand_in
    cache.clear()


@pytest.fixture
def wecom_sync(wecom: WeComStandIn) -> Callable[[], Any]:
    """Run `directory sync wecom` (the engine, as the command does); returns the run."""
    from meetops.identity.providers import providers
    from meetops.identity.sync import start_sync

    def run() -> Any:
        return start_sync(providers()["wecom"], actor=None)

    return run
