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


# Stands in for the DingTalk container, before any of the page's scripts: a `dd` that answers
# getAuthCode as the client does. Not writable, so the page's own JSAPI leaves it in place.
FAKE_DD = """Object.defineProperty(window, "dd", {writable: false, configurable: false, value: {
  env: {platform: "android"},
  getAuthCode: function (options) {
    sessionStorage.setItem("ddAsked", JSON.stringify(options));
    return %s;
  }
}});"""


def _errors(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return problems


@pytest.mark.parametrize("corp_id_from", ["setting", "link"])
def test_in_app_silent_sign_in_with_the_jsapi(
    open_page: Any, dingtalk: Any, settings: Any, corp_id_from: str
) -> None:
    """Inside DingTalk the workbench page (or a message's link to it) asks the container for
    an authCode and lands on `next` signed in, with no click and no DingTalk page in between.
    The corp id comes from the setting, or from the link, where the client put it in place of
    `$CORPID$`."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - load every app's URLs outside the page timeout
    address = "/im/dingtalk/app/?next=/meetings/"
    if corp_id_from == "setting":
        settings.MEETOPS_DINGTALK_CORP_ID = dingtalk_standin.CORP_ID
    else:
        address += f"&corpid={dingtalk_standin.CORP_ID}"
    code = dingtalk.issue_jsapi_code("zhangsan")
    page = open_page(width=375)
    problems = _errors(page)
    page.add_init_script(FAKE_DD % f'Promise.resolve({{authCode: "{code}"}})')
    page.goto(address)
    page.wait_for_url("**/meetings/")
    assert page.locator(".userbox .who").text_content().strip() == "张三"
    assert page.evaluate("JSON.parse(sessionStorage.getItem('ddAsked'))") == {
        "corpId": dingtalk_standin.CORP_ID
    }
    assert "oauth2/auth" not in " ".join(dingtalk.calls)
    assert problems == []


@pytest.mark.parametrize("container", ["none", "refuses", "no_corp_id"])
def test_without_the_container_the_page_offers_the_usual_sign_in(
    open_page: Any, dingtalk: Any, container: str
) -> None:
    """In a plain browser (the JSAPI says "not in DingTalk"), when the container refuses, or
    with no corp id to ask for (a message's `$CORPID$` left unfilled outside the client, and
    none set), the page shows the button to DingTalk's sign-in page, which still ends on
    `next`."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - load every app's URLs outside the page timeout
    page = open_page()
    if container == "refuses":
        page.add_init_script(FAKE_DD % 'Promise.reject({errorCode: "3", errorMessage: "no"})')
    if container == "no_corp_id":
        code = dingtalk.issue_jsapi_code("zhangsan")
        page.add_init_script(FAKE_DD % f'Promise.resolve({{authCode: "{code}"}})')
    page.goto("/im/dingtalk/app/?next=/meetings/&corpid=$CORPID$")
    fallback = page.locator("#dingtalk-fallback-link")
    fallback.wait_for(state="visible")
    assert page.locator("#dingtalk-waiting").is_hidden()
    if container == "no_corp_id":
        assert page.evaluate("sessionStorage.getItem('ddAsked')") is None
    fallback.click()
    page.wait_for_url(dingtalk.url + "/oauth2/auth**")
    page.click("button[value=zhangsan]")
    page.wait_for_url("**/meetings/")
    assert page.locator(".userbox .who").text_content().strip() == "张三"
