"""Identity: links between people and their accounts at identity providers, the provider's
departments, memberships in several departments, and directory sync runs.

People's own tables stay as they are: `User.department` is the main department, so every
app that reads it keeps working; the other departments a directory lists are `Membership`
rows here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalIdentity(models.Model):
    """A person's account at one provider. A person may have several; an external account
    belongs to one person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    provider = models.CharField(_("provider"), max_length=40)
    external_id = models.CharField(_("external id"), max_length=255)
    # The name the person signs in with at the provider (uid, sAMAccountName, preferred_username).
    username = models.CharField(_("login name"), max_length=255, blank=True)
    raw = models.JSONField(_("attributes"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)
    last_synced_at = models.DateTimeField(_("last synced"), null=True, blank=True)
    # When directory sync found the person gone (or disabled) and switched them off; a later
    # sync that lists them again switches them back on. Someone an admin deactivated by hand
    # has no date here and stays off.
    left_at = models.DateTimeField(_("left the directory"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        ordering = ["provider", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"], name="identity_external_id_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.username or self.external_id}"


class ExternalDepartment(models.Model):
    """Which MeetOps department a provider's department (OU) is. Renames and moves at the
    provider change the department; the row keeps the link."""

    provider = models.CharField(_("provider"), max_length=40)
    external_id = models.CharField(_("external id"), max_length=255)
    department = models.ForeignKey(
        "people.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="external_links",
    )
    raw = models.JSONField(_("attributes"), default=dict, blank=True)
    # Set when the provider no longer lists it; the department itself stays (history).
    gone_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("external department")
        verbose_name_plural = _("external departments")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"], name="identity_external_department_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.external_id}"


class Membership(models.Model):
    """A person in one of their departments. The main one is also `User.department`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="department_memberships"
    )
    department = models.ForeignKey(
        "people.Department", on_delete=models.CASCADE, related_name="memberships"
    )
    is_main = models.BooleanField(_("main department"), default=False)
    order = models.IntegerField(_("order"), default=0)
    # The provider that says so ("" when set by hand); sync only touches its own rows.
    provider = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("department membership")
        verbose_name_plural = _("department memberships")
        ordering = ["-is_main", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="identity_membership_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.department_id}"


class SyncRun(models.Model):
    """One directory sync of one provider: what it planned or changed, and what failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    provider = models.CharField(_("provider"), max_length=40)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    # The provider department ids the admin selected; empty means the whole directory.
    department_ids = models.JSONField(default=list, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Progress while it runs: how many people of how many are done.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("directory sync")
        verbose_name_plural = _("directory syncs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.provider} {self.started_at:%Y-%m-%d %H:%M}"
