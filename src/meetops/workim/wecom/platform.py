"""WeCom 企业微信: token, application messages, web sign-in, callbacks (reference §1)."""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from meetops.workim.http import PlatformApi
from meetops.workim.platforms import Field, Platform

API_BASE = "https://qyapi.weixin.qq.com/cgi-bin/"
# The 通讯录同步 assistant's own token (some directory calls accept only it).
CONTACT = "contact"


class WeCom(Platform):
    key: ClassVar[str] = "wecom"
    label = _("WeCom")
    fields = (
        Field("corp_id", "MEETOPS_WECOM_CORP_ID", _("Corp ID (企业ID)")),
        Field("agent_id", "MEETOPS_WECOM_AGENT_ID", _("Application AgentId")),
        Field("secret", "MEETOPS_WECOM_SECRET", _("Application secret"), secret=True),
        Field(
            "contact_secret",
            "MEETOPS_WECOM_CONTACT_SECRET",
            _("Address book sync secret (通讯录同步)"),
            secret=True,
            required=False,
            help=_(
                "Needed to list every member with user/list_id; without it the app's visible range is read."
            ),
        ),
        Field("token", "MEETOPS_WECOM_TOKEN", _("Callback Token"), secret=True, required=False),
        Field(
            "aes_key",
            "MEETOPS_WECOM_AES_KEY",
            _("Callback EncodingAESKey"),
            secret=True,
            required=False,
        ),
        Field("api_base", "MEETOPS_WECOM_API_BASE", _("API address"), default=API_BASE),
    )
    app_id_field = "corp_id"
    secret_field = "secret"  # noqa: S105 - the name of a setting, not a secret
    supports_cards = True
    invalid_token_codes = frozenset({40014, 42001})
    throttle_codes = frozenset({45009, 45033})
    directory_provider = "wecom"

    def credentials(self, which: str = "") -> tuple[str, str]:
        if which == CONTACT:
            return self.value("corp_id"), self.value("contact_secret") or self.value("secret")
        return super().credentials(which)

    def api(self, which: str = "") -> PlatformApi:
        return PlatformApi(self, base=self.value("api_base"), which=which)

    def fetch_token(self, which: str = "") -> tuple[str, int]:
        corp_id, secret = self.credentials(which)
        answer = self.api(which).call(
            "GET", "gettoken", params={"corpid": corp_id, "corpsecret": secret}, auth=False
        )
        return str(answer["access_token"]), int(answer.get("expires_in") or 7200)
