"""LDAP / Active Directory as an identity provider: bind-and-search sign-in and directory
listing over ldap3 (pure Python: no libldap headers to build). Filled in below the skeleton."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meetops.identity.providers import Kind, Provider


class LdapProvider(Provider):
    kind = Kind.PASSWORD
    default_label = _("Directory (LDAP)")

    @classmethod
    def from_settings(cls, key: str) -> Provider | None:
        if not getattr(settings, "MEETOPS_LDAP_URL", ""):
            return None
        return cls(key)
