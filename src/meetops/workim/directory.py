"""The identity provider every platform registers for directory sync and the login button.

    register_provider_type("wecom", "meetops.workim.wecom.directory.WeComDirectory")

A subclass names its platform and implements `list_departments` / `list_people` (and
`map_attributes`); `meetops directory sync wecom` then runs identity's engine over it. Being a
login-redirect provider, it also puts the platform's button on the login page (identity's
`login.providers` slot), leading to `/im/<platform>/login/`.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from meetops.identity.providers import Kind, Provider
from meetops.workim.platforms import Platform, get_platform


class ImDirectory(Provider):
    kind = Kind.LOGIN_REDIRECT
    platform_key: ClassVar[str] = ""

    @classmethod
    def from_settings(cls, key: str) -> ImDirectory | None:
        platform = get_platform(cls.platform_key)
        if not platform.configured():
            return None
        return cls(key, label=platform.label)

    @property
    def platform(self) -> Any:
        return get_platform(self.platform_key)

    def login_url(self, request: HttpRequest, *, next_url: str = "") -> str:
        url = reverse("workim_login", args=[self.platform_key])
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def platform_of(provider: Provider) -> Platform | None:
    """The platform behind an identity provider, if it is one of ours."""
    return provider.platform if isinstance(provider, ImDirectory) else None
