"""WeCom 企业微信 (reference §1): registered as a work IM platform and a directory provider."""

from meetops.identity.providers import register_provider_type
from meetops.workim.platforms import register_platform
from meetops.workim.wecom.platform import WeCom

register_platform(WeCom)
register_provider_type("wecom", "meetops.workim.wecom.directory.WeComDirectory")
