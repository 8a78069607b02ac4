from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from meetops.workim.platforms import get_platform, platforms


def test_wecom_is_registered_and_configured_from_the_environment(db: None) -> None:
    assert "wecom" in platforms()
    wecom = get_platform("wecom")
    assert not wecom.configured()
    with override_settings(
        MEETOPS_WECOM_CORP_ID="ww1", MEETOPS_WECOM_AGENT_ID="1000002", MEETOPS_WECOM_SECRET="s"
    ):
        assert wecom.configured()
        assert wecom.value("api_base") == "https://qyapi.weixin.qq.com/cgi-bin/"
    assert reverse("workim_login", args=["wecom"]) == "/im/wecom/login/"


@pytest.mark.django_db
def test_unconfigured_platform_endpoints_are_404(client: object) -> None:
    response = client.get("/im/wecom/login/")  # type: ignore[attr-defined]
    assert response.status_code == 404
