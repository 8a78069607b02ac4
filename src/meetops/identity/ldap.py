"""LDAP / Active Directory as an identity provider (issue 11, item 2).

Sign-in is bind-and-search: bind as the service account (or anonymously), find the one entry
that `MEETOPS_LDAP_USER_FILTER` names, then bind as that entry with the password typed on
`/login/`. Directory sync lists organisational units under `MEETOPS_LDAP_DEPARTMENT_BASE` as
departments and people under `MEETOPS_LDAP_USER_BASE`, with paged searches (RFC 2696) so
directories larger than the server's size limit come back whole.

Two flavours of defaults (`MEETOPS_LDAP_FLAVOUR`): OpenLDAP's `inetOrgPerson` and Active
Directory (`sAMAccountName`/`userPrincipalName`, `objectGUID`, the ACCOUNTDISABLE bit of
`userAccountControl`). `MEETOPS_LDAP_ATTRIBUTES` replaces single attribute names.

The client is ldap3, pure Python: nothing to compile against libldap.
"""

from __future__ import annotations

import logging
import ssl
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError
from meetops.identity.providers import DepartmentAttributes, Kind, PersonAttributes, Provider

logger = logging.getLogger(__name__)

# MeetOps field → LDAP attribute, per flavour. "" means the flavour has none.
FLAVOURS: dict[str, dict[str, str]] = {
    "openldap": {
        "user_filter": "(uid=%(user)s)",
        "people_filter": "(objectClass=inetOrgPerson)",
        "department_filter": "(objectClass=organizationalUnit)",
        "group_filter": "(&(objectClass=groupOfNames)(member=%(dn)s))",
        "groups_filter": "(objectClass=groupOfNames)",
        "id": "entryUUID",
        "username": "uid",
        "display_name": "displayName",
        "name": "cn",
        "email": "mail",
        "mobile": "mobile",
        "title": "title",
        # Extra departments: values that are the DNs of other organisational units.
        "departments": "departmentNumber",
        "groups": "memberOf",
        "department_name": "ou",
        "department_order": "",
        "disabled": "pwdAccountLockedTime",
        # The DN of a person's manager: who heads a department is read from it (ADR 0022).
        "manager": "manager",
    },
    "ad": {
        "user_filter": (
            "(&(objectCategory=person)(objectClass=user)"
            "(|(sAMAccountName=%(user)s)(userPrincipalName=%(user)s)))"
        ),
        "people_filter": "(&(objectCategory=person)(objectClass=user))",
        "department_filter": "(objectClass=organizationalUnit)",
        "group_filter": "(&(objectClass=group)(member=%(dn)s))",
        "groups_filter": "(objectClass=group)",
        "id": "objectGUID",
        "username": "sAMAccountName",
        "display_name": "displayName",
        "name": "cn",
        "email": "mail",
        "mobile": "mobile",
        "title": "title",
        "departments": "",
        "groups": "memberOf",
        "department_name": "ou",
        "department_order": "",
        "disabled": "userAccountControl",
        "manager": "manager",
    },
}
ACCOUNTDISABLE = 0x2


def normal_dn(dn: str) -> str:
    """A DN compared case- and space-insensitively ("OU=A, DC=x" is "ou=a,dc=x")."""
    from ldap3.core.exceptions import LDAPInvalidDnError
    from ldap3.utils.dn import parse_dn

    try:
        return ",".join(
            f"{attr.strip().lower()}={value.strip().lower()}"
            for attr, value, _sep in parse_dn(dn, strip=True)
        )
    except LDAPInvalidDnError:
        return dn.strip().lower()


def parent_dn(dn: str) -> str:
    from ldap3.utils.dn import parse_dn

    parts = parse_dn(dn, strip=True)
    return ",".join(f"{attr}={value}" for attr, value, _sep in parts[1:])


def parse_group_roles(text: str) -> dict[str, str]:
    """`MEETOPS_LDAP_GROUP_ROLES`: "groupDN=role;groupDN=role" → {normal DN: role}."""
    mapping: dict[str, str] = {}
    for part in text.split(";"):
        if "=" not in part.strip():
            continue
        dn, role = part.strip().rsplit("=", 1)
        mapping[normal_dn(dn)] = role.strip()
    return mapping


@dataclass(frozen=True)
class LdapConfig:
    url: str
    bind_dn: str = ""
    bind_password: str = ""
    start_tls: bool = False
    ca_file: str = ""
    user_base: str = ""
    user_filter: str = ""
    department_base: str = ""
    flavour: str = "openldap"
    attributes: Mapping[str, str] | None = None
    group_roles: Mapping[str, str] | None = None
    group_base: str = ""
    page_size: int = 500
    timeout: int = 10

    def attr(self, name: str) -> str:
        """The LDAP attribute (or filter) for a MeetOps field: the override, else the flavour's."""
        overrides = self.attributes or {}
        if name in overrides:
            return overrides[name]
        return FLAVOURS.get(self.flavour, FLAVOURS["openldap"])[name]


