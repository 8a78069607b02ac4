"""What identity adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
identity providers (LDAP/AD and the sign-in plug-ins), links between people and their outside
accounts, directory sync with its page, job and command.
The hubs read it from the core registry; nothing outside identity names it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.registry import MenuEntry, TemplateSlot, UrlInclude, has_role, registry
from meetops.identity import audit_labels, jobs  # noqa: F401 - for what they register
from meetops.identity.providers import register_provider_type

# One line per provider type; each is switched on by its own settings (Provider.from_settings).
register_provider_type("ldap", "meetops.identity.ldap.LdapProvider")
register_provider_type("cas", "meetops.identity.cas.CasProvider")
register_provider_type("oidc", "meetops.identity.oidc.OidcProvider")
register_provider_type("saml", "meetops.identity.saml.SamlProvider")

registry["urls"].register("identity", UrlInclude("identity/", "meetops.identity.urls", order=15))
registry["menu"].register(
    "identity",
    MenuEntry(
        _("Directory"),
        "identity_sync_list",
        order=125,
        area="identity",
        visible=has_role("admin"),
        pages=("identity_",),
    ),
)
# Single sign-on callbacks (CAS, OIDC, SAML): addresses registered at the providers.
registry["urls"].register("sso", UrlInclude("sso/", "meetops.identity.sso_urls", order=16))

# The login page and the settings page (people's) offer slots; identity fills them.
registry["page_slots"].register(
    "identity.login_providers",
    TemplateSlot("identity/_login_providers.html", order=10, slot="login.providers"),
)
registry["page_slots"].register(
    "identity.my_accounts",
    TemplateSlot("identity/_my_accounts.html", order=10, slot="settings.accounts"),
)
# Signing out also ends the single sign-on provider's session: this "logout/" comes before
# people's plain one (lower order), under the same URL name.
registry["urls"].register(
    "identity_logout", UrlInclude("", "meetops.identity.logout_urls", order=5)
)
