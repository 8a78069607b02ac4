"""Signing in with WeCom in chromium: the login page's button, the stand-in's QR page (it
"scans" at once and sends the browser back with a code), and MeetOps signed in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def wecom(settings: Any, live_server: Any) -> Iterator[Any]:
    from django.core.cache import cache
    from tests.servers.wecom_standin import WeComStandIn, member

    from meetops.identity.providers import providers, reset_providers
    from meetops.identity.sync import start_sync

    stand_in = WeComStandIn()
    stand_in.add(member("zhangsan", "张三", [2, 3], main=3, email="zs@example.edu.cn"))
    with stand_in:
        cache.clear()
        for name, value in stand_in.env().items():
            setattr(settings, name, value)
        # The address WeCom sends the browser back to is built from SITE_URL.
        settings.SITE_URL = live_server.url
        reset_providers()
        start_sync(providers()["wecom"], actor=None)
        yield stand_in
    cache.clear()


@pytest.mark.parametrize("width", [1366, 375])
def test_sign_in_with_the_wecom_qr_code(open_page: Any, wecom: Any, width: int) -> None:
    wecom.login_as = "zhangsan"
    page = open_page(width=width)
    page.goto("/login/?next=/me/")
    button = page.locator(".sso-providers a.sso-wecom")
    assert button.text_content().strip() == "企业微信"
    button.click()
    page.wait_for_url("**/me/")
    assert page.locator(".userbox .who").text_content().strip() == "张三"
    assert "计算机学院" in page.locator("main").inner_text()
    [qr] = wecom.calls("wwlogin/sso/login")
    assert qr.query["login_type"] == "CorpApp" and qr.query["agentid"] == "1000002"


def test_refusing_on_the_qr_page_leaves_the_person_signed_out(open_page: Any, wecom: Any) -> None:
    wecom.login_as = ""  # the person pressed "cancel" on the phone: only the state comes back
    page = open_page()
    page.goto("/login/")
    page.click(".sso-providers a.sso-wecom")
    page.wait_for_url("**/login/**")
    assert page.locator(".flash").count() >= 1
    assert page.locator(".userbox .who").count() == 0