class LdapProvider(Provider):
    kind = Kind.PASSWORD
    default_label = _("Directory (LDAP)")

    def __init__(self, key: str, *, settings_: LdapConfig, label: str = "") -> None:
        super().__init__(key, label=label)
        self.conf = settings_
        self.group_roles = dict(settings_.group_roles or {})
        self._ou_ids: dict[str, str] | None = None

    @classmethod
    def from_settings(cls, key: str) -> Provider | None:
        url = getattr(settings, "MEETOPS_LDAP_URL", "")
        if not url:
            return None
        flavour = (
            settings.MEETOPS_LDAP_FLAVOUR
            if settings.MEETOPS_LDAP_FLAVOUR in FLAVOURS
            else "openldap"
        )
        return cls(
            key,
            settings_=LdapConfig(
                url=url,
                bind_dn=settings.MEETOPS_LDAP_BIND_DN,
                bind_password=settings.MEETOPS_LDAP_BIND_PASSWORD,
                start_tls=settings.MEETOPS_LDAP_START_TLS,
                ca_file=settings.MEETOPS_LDAP_CA_FILE,
                user_base=settings.MEETOPS_LDAP_USER_BASE,
                user_filter=settings.MEETOPS_LDAP_USER_FILTER,
                department_base=settings.MEETOPS_LDAP_DEPARTMENT_BASE,
                flavour=flavour,
                attributes=dict(settings.MEETOPS_LDAP_ATTRIBUTES),
                group_roles=parse_group_roles(settings.MEETOPS_LDAP_GROUP_ROLES),
                group_base=settings.MEETOPS_LDAP_GROUP_BASE,
                page_size=settings.MEETOPS_LDAP_PAGE_SIZE,
                timeout=settings.MEETOPS_LDAP_TIMEOUT,
            ),
        )

    @property
    def managed_roles(self) -> frozenset[str]:
        return frozenset(self.group_roles.values())

    # --- connections --------------------------------------------------------------------

    def _server(self) -> Any:
        import ldap3

        tls = None
        if self.conf.url.lower().startswith("ldaps://") or self.conf.start_tls:
            tls = ldap3.Tls(
                validate=ssl.CERT_REQUIRED,
                ca_certs_file=self.conf.ca_file or None,
                version=ssl.PROTOCOL_TLS_CLIENT,
            )
        return ldap3.Server(
            self.conf.url, get_info=ldap3.NONE, tls=tls, connect_timeout=self.conf.timeout
        )

    def _connect(self, user: str = "", password: str = "") -> Any:
        """A bound connection (as `user`, or the service account when no user is given).

        Raises DomainError `ldap_unavailable` when the server cannot be reached or refuses
        the service account; returns None when `user`'s password is wrong."""
        import ldap3
        from ldap3.core.exceptions import LDAPException

        as_service = not user
        who, secret = (
            (self.conf.bind_dn, self.conf.bind_password) if as_service else (user, password)
        )
        try:
            conn = ldap3.Connection(
                self._server(),
                user=who or None,
                password=secret or None,
                receive_timeout=self.conf.timeout,
                raise_exceptions=False,
                read_only=True,
            )
            conn.open()
            plain = not self.conf.url.lower().startswith("ldaps://")
            if self.conf.start_tls and plain and not conn.start_tls():
                raise LDAPException(f"StartTLS refused: {conn.result}")
            if conn.bind():
                return conn
            result = conn.result or {}
        except LDAPException as exc:
            logger.warning("LDAP %s unreachable: %s", self.conf.url, exc)
            raise DomainError(
                _("The directory server cannot be reached."), "ldap_unavailable", provider=self.key
            ) from exc
        if as_service:
            logger.warning("LDAP service bind refused: %s", result)
            raise DomainError(
                _("The directory refused MeetOps' service account."),
                "ldap_bind_refused",
                provider=self.key,
            )
        return None

    def _attributes(self) -> list[str]:
        names = ["id", "username", "display_name", "name", "email", "mobile", "title"]
        names += ["departments", "groups", "disabled", "manager"]
        wanted = [self.conf.attr(n) for n in names]
        return sorted({a for a in wanted if a})

    def _search(
        self, conn: Any, base: str, query: str, attributes: list[str]
    ) -> Iterator[dict[str, Any]]:
        """A paged subtree search: every entry, a page at a time, as {attr (lower): [values]}."""
        for item in conn.extend.standard.paged_search(
            search_base=base,
            search_filter=query,
            attributes=attributes,
            paged_size=self.conf.page_size,
            generator=True,
        ):
            if item.get("type") != "searchResEntry":
                continue
            yield _flatten(item)

    # --- sign-in ------------------------------------------------------------------------

    def authenticate(
        self, request: HttpRequest | None, **credentials: Any
    ) -> PersonAttributes | None:
        from ldap3.utils.conv import escape_filter_chars

        username = str(credentials.get("username") or "").strip()
        password = str(credentials.get("password") or "")
        # An empty password is an anonymous bind, which many servers accept: never a sign-in.
        if not username or not password:
            return None
        if "\\" in username:  # DOMAIN\name, as Windows people type it
            username = username.split("\\", 1)[1]
        query = (self.conf.user_filter or self.conf.attr("user_filter")) % {
            "user": escape_filter_chars(username)
        }
        conn = self._connect()
        try:
            found = list(self._search(conn, self.conf.user_base, query, self._attributes()))
        finally:
            conn.unbind()
        if len(found) != 1:
            if len(found) > 1:
                logger.warning("LDAP filter %s matched %d entries; refusing", query, len(found))
            return None
        entry = found[0]
        personal = self._connect(entry["dn"], password)
        if personal is None:
            return None
        try:
            if not entry.get(self.conf.attr("groups").lower()) and self.group_roles:
                entry["__groups"] = self._groups_of(personal, entry["dn"])
        finally:
            personal.unbind()
        return self.map_attributes(entry)

    def _groups_of(self, conn: Any, dn: str) -> list[str]:
        """Group DNs that list `dn` as a member (for servers without `memberOf`)."""
        from ldap3.utils.conv import escape_filter_chars

        base = self.conf.group_base
        if not base:
            return []
        query = self.conf.attr("group_filter") % {"dn": escape_filter_chars(dn)}
        return [g["dn"] for g in self._search(conn, base, query, ["cn"])]

    def _group_members(self, conn: Any) -> dict[str, list[str]]:
        """Member DN → group DNs, from one listing of the groups (for servers without
        `memberOf`); empty when no group maps to a role."""
        if not self.group_roles or not self.conf.group_base:
            return {}
        members: dict[str, list[str]] = {}
        for group in self._search(
            conn, self.conf.group_base, self.conf.attr("groups_filter"), ["member"]
        ):
            for member in group.get("member", []):
                members.setdefault(normal_dn(member), []).append(group["dn"])
        return members

    # --- mapping ------------------------------------------------------------------------

    def map_attributes(self, raw: Mapping[str, Any]) -> PersonAttributes:
        """An entry ({"dn": …, attribute (any case): value or [values]}) as a person."""
        entry = {k.lower(): v for k, v in raw.items()}

        def first(field: str) -> str:
            name = self.conf.attr(field).lower()
            values = _values(entry.get(name)) if name else []
            return values[0] if values else ""

        dn = str(entry.get("dn", ""))
        external_id = first("id") or normal_dn(dn)
        main = self._ou_id(parent_dn(dn)) if dn else ""
        extra_name = self.conf.attr("departments").lower()
        extra = [self._ou_id(v) for v in _values(entry.get(extra_name))] if extra_name else []
        departments = tuple(dict.fromkeys(d for d in [main, *extra] if d))
        groups_name = self.conf.attr("groups").lower()
        groups = tuple(_values(entry.get(groups_name)) + _values(entry.get("__groups")))
        roles = None
        if self.group_roles:
            roles = frozenset(
                self.group_roles[g] for g in (normal_dn(x) for x in groups) if g in self.group_roles
            )
        return PersonAttributes(
            external_id=external_id,
            username=first("username"),
            display_name=first("display_name") or first("name"),
            email=first("email"),
            mobile=first("mobile"),
            title=first("title"),
            department_ids=departments,
            main_department_id=main if main in departments else "",
            active=not self._disabled(entry),
            groups=groups,
            roles=roles,
            raw={k: v for k, v in entry.items() if not k.startswith("__")},
        )

    def _disabled(self, entry: Mapping[str, Any]) -> bool:
        name = self.conf.attr("disabled").lower()
        values = _values(entry.get(name)) if name else []
        if not values:
            return False
        if name in ("useraccountcontrol",):
            try:
                return bool(int(values[0]) & ACCOUNTDISABLE)
            except ValueError:
                return False
        if name == "msds-useraccountdisabled":
            return values[0].upper() == "TRUE"
        return True  # a lock time (or any other flag attribute) is present

    def _ou_id(self, dn: str) -> str:
        """The department id of an organisational unit's DN ("" outside the department base)."""
        if not dn or not self.conf.department_base:
            return ""
        key = normal_dn(dn)
        base = normal_dn(self.conf.department_base)
        if key == base or not key.endswith("," + base):
            return ""
        if self._ou_ids is None or key not in self._ou_ids:
            # list_departments() fills the map as it goes; a unit added since is found too.
            for _dept in self.list_departments():
                pass
        return (self._ou_ids or {}).get(key, key)

    # --- directory ----------------------------------------------------------------------

    def list_departments(self) -> Iterator[DepartmentAttributes]:
        base = self.conf.department_base
        if not base:
            return
        name_attr = self.conf.attr("department_name")
        order_attr = self.conf.attr("department_order")
        attrs = [a for a in (name_attr, order_attr, self.conf.attr("id")) if a]
        conn = self._connect()
        try:
            entries = list(self._search(conn, base, self.conf.attr("department_filter"), attrs))
        finally:
            conn.unbind()
        base_key = normal_dn(base)
        ids = {}
        for entry in entries:
            values = _values(entry.get(self.conf.attr("id").lower()))
            ids[normal_dn(entry["dn"])] = values[0] if values else normal_dn(entry["dn"])
        # Parents first; siblings in name order, which becomes their order.
        entries.sort(key=lambda e: (normal_dn(e["dn"]).count(","), normal_dn(e["dn"])))
        self._ou_ids = {}
        for position, entry in enumerate(entries):
            key = normal_dn(entry["dn"])
            if key == base_key:
                continue
            names = _values(entry.get(name_attr.lower()))
            orders = _values(entry.get(order_attr.lower())) if order_attr else []
            parent = normal_dn(parent_dn(entry["dn"]))
            self._ou_ids[key] = ids[key]
            yield DepartmentAttributes(
                external_id=ids[key],
                name=names[0] if names else key.split(",", 1)[0].split("=", 1)[-1],
                parent_id="" if parent == base_key else ids.get(parent, ""),
                order=int(orders[0]) if orders and orders[0].isdigit() else position,
                raw={"dn": entry["dn"], "__key": key},
            )

    def list_people(self, *, department_ids: Sequence[str] = ()) -> Iterator[PersonAttributes]:
        if self.conf.department_base:
            for _dept in self.list_departments():  # the OU map, fresh for this listing
                pass
        conn = self._connect()
        try:
            entries = self._search(
                conn, self.conf.user_base, self.conf.attr("people_filter"), self._attributes()
            )
            members = self._group_members(conn)
            wanted = set(department_ids)
            listed = []
            for entry in entries:
                if members and not entry.get(self.conf.attr("groups").lower()):
                    entry["__groups"] = members.get(normal_dn(entry["dn"]), [])
                listed.append((entry, self.map_attributes(entry)))
            manager = self.conf.attr("manager").lower()
            people = heads_by_manager(listed, manager) if manager else [p for _e, p in listed]
            for person in people:
                if not wanted or wanted.intersection(person.department_ids):
                    yield person
        finally:
            conn.unbind()


