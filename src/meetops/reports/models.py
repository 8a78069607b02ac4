"""The summary report of a meeting (P4.2) and the leaders' approval with instructions, 批示 (P4.4).

One `SummaryReport` per meeting, drafted from the meeting's data into editable
text sections; every save and move keeps a `ReportRevision`. The organiser
submits it to chosen leaders (`ReportApproval`, one per leader); each approves or
returns it with instructions. Each line of instructions is an `Instruction`,
which can become an action item of the minutes app (the execution plan).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SECTIONS = ("overview", "topics", "discussion", "consensus", "summary", "follow_up")


class ReportState(models.TextChoices):
    """Codes are part of the API contract."""

    DRAFT = "draft", pgettext_lazy("summary report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("summary report", "Awaiting the leaders")
    APPROVED = "approved", pgettext_lazy("summary report", "Approved")
    RETURNED = "returned", pgettext_lazy("summary report", "Returned")


class SummaryReport(models.Model):
    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="summary_report"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    revision = models.PositiveIntegerField(_("revision"), default=0)
    title = models.CharField(_("report title"), max_length=300)
    overview = models.TextField(_("time, place and attendance"), blank=True)
    topics = models.TextField(_("topics"), blank=True)
    discussion = models.TextField(_("discussion"), blank=True)
    consensus = models.TextField(_("consensus and decisions"), blank=True)
    summary = models.TextField(_("closing summary"), blank=True)
    follow_up = models.TextField(_("follow-up actions"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("summary report")
        verbose_name_plural = _("summary reports")

    def __str__(self) -> str:
        return self.title

    @property
    def locked(self) -> bool:
        return self.state in (ReportState.SUBMITTED, ReportState.APPROVED)

    def content(self) -> dict[str, str]:
        return {"title": self.title, **{name: getattr(self, name) for name in SECTIONS}}


class ReportRevision(models.Model):
    """One saved or state-changing version of the report, with its text as it then was."""

    report = models.ForeignKey(SummaryReport, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    state = models.CharField(_("state"), max_length=12, choices=ReportState.choices)
    action = models.CharField(_("action"), max_length=20)
    snapshot = models.JSONField(_("content"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        ordering = ["report", "-id"]

    def __str__(self) -> str:
        return f"{self.report_id} r{self.number} {self.action}"


class Decision(models.TextChoices):
    PENDING = "pending", pgettext_lazy("leader decision", "Pending")
    APPROVED = "approved", pgettext_lazy("leader decision", "Approved")
    RETURNED = "returned", pgettext_lazy("leader decision", "Returned")


class ReportApproval(models.Model):
    """One chosen leader's decision on the report, with their instructions (批示)."""

    report = models.ForeignKey(SummaryReport, on_delete=models.CASCADE, related_name="approvals")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("report approver", "leader"),
        on_delete=models.PROTECT,
        related_name="report_approvals",
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    instructions = models.TextField(pgettext_lazy("leader", "instructions (批示)"), blank=True)
    no_instructions = models.BooleanField(_("no instructions"), default=False)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("leader's approval")
        verbose_name_plural = _("leaders' approvals")
        ordering = ["report", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "leader"], name="report_one_approval_per_leader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.leader_id} · {self.decision}"


class Instruction(models.Model):
    """One line of a leader's instructions; `action` is the action item it became (P4.4 → P4.5)."""

    report = models.ForeignKey(SummaryReport, on_delete=models.CASCADE, related_name="instructions")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("instruction"))
    action = models.OneToOneField(
        "minutes.ActionItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="instruction",
    )

    class Meta:
        verbose_name = _("instruction line")
        verbose_name_plural = _("instruction lines")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_instruction_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"
