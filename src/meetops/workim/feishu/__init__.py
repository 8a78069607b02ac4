"""Feishu / Lark 飞书 (reference §3): registered as a work IM platform and a directory provider."""

from meetops.identity.providers import register_provider_type
from meetops.workim.feishu.platform import Feishu
from meetops.workim.platforms import register_platform

register_platform(Feishu)
register_provider_type("feishu", "meetops.workim.feishu.directory.FeishuDirectory")