def heads_by_manager(
    listed: Sequence[tuple[Mapping[str, Any], PersonAttributes]], attribute: str
) -> list[PersonAttributes]:
    """Everyone listed, with the departments they head read from the `manager` attribute:
    a person heads their main department when someone of that department names them as
    manager and their own manager (if any) sits outside it. A team lead inside a department,
    whose manager is in the same department, does not head it; several people at the top of
    one department all do (ADR 0022)."""
    by_dn = {normal_dn(str(entry["dn"])): person for entry, person in listed}
    manager_of: dict[str, str] = {}
    for entry, _person in listed:
        values = _values(entry.get(attribute))
        if values:
            manager_of[normal_dn(str(entry["dn"]))] = normal_dn(values[0])
    heads: dict[str, set[str]] = {}
    for dn, person in by_dn.items():
        boss_dn = manager_of.get(dn, "")
        boss = by_dn.get(boss_dn)
        department = person.main_department
        if boss is None or boss_dn == dn or not department:
            continue
        if boss.main_department != department:
            continue
        above = by_dn.get(manager_of.get(boss_dn, ""))
        if above is not None and above.main_department == department:
            continue  # a team lead inside the department: the head is further up
        heads.setdefault(boss_dn, set()).add(department)
    return [replace(p, head_of=tuple(sorted(heads.get(dn, ())))) for dn, p in by_dn.items()]


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [_text(v) for v in items if v not in (None, b"", "")]


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.hex()
    return str(value)


def _flatten(item: Mapping[str, Any]) -> dict[str, Any]:
    """An ldap3 result entry as {"dn": …, attribute (lower): [str values]}, from the raw bytes
    so the server's schema (which we do not read) cannot change the types."""
    entry: dict[str, Any] = {"dn": item["dn"]}
    for name, values in (item.get("raw_attributes") or {}).items():
        key = name.lower()
        if key == "objectguid":
            entry[key] = [str(uuid.UUID(bytes_le=v)) for v in values if len(v) == 16]
        else:
            entry[key] = [_text(v) for v in values]
    return entry
