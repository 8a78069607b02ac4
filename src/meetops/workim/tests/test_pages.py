"""The admin page (settings from the environment or saved encrypted, the connection test),
the login button, a person's choice on My settings, and sign-in refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from tests.servers.wecom_standin import CORP_ID, SECRET, WeComStandIn

from meetops.core.models import AuditEntry
from meetops.workim import config
from meetops.workim.models import ImPreference, PlatformConfig
from meetops.workim.platforms import get_platform

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def test_only_admins_see_and_change_the_settings(client: Any, member: Any, admin_user: Any) -> None:
    client.force_login(member)
    assert client.get("/im/settings/").status_code == 403
    assert client.post("/im/settings/wecom/save/", {"corp_id": "x"}).status_code == 403
    assert not PlatformConfig.objects.exists()
    client.force_login(admin_user)
    page = client.get("/im/settings/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "MEETOPS_WECOM_CORP_ID" in text and "/im/wecom/events/" in text


def test_a_saved_secret_is_encrypted_never_shown_and_audited_without_it(
    client: Any, admin_user: Any
) -> None:
    client.force_login(admin_user)
    client.post(
        "/im/settings/wecom/save/",
        {"corp_id": "ww-saved", "agent_id": "1000002", "secret": "s3cret-value"},
    )
    row = PlatformConfig.objects.get(platform="wecom")
    assert row.values["corp_id"] == "ww-saved"
    assert "s3cret-value" not in str(row.values)
    wecom = get_platform("wecom")
    assert wecom.value("secret") == "s3cret-value" and wecom.configured()
    page = client.get("/im/settings/").content.decode()
    assert "s3cret-value" not in page and "ww-saved" in page
    entry = AuditEntry.objects.get(action="workim.config.saved")
    assert entry.data["changed"] == ["agent_id", "corp_id", "secret"]
    assert "s3cret-value" not in str(entry.data)
    # An empty box keeps the secret; "-" clears it.
    client.post("/im/settings/wecom/save/", {"corp_id": "ww-saved", "secret": ""})
    assert wecom.value("secret") == "s3cret-value"
    client.post("/im/settings/wecom/save/", {"secret": "-"})
    assert wecom.value("secret") == "" and not wecom.configured()


def test_the_environment_wins_and_cannot_be_overwritten(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    with override_settings(MEETOPS_WECOM_CORP_ID="ww-env"):
        client.post("/im/settings/wecom/save/", {"corp_id": "ww-typed"})
        assert config.value("wecom", "corp_id") == "ww-env"
        assert config.source("wecom", "corp_id").origin == "environment"
        assert "corp_id" not in PlatformConfig.objects.get(platform="wecom").values


def test_the_connection_test_fetches_a_token(
    client: Any, admin_user: Any, wecom: WeComStandIn
) -> None:
    client.force_login(admin_user)
    page = client.post("/im/settings/wecom/test/", follow=True).content.decode()
    assert "Connected" in page or "已连接" in page
    assert wecom.calls("cgi-bin/gettoken")[-1].query == {"corpid": CORP_ID, "corpsecret": SECRET}
    with override_settings(MEETOPS_WECOM_SECRET="wrong"):
        page = client.post("/im/settings/wecom/test/", follow=True).content.decode()
    assert "40001" in page
    assert [
        e.data["ok"]
        for e in AuditEntry.objects.filter(action="workim.config.tested").order_by("pk")
    ] == [
        True,
        False,
    ]


def test_the_login_page_offers_wecom_once_configured(client: Any, wecom: WeComStandIn) -> None:
    page = client.get("/login/?next=/meetings/").content.decode()
    assert 'href="/im/wecom/login/?next=%2Fmeetings%2F"' in page
    start = client.get("/im/wecom/login/?next=/meetings/")
    assert start["Location"].startswith(f"{wecom.url}wwlogin/sso/login?login_type=CorpApp")


def test_a_person_switches_work_im_off_on_my_settings(
    client: Any, member: Any, wecom: WeComStandIn
) -> None:
    from meetops.identity.models import ExternalIdentity

    ExternalIdentity.objects.create(user=member, provider="wecom", external_id="member1")
    client.force_login(member)
    page = client.get(reverse("my_settings")).content.decode()
    assert 'id="my-work-im"' in page
    client.post("/im/preference/", {"back": reverse("my_settings")})
    assert ImPreference.objects.get(user=member).receive is False


def test_an_unlinked_or_refused_sign_in_is_turned_away(client: Any, wecom: WeComStandIn) -> None:
    start = client.get("/im/wecom/login/?next=/meetings/")
    state = start["Location"].split("state=")[1].split("&")[0]
    code = wecom.issue_code("nobody-here")
    back = client.get(f"/im/wecom/auth/?code={code}&state={state}", follow=True)
    assert "not linked" in back.content.decode() or "尚未" in back.content.decode()
    assert "_auth_user_id" not in client.session
    failure = AuditEntry.objects.get(action="people.sign_in.failure")
    assert failure.data == {"username": "nobody-here", "provider": "wecom"}
    # A made-up state is refused before any code is spent.
    code = wecom.issue_code("zhangsan")
    client.get(f"/im/wecom/auth/?code={code}&state=forged")
    assert code in wecom.codes and "_auth_user_id" not in client.session


def test_every_platform_setting_is_in_the_settings_reference() -> None:
    from pathlib import Path

    from meetops.workim.platforms import platforms

    doc = Path(__file__).resolve().parents[4] / "docs" / "operations.md"
    reference = doc.read_text(encoding="utf-8").split("## Settings reference", 1)[1]
    names = {f.env for p in platforms().values() for f in p.fields}
    assert "MEETOPS_WECOM_CORP_ID" in names
    missing = sorted(n for n in names if f"`{n}`" not in reference)
    assert not missing, f"add to docs/operations.md, Settings reference: {missing}"


def test_the_dingtalk_home_page_address_carries_the_corp_id_placeholder_until_one_is_set(
    client: Any, admin_user: Any
) -> None:
    client.force_login(admin_user)
    with override_settings(SITE_URL="https://meet.example.org"):
        page = client.get("/im/settings/").content.decode()
        assert "https://meet.example.org/im/dingtalk/app/?corpid=$CORPID$" in page
        with override_settings(MEETOPS_DINGTALK_CORP_ID="ding-corp-1"):
            page = client.get("/im/settings/").content.decode()
    assert "<code>https://meet.example.org/im/dingtalk/app/</code>" in page
    assert "$CORPID$" not in page
