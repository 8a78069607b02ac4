"""Signing in with DingTalk in chromium: the login page's DingTalk button, DingTalk's sign-in
page (the stand-in's, where the person is picked as scanning the QR code would), and back to
MeetOps signed in as the person directory sync linked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from tests.servers import dingtalk_standin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def dingtalk(settings: Any, live_server: Any) -> Iterator[dingtalk_standin.StandIn]:
    from meetops.identity.providers import providers
    from meetops.identity.sync import start_sync

    cache.clear()
    with dingtalk_standin.running() as standin:
        standin.add_department(10, "党委办公室")
        standin.add_user("zhangsan", "张三", [10], mobile="13800000001")
        settings.SITE_URL = live_server.url
        settings.MEETOPS_DINGTALK_APP_KEY = dingtalk_standin.APP_KEY
        settings.MEETOPS_DINGTALK_APP_SECRET = dingtalk_standin.APP_SECRET
        settings.MEETOPS_DINGTALK_AGENT_ID = dingtalk_standin.AGENT_ID
        for name in ("OAPI", "API", "LOGIN"):
            setattr(settings, f"MEETOPS_DINGTALK_{name}_BASE", standin.url)
        run = start_sync(providers()["dingtalk"], actor=None)
        assert run.status == "succeeded", run.error
        yield standin
    cache.clear()


@pytest.mark.parametrize("width", [1366, 375])
def test_qr_sign_in_round_trip(open_page: Any, dingtalk: Any, width: int) -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - load every app's URLs outside the page timeout
    page = open_page(width=width)
    page.goto("/login/")
    page.click(".sso-providers a.sso-dingtalk")
    page.wait_for_url(dingtalk.url + "/oauth2/auth**")
    page.click("button[value=zhangsan]")
    page.wait_for_url("**/")
    assert page.locator(".userbox .who").text_content().strip() == "张三"
