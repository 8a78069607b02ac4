"""DingTalk 钉钉 (reference §2): registered as a work IM platform and a directory provider."""

from meetops.core.registry import UrlInclude, registry
from meetops.identity.providers import register_provider_type
from meetops.workim.dingtalk.platform import DingTalk
from meetops.workim.platforms import register_platform

register_platform(DingTalk)
register_provider_type("dingtalk", "meetops.workim.dingtalk.directory.DingTalkDirectory")
# Before workim's own `im/<platform>/…` addresses: the in-app sign-in page.
registry["urls"].register(
    "workim.dingtalk", UrlInclude("im/dingtalk/", "meetops.workim.dingtalk.urls", order=16)
)
