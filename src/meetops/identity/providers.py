"""Identity providers: plug-ins behind one interface (issue 11, item 1).

A provider is where people prove who they are and, for some, where the organisation's
directory lives: LDAP/AD (`ldap.py`), CAS, OIDC, SAML, DingTalk, WeCom, Feishu. Each is a
subclass of `Provider` that turns what the outside system says into `PersonAttributes` and
`DepartmentAttributes`; everything after that (linking, just-in-time accounts, directory sync)
is the same code for all of them (`services.py`, `sync.py`).

A provider *type* is registered once by the module that implements it, under a key:

    register_provider_type("ldap", "meetops.identity.ldap.LdapProvider")

and is switched on by its own settings: `Provider.from_settings()` returns an instance, or
None while the settings it needs are missing. `providers()` lists the configured ones.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from meetops.core.errors import NotFound

if TYPE_CHECKING:
    from django.http import HttpRequest


class Kind(enum.StrEnum):
    """How a person signs in through the provider."""

    # The browser goes to the provider and comes back with a ticket or code (CAS, OIDC, SAML, IM).
    LOGIN_REDIRECT = "login-redirect"
    # MeetOps' own /login/ form checks the password against the provider (LDAP/AD).
    PASSWORD = "password"  # noqa: S105 - a kind of sign-in, not a secret
    # No sign-in at all: only a source for directory sync.
    DIRECTORY = "directory"


@dataclass(frozen=True)
class PersonAttributes:
    """One person as a provider describes them, already mapped to MeetOps' fields.

    `external_id` is the provider's stable id (LDAP `entryUUID`/`objectGUID`, WeCom `userid`,
    OIDC `sub`), never an e-mail or mobile. Department ids are the provider's own
    (`DepartmentAttributes.external_id`); `main_department_id` is one of them, or "".
    `roles` is None when the provider does not manage global roles; otherwise the roles its
    group mapping grants (and `managed_roles` on the provider says which it may take away).
    """

    external_id: str
    username: str
    display_name: str = ""
    email: str = ""
    mobile: str = ""
    title: str = ""
    department_ids: tuple[str, ...] = ()
    main_department_id: str = ""
    active: bool = True
    groups: tuple[str, ...] = ()
    roles: frozenset[str] | None = None
    head_of: tuple[str, ...] | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def main_department(self) -> str:
        """The main department: the one named, else the first listed, else ""."""
        if self.main_department_id:
            return self.main_department_id
        return self.department_ids[0] if self.department_ids else ""


@dataclass(frozen=True)
class DepartmentAttributes:
    """One department (organisational unit) as a provider describes it.

    `parent_id` is the parent's `external_id`, or "" for a root of the provider's tree.
    `head_ids` are the provider's ids of the people who head it, or None when the provider
    names heads on people instead (`PersonAttributes.head_of`) or not at all.
    """

    external_id: str
    name: str
    parent_id: str = ""
    order: int = 0
    head_ids: tuple[str, ...] | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


class Provider:
    """The interface every identity provider implements. Subclasses set `kind` and override
    what they support; the defaults say "not supported"."""

    kind: ClassVar[Kind] = Kind.DIRECTORY
    # Shown on the login button, the links page and the sync pages.
    default_label: ClassVar[str | Promise] = ""

    def __init__(
        self, key: str, *, label: str | Promise = "", config: Mapping[str, Any] | None = None
    ):
        self.key = key
        self.label: str | Promise = label or self.default_label or key
        self.config: Mapping[str, Any] = dict(config or {})

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key!r}>"

    @property
    def managed_roles(self) -> frozenset[str]:
        """The global roles this provider's group mapping grants and may take away again."""
        return frozenset()

    # --- configuration ------------------------------------------------------------------

    @classmethod
    def from_settings(cls, key: str) -> Provider | None:
        """An instance configured from Django settings, or None while it is not configured."""
        return None

    # --- sign-in ------------------------------------------------------------------------

    def authenticate(
        self, request: HttpRequest | None, **credentials: Any
    ) -> PersonAttributes | None:
        """Check the credentials (a password, a ticket, a code) and say who they belong to.

        None when they are wrong; a DomainError when the provider itself fails (unreachable,
        misconfigured), so the person sees why rather than "wrong password".
        """
        return None

    def login_url(self, request: HttpRequest, *, next_url: str = "") -> str:
        """Where a login-redirect provider's button sends the browser ("" for other kinds)."""
        return ""

    def map_attributes(self, raw: Mapping[str, Any]) -> PersonAttributes:
        """Turn the provider's raw record of a person into MeetOps' attributes."""
        raise NotImplementedError

    # --- directory ----------------------------------------------------------------------

    @property
    def can_sync(self) -> bool:
        """True when the provider can list departments and people for directory sync."""
        return type(self).list_people is not Provider.list_people

    def list_departments(self) -> Iterator[DepartmentAttributes]:
        """Every department, parents before children where the provider allows."""
        return iter(())

    def list_people(self, *, department_ids: Sequence[str] = ()) -> Iterator[PersonAttributes]:
        """Everyone in the directory, or in the given departments' subtrees."""
        return iter(())

    def sync_notes(self) -> list[str | Promise]:
        """What the last `list_people` wants the admin to know, for the sync's report (e.g.
        fields the provider's permissions withheld)."""
        return []


# --- the registry of provider types and configured providers --------------------------------

_types: dict[str, str] = {}


def register_provider_type(key: str, class_path: str) -> None:
    """Declare a provider type by the dotted path of its `Provider` subclass (one key each)."""
    if key in _types and _types[key] != class_path:
        raise ImproperlyConfigured(
            f"identity provider {key!r} is already registered as {_types[key]!r}"
        )
    _types[key] = class_path


def provider_types() -> Mapping[str, str]:
    return dict(_types)


_configured: dict[str, Provider] | None = None


def providers() -> dict[str, Provider]:
    """The configured providers by key, in registration order (read from settings once)."""
    global _configured
    if _configured is None:
        found: dict[str, Provider] = {}
        for key, path in _types.items():
            cls: type[Provider] = import_string(path)
            provider = cls.from_settings(key)
            if provider is not None:
                found[key] = provider
        _configured = found
    return _configured


def reset_providers() -> None:
    """Forget the configured providers (tests that change settings; `setting_changed`)."""
    global _configured
    _configured = None


def get_provider(key: str) -> Provider:
    """The configured provider under `key`; NotFound when there is none."""
    provider = providers().get(key)
    if provider is None:
        raise NotFound(
            _("There is no identity provider %(key)s.") % {"key": key},
            "unknown_provider",
            provider=key,
        )
    return provider


def providers_of_kind(kind: Kind) -> list[Provider]:
    return [p for p in providers().values() if p.kind == kind]


@contextmanager
def override_providers(*instances: Provider) -> Iterator[None]:
    """Use exactly these provider instances inside the block (tests, stand-in servers)."""
    global _configured
    saved = _configured
    _configured = {p.key: p for p in instances}
    try:
        yield
    finally:
        _configured = saved
