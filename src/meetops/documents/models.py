"""The issuing body's settings, the numbering register and the offices' own DOCX templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The official documents MeetOps writes. The codes name registers and templates."""

    MINUTES = "minutes", _("Minutes (纪要)")
    NOTICE = "notice", _("Meeting notice (通知)")
    REPORT = "report", _("Meeting report (报告)")


class MinutesNumbering(models.TextChoices):
    ISSUE = "issue", _("Running issue number: 第N期")
    YEARLY = "yearly", _("Yearly document number: 〔2026〕N号")


class Issuer(models.Model):
    """The organisation that issues the documents: its name, 文号 prefix, 版记 defaults."""

    name = models.CharField(_("issuing body"), max_length=200)
    prefix = models.CharField(
        _("document number prefix (机关代字)"),
        max_length=40,
        blank=True,
        help_text=_("Written before the year: “×政办” gives ×政办〔2026〕12号."),
    )
    minutes_mark = models.CharField(
        _("minutes mark"),
        max_length=200,
        blank=True,
        help_text=_("The red heading of the minutes. Empty: the issuing body's name + 会议纪要."),
    )
    minutes_numbering = models.CharField(
        _("minutes numbering"),
        max_length=10,
        choices=MinutesNumbering.choices,
        default=MinutesNumbering.ISSUE,
    )
    main_to = models.CharField(_("notices go to (主送)"), max_length=300, blank=True)
    report_to = models.CharField(_("reports go to (主送)"), max_length=300, blank=True)
    copy_to = models.CharField(
        _("copies to (抄送)"),
        max_length=500,
        blank=True,
        help_text=_("Organisations separated by “，”; written in the 版记 of every document."),
    )
    printer = models.CharField(
        _("printed by (印发机关)"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the issuing body."),
    )
    is_default = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_issuer"
            )
        ]

    def __str__(self) -> str:
        return self.name


class NumberCounter(models.Model):
    """The last number issued per issuer, kind and year (year 0: a running count)."""

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="counters")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind", "year"], name="one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class IssuedNumber(models.Model):
    """A number given to one meeting's document. Never reused, never given twice."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="issued")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveIntegerField(_("year"))  # 0: a running count (第N期)
    number = models.PositiveIntegerField(_("number"))
    # A deleted meeting takes its row along; the counter keeps the number used up.
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="document_numbers"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        constraints = [
            # The backstop of the counter's lock: a number exists once per register.
            models.UniqueConstraint(
                fields=["issuer", "kind", "year", "number"], name="number_once_per_register"
            ),
            models.UniqueConstraint(fields=["meeting", "kind"], name="one_number_per_document"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}/{self.number}"


class OfficeTemplate(models.Model):
    """An office's own DOCX for one kind of document, with {{占位符}} the renderer fills."""

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="templates")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField()
    placeholders = models.JSONField(default=list)
    uploaded_at = models.DateTimeField(auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("office template")
        verbose_name_plural = _("office templates")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind"], name="one_template_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} · {self.get_kind_display()}"
