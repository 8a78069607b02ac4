"""People: accounts, departments, external contacts, global roles, API tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetops.people.names import NameKeys, key_indexes


class Role(models.TextChoices):
    """Global roles. The codes are part of the API contract."""

    ADMIN = "admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")
    ORGANISER = "organiser", _("Meeting organiser")
    LEADER = "leader", _("Leader (approver)")
    ARCHIVIST = "archivist", _("Archivist")
    STAFF = "staff", _("Staff")
    MEMBER = "member", _("Member")


# Separation of duties (等保 level 3, MEETOPS_SEPARATION_OF_DUTIES): no account holds two of
# these, and while it is on none of them grants anything over meetings and their records.
SOD_ROLES: tuple[str, ...] = (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


def separation_of_duties() -> bool:
    return bool(getattr(settings, "MEETOPS_SEPARATION_OF_DUTIES", False))


class Department(models.Model):
    """A node of the organisation tree.

    `path` is the materialised chain of ids (`/1/4/9/`), kept by the service
    that creates or moves a department, so "everyone in this subtree" is one
    `path__startswith` query on either database.
    """

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["path", "order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)


class User(NameKeys, AbstractUser):
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("Leave empty to follow the browser."),
    )
    time_zone = models.CharField(_("time zone"), max_length=60, blank=True)

    name_source_fields = ("display_name", "first_name", "last_name", "username")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = key_indexes("people_user")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def name_for_keys(self) -> tuple[str, str]:
        # Chinese directories put the surname in `last_name` (sn); it settles 复姓 and 多音字.
        return str(self), (self.last_name or "").strip()

    @cached_property
    def held_role_codes(self) -> frozenset[str]:
        """Every role the account holds. The superuser flag counts as admin only without SoD."""
        if not self.pk:
            return frozenset()
        return self.roles_from(self.role_assignments.values_list("role", flat=True))

    def roles_from(self, assigned: Iterable[str]) -> frozenset[str]:
        """`held_role_codes` from the account's assignments, read here or for many at once."""
        codes = set(assigned)
        if self.is_superuser and not separation_of_duties():
            codes.add(Role.ADMIN)
        return frozenset(codes)

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """The roles that count for meetings and their records (every business rule asks these).

        Under separation of duties the three administrator roles count for none of it: an
        administrator sees business data only through another role they hold.
        """
        if separation_of_duties():
            return self.held_role_codes - set(SOD_ROLES)
        return self.held_role_codes

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def is_admin(self) -> bool:
        """Administrator over meetings and their records (never, under SoD)."""
        return self.has_role(Role.ADMIN)

    @property
    def is_system_admin(self) -> bool:
        """Configuration and accounts: the admin role, with or without SoD."""
        return Role.ADMIN in self.held_role_codes

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        # Under SoD the superuser shortcut of Django's admin site must not open business
        # tables: what each administrator role may touch there is listed in people.duties.
        if not separation_of_duties():
            return super().has_perm(perm, obj)
        # duties imports these models: a cycle at module level
        from meetops.people.duties import admin_site_allows

        return self.is_active and admin_site_allows(self, perm)

    def has_module_perms(self, app_label: str) -> bool:
        if not separation_of_duties():
            return super().has_module_perms(app_label)
        # duties imports these models: a cycle at module level
        from meetops.people.duties import admin_site_allows_app

        return self.is_active and admin_site_allows_app(self, app_label)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ExternalContact(NameKeys, models.Model):
    """Someone without an account: a guest, an expert, a vendor."""

    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("external contact")
        verbose_name_plural = _("external contacts")
        ordering = ["name_pinyin", "name_strokes", "pk"]
        indexes = key_indexes("people_contact")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class DepartmentHead(models.Model):
    """A head (部门负责人) of a department; a department may have several (ADR 0022).

    `source` is the identity provider that says so ("" when an administrator set it): a
    directory sync replaces only its own rows, so a head set by hand stays.
    """

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="head_links",
    )
    user = models.ForeignKey(
        User, verbose_name=_("head"), on_delete=models.CASCADE, related_name="headships"
    )
    source = models.CharField(_("source"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("department head")
        verbose_name_plural = _("department heads")
        ordering = ["department", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["department", "user"], name="department_head_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.department}"
