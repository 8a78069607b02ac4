"""Signing in with DingTalk through /im/dingtalk/login/ and /im/dingtalk/auth/ (the browser
round trip is in tests/browser/test_dingtalk_signin.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from tests.servers.dingtalk_standin import APP_KEY, StandIn

pytestmark = pytest.mark.django_db


def start(client: Any, **headers: str) -> dict[str, str]:
    response = client.get("/im/dingtalk/login/", {"next": "/meetings/"}, headers=headers)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    return {k: v[0] for k, v in query.items()}


def test_in_a_browser_the_qr_page_asks_for_consent_inside_dingtalk_it_does_not(
    dingtalk: StandIn, client: Any
) -> None:
    qr = start(client, user_agent="Mozilla/5.0 Chrome/120")
    assert (qr["client_id"], qr["response_type"], qr["prompt"]) == (APP_KEY, "code", "consent")
    assert qr["redirect_uri"].endswith("/im/dingtalk/auth/")
    in_app = start(client, user_agent="Mozilla/5.0 (iPhone) AliApp(DingTalk/7.0.40)")
    assert "prompt" not in in_app


def test_a_code_signs_the_linked_person_in_once(synced: StandIn, client: Any) -> None:
    state = start(client)["state"]
    code = synced.issue_oauth_code("lisi")
    landed = client.get("/im/dingtalk/auth/", {"code": code, "state": state})
    assert landed["Location"] == "/meetings/"
    assert client.get("/meetings/").wsgi_request.user.display_name == "李四"
    client.logout()
    # The same state (and code) again: refused.
    again = client.get("/im/dingtalk/auth/", {"code": code, "state": state})
    assert again["Location"].startswith("/login/")
    assert not client.get("/meetings/").wsgi_request.user.is_authenticated


def test_someone_not_synced_yet_is_told_to_ask_for_a_sync(synced: StandIn, client: Any) -> None:
    synced.add_user("newcomer", "新人", [10])
    state = start(client)["state"]
    code = synced.issue_oauth_code("newcomer")
    landed = client.get("/im/dingtalk/auth/", {"code": code, "state": state}, follow=True)
    assert not landed.wsgi_request.user.is_authenticated
    assert "im_not_linked" not in landed.content.decode()
    assert list(landed.context["messages"])
