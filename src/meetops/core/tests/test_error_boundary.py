"""The pages' error boundary: refusals, 403, 404 and 500 as styled pages and htmx fragments."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.utils import translation

pytestmark = [pytest.mark.django_db, pytest.mark.urls("meetops.core.tests.boundary_urls")]

FROZEN = {
    "en": "A closed or cancelled meeting cannot be changed.",
    "zh-hans": "已归档或已取消的会议不能修改。",
    "zh-hant": "已歸檔或已取消的會議不能修改。",
}
NOT_FOUND = {
    "en": "This page does not exist, or you may not see it.",
    "zh-hans": "此页面不存在，或您无权查看。",
    "zh-hant": "此頁面不存在，或您無權查看。",
}
FORBIDDEN = {
    "en": "You do not have permission to do this.",
    "zh-hans": "您没有执行此操作的权限。",
    "zh-hant": "您沒有執行此操作的權限。",
}
HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(client: Client, member: Any, language: str) -> Client:
    member.language = language
    member.save(update_fields=["language"])
    client.force_login(member)
    return client


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_a_refusal_is_a_styled_page_in_the_readers_language(client, member, language):
    response = _client(client, member, language).get("/boundary/refuse/")

    body = response.content.decode()
    assert response.status_code == 409
    assert f'<html lang="{language}"' in body
    assert 'class="topbar"' in body  # the app's own page, with its menu
    assert f'data-code="meeting_frozen">{FROZEN[language]}</div>' in body


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_a_refusal_to_htmx_is_a_flash_fragment_aimed_at_the_flash_area(client, member, language):
    response = _client(client, member, language).post("/boundary/refuse/", **HTMX)

    body = response.content.decode()
    assert response.status_code == 409
    assert "<html" not in body
    assert 'class="flash error" role="alert" data-code="meeting_frozen"' in body
    assert FROZEN[language] in body
    assert response["HX-Retarget"] == "#main"
    assert response["HX-Reswap"] == "afterbegin"
    assert response["MeetOps-Error"] == "meeting_frozen"


def test_an_error_about_rows_lists_each_row(client, member):
    client = _client(client, member, "zh-hans")

    page = client.post("/boundary/rows/")
    fragment = client.post("/boundary/rows/", **HTMX)

    assert page.status_code == fragment.status_code == 422
    assert "<li>第 2 行：缺少姓名</li>" in page.content.decode()
    assert "<li>第 2 行：缺少姓名</li>" in fragment.content.decode()


def test_a_boosted_page_load_gets_the_whole_page(client, member):
    response = _client(client, member, "en").get(
        "/boundary/refuse/", HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true"
    )

    assert response.status_code == 409
    assert "<html" in response.content.decode()
    assert "HX-Retarget" not in response


def test_a_refused_form_post_goes_back_to_its_page_with_the_message(client, member):
    client = _client(client, member, "zh-hans")

    response = client.post(
        "/boundary/refuse/", HTTP_REFERER="http://testserver/meetings/?page=2", follow=True
    )

    assert response.redirect_chain == [("http://testserver/meetings/?page=2", 303)]
    assert FROZEN["zh-hans"] in response.content.decode()


def test_a_refused_post_from_elsewhere_gets_the_error_page(client, member):
    response = _client(client, member, "en").post(
        "/boundary/refuse/", HTTP_REFERER="https://evil.example/form"
    )

    assert response.status_code == 409
    assert FROZEN["en"] in response.content.decode()
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_forbidden_is_styled_and_translated(client, member, language):
    response = _client(client, member, language).get("/boundary/forbid/")

    body = response.content.decode()
    assert response.status_code == 403
    assert "403 Forbidden" not in body
    assert "not for you" not in body  # a developer's text never reaches the reader
    assert 'class="topbar"' in body
    assert f'data-code="forbidden">{FORBIDDEN[language]}</div>' in body


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
@pytest.mark.parametrize("url", ["/boundary/missing/", "/no/such/page/"])
def test_not_found_is_styled_and_translated(client, member, language, url):
    response = _client(client, member, language).get(url)

    body = response.content.decode()
    assert response.status_code == 404
    assert 'class="topbar"' in body
    assert f'data-code="not_found">{NOT_FOUND[language]}</div>' in body


def test_not_found_to_htmx_is_a_fragment(client, member):
    response = _client(client, member, "zh-hant").get("/boundary/missing/", **HTMX)

    assert response.status_code == 404
    assert response.content.decode().strip() == (
        f'<div class="flash error" role="alert" data-code="not_found" data-boundary>'
        f"{NOT_FOUND['zh-hant']}</div>"
    )


def test_a_meeting_hidden_from_the_reader_is_the_styled_404(client, outsider, make_meeting):
    meeting = make_meeting(confidentiality="confidential")

    response = _client(client, outsider, "zh-hans").get(f"/meetings/{meeting.pk}/")

    assert response.status_code == 404
    assert NOT_FOUND["zh-hans"] in response.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_the_500_page_renders_without_the_database(language, monkeypatch):
    def no_database(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the 500 page touched the database")

    monkeypatch.setattr(connections["default"], "cursor", no_database)
    client = Client(raise_request_exception=False)

    response = client.get("/boundary/crash/", HTTP_ACCEPT_LANGUAGE=language)

    body = response.content.decode()
    assert response.status_code == 500
    with translation.override(language):
        assert translation.gettext("Something went wrong") in body
    assert f'<html lang="{language}"' in body
    assert 'data-code="server_error"' in body


def test_the_api_keeps_its_json_error_shape(client, member, make_meeting):
    meeting = make_meeting(confidentiality="confidential")
    client.force_login(member)

    response = client.get(f"/api/v1/meetings/{meeting.pk}", HTTP_HX_REQUEST="true")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"
    assert "HX-Retarget" not in response


# --- refused forms keep their input (core.refill): anonymous visitors, no Referer -------------

PUBLIC = "/boundary/public/"


def _public_form(page: str) -> str:
    return page.split('action="/boundary/public/send/"', 1)[1].split("</form>", 1)[0]


def test_an_anonymous_visitors_refused_form_comes_back_filled_once(client):
    sent = client.post(
        f"{PUBLIC}send/",
        {"name": "访客", "note": "想<旁听>", "password": "s3cret"},
        HTTP_REFERER=f"http://testserver{PUBLIC}",
    )
    assert sent.status_code == 303 and sent["Location"] == f"http://testserver{PUBLIC}"
    form = _public_form(client.get(PUBLIC).content.decode())
    assert 'value="访客"' in form and "想&lt;旁听&gt;</textarea>" in form
    assert "s3cret" not in form  # never a password
    assert "访客" not in _public_form(client.get(PUBLIC).content.decode())


def test_input_kept_for_an_anonymous_visitor_is_not_shown_to_who_signs_in_after(client, member):
    client.post(f"{PUBLIC}send/", {"name": "访客"}, HTTP_REFERER=f"http://testserver{PUBLIC}")
    client.force_login(member)  # the same browser, now someone's account
    assert "访客" not in _public_form(client.get(PUBLIC).content.decode())


def test_without_a_referer_the_form_says_its_page(client):
    page = client.get(f"{PUBLIC}?lang=1").content.decode()
    assert '<input type="hidden" name="meetops_back" value="/boundary/public/?lang=1">' in page
    sent = client.post(f"{PUBLIC}send/", {"name": "访客", "meetops_back": f"{PUBLIC}?lang=1"})
    assert sent.status_code == 303 and sent["Location"] == f"{PUBLIC}?lang=1"
    form = _public_form(client.get(f"{PUBLIC}?lang=1").content.decode())
    assert 'value="访客"' in form and 'value="/boundary/public/?lang=1"' in form


@pytest.mark.parametrize("back", ["https://evil.example/form", "//evil.example/form", ""])
def test_a_form_naming_another_site_gets_the_error_page(client, back):
    sent = client.post(f"{PUBLIC}send/", {"name": "访客", "meetops_back": back})
    assert sent.status_code == 422
    assert "evil.example" not in sent.content.decode()
