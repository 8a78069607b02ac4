"""DingTalk 钉钉 (reference §2): registered as a work IM platform and a directory provider."""

from meetops.identity.providers import register_provider_type
from meetops.workim.dingtalk.platform import DingTalk
from meetops.workim.platforms import register_platform

register_platform(DingTalk)
register_provider_type("dingtalk", "meetops.workim.dingtalk.directory.DingTalkDirectory")
