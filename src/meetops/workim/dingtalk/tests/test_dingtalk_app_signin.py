"""Signing in from inside the DingTalk client (免登): the workbench page posts the JSAPI's
authCode to /im/dingtalk/app/, which asks the stand-in's `topapi/v2/user/getuserinfo` who it
is (the browser round trip with a fake `dd` is in tests/browser/test_dingtalk_app.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.servers.dingtalk_standin import CORP_ID, StandIn, _err

from meetops.core.models import AuditEntry

pytestmark = pytest.mark.django_db
APP = "/im/dingtalk/app/"
GETUSERINFO = "topapi/v2/user/getuserinfo"


@pytest.fixture
def browser() -> Client:
    """A browser that reads Simplified Chinese and sends the CSRF token as the page does."""
    return Client(enforce_csrf_checks=True, headers={"accept-language": "zh-hans"})


def post_code(browser: Client, code: str, next_url: str = "/meetings/") -> Any:
    page = browser.get(APP, {"next": next_url})
    token = page.cookies["csrftoken"].value
    return browser.post(APP, {"code": code, "next": next_url, "csrfmiddlewaretoken": token})


def signed_in_as(browser: Client) -> str:
    user = browser.get("/meetings/").wsgi_request.user
    return str(user.display_name) if user.is_authenticated else ""


def test_the_page_loads_the_jsapi_and_offers_the_usual_sign_in_as_fallback(
    dingtalk: StandIn, browser: Client
) -> None:
    page = browser.get(APP, {"next": "/meetings/"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/vendor/dingtalk.js" in html and "/static/workim/dingtalk_app.js" in html
    assert f'data-corp-id="{CORP_ID}"' in html
    assert 'href="/im/dingtalk/login/?next=%2Fmeetings%2F"' in html
    assert "<script>" not in html  # the CSP allows no inline script


def test_a_good_code_signs_the_linked_person_in_and_goes_to_next(
    synced: StandIn, browser: Client
) -> None:
    landed = post_code(browser, synced.issue_jsapi_code("lisi"))
    assert (landed.status_code, landed["Location"]) == (302, "/meetings/")
    assert signed_in_as(browser) == "李四"
    entry = AuditEntry.objects.filter(action="people.sign_in.success").latest("pk")
    assert entry.data.get("provider") == "dingtalk"
    # Signed in already: the page goes straight on.
    assert browser.get(APP, {"next": "/meetings/"})["Location"] == "/meetings/"


def test_next_must_be_a_page_of_meetops(synced: StandIn, browser: Client) -> None:
    landed = post_code(browser, synced.issue_jsapi_code("lisi"), "https://evil.example/x")
    assert landed["Location"] == "/"


@pytest.mark.parametrize("how", ["unknown", "expired", "errcode"])
def test_a_code_dingtalk_does_not_confirm_is_refused_in_the_readers_language(
    synced: StandIn, browser: Client, how: str
) -> None:
    code = synced.issue_jsapi_code("lisi")
    if how == "unknown":
        code = "js-made-up"
    elif how == "expired":
        synced.expire_jsapi_codes()
    else:
        synced.fail_next(GETUSERINFO, _err(60011, "没有调用该接口的权限"))
    refused = post_code(browser, code)
    html = refused.content.decode()
    assert refused.status_code == 403
    assert "无法确认此次登录，请重试。" in html
    assert 'data-auto="0"' in html and 'href="/im/dingtalk/login/?next=%2Fmeetings%2F"' in html
    assert not signed_in_as(browser)
    entry = AuditEntry.objects.filter(action="people.sign_in.failure").latest("pk")
    assert entry.data.get("provider") == "dingtalk"


def test_someone_dingtalk_knows_but_nobody_linked_is_told_to_ask_for_a_sync(
    synced: StandIn, browser: Client
) -> None:
    synced.add_user("newcomer", "新人", [10])
    refused = post_code(browser, synced.issue_jsapi_code("newcomer"))
    assert refused.status_code == 403
    assert "尚未关联 MeetOps 账号" in refused.content.decode()
    assert not signed_in_as(browser)


def test_a_replayed_code_is_refused_without_asking_dingtalk_again(
    synced: StandIn, browser: Client
) -> None:
    code = synced.issue_jsapi_code("lisi")
    assert post_code(browser, code).status_code == 302
    browser.logout()
    asked = synced.calls.count(GETUSERINFO)
    again = post_code(browser, code)
    assert again.status_code == 403 and not signed_in_as(browser)
    assert synced.calls.count(GETUSERINFO) == asked


def test_an_expired_access_token_is_fetched_again(synced: StandIn, browser: Client) -> None:
    synced.expire_token()
    assert post_code(browser, synced.issue_jsapi_code("lisi")).status_code == 302
    assert signed_in_as(browser) == "李四"


def test_the_post_needs_the_csrf_token(synced: StandIn, browser: Client) -> None:
    refused = browser.post(APP, {"code": synced.issue_jsapi_code("lisi"), "next": "/"})
    assert refused.status_code == 403 and not signed_in_as(browser)


def test_the_corp_id_dingtalk_filled_into_the_link_is_used_when_none_is_set(
    dingtalk: StandIn, browser: Client, settings: Any
) -> None:
    settings.MEETOPS_DINGTALK_CORP_ID = ""
    page = browser.get(APP, {"next": "/meetings/", "corpid": "ding0123abc"}).content.decode()
    assert 'data-corp-id="ding0123abc"' in page


@pytest.mark.parametrize("corpid", ["$CORPID$", '"><script>x</script>', ""])
def test_no_corp_id_leaves_the_page_to_the_usual_sign_in(
    dingtalk: StandIn, browser: Client, settings: Any, corpid: str
) -> None:
    settings.MEETOPS_DINGTALK_CORP_ID = ""
    page = browser.get(APP, {"next": "/meetings/", "corpid": corpid}).content.decode()
    assert 'data-corp-id=""' in page
    assert 'href="/im/dingtalk/login/?next=%2Fmeetings%2F"' in page


def test_a_next_elsewhere_leads_home(dingtalk: StandIn, browser: Client) -> None:
    page = browser.get(APP, {"next": "https://evil.example/x", "corpid": CORP_ID})
    html = page.content.decode()
    assert 'name="next" value="/"' in html
    assert 'href="/im/dingtalk/login/?next=%2F"' in html
