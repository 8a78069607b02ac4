"""The register of suppliers and external venues (P10.5): who they are, their contacts,
qualification documents and contracts, the meetings that used them and how they did.

Nothing here is computed and stored: a supplier's averages and whether a document has
expired are read when shown (selectors), so they can never disagree with the rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    VENUE = "venue", _("Venue")
    CATERING = "catering", _("Catering")
    PRINTING = "printing", _("Printing")
    AV = "av", _("Audio-visual")
    TRANSPORT = "transport", _("Transport")
    INTERPRETATION = "interpretation", _("Interpretation")
    OTHER = "other", _("Other")


def _someone(related_name: str = "+") -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class Supplier(models.Model):
    """A company or institution the organisation buys from, or an external venue."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_by = _someone()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="partners_credit_code_once",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person to call at the supplier."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["supplier", "pk"]

    def __str__(self) -> str:
        return self.name


class Qualification(models.Model):
    """A licence or certificate the supplier holds (营业执照, 食品经营许可证 …), with its expiry."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="qualifications")
    title = models.CharField(_("title"), max_length=200)
    expires_on = models.DateField(_("expires on"))
    file = models.FileField(_("file"), upload_to="partners/qualifications/%Y/", blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    added_by = _someone()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["supplier", "expires_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Contract(models.Model):
    """A framework or single contract with the supplier: its number, term and amount."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contracts")
    number = models.CharField(_("contract number"), max_length=100)
    title = models.CharField(_("subject"), max_length=200, blank=True)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    file = models.FileField(_("file"), upload_to="partners/contracts/%Y/", blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    added_by = _someone()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["supplier", "-ends_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "number"], name="partners_contract_once"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="partners_contract_term"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="partners_contract_amount"),
        ]

    def __str__(self) -> str:
        return self.number


class Engagement(models.Model):
    """A meeting used the supplier, for what (the link the meeting's organisers make)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="supplier_links"
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="engagements")
    supplied = models.CharField(_("what they supplied"), max_length=300)
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements",
    )
    created_by = _someone()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supplier used")
        verbose_name_plural = _("suppliers used")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "supplier"], name="partners_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.supplied}"


SCORES = ("quality", "punctuality", "price")


def _score(label: Any) -> models.PositiveSmallIntegerField:  # a lazy translation
    return models.PositiveSmallIntegerField(label)


class Rating(models.Model):
    """How the supplier did at one meeting, by one of its organisers: one per meeting and supplier."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="supplier_ratings"
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="ratings")
    author = _someone()
    quality = _score(_("quality"))
    punctuality = _score(_("punctuality"))
    price = _score(_("price"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("supplier rating")
        verbose_name_plural = _("supplier ratings")
        ordering = ["supplier", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "supplier"], name="partners_rating_once"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"partners_rating_{name}_1_5",
                )
                for name in SCORES
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.meeting_id}"


class Manager(models.Model):
    """Someone who keeps the register (besides administrators), appointed by an administrator."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partners_manager"
    )
    appointed_by = _someone()
    appointed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("register manager")
        verbose_name_plural = _("register managers")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.user)


class DocumentKind(models.TextChoices):
    QUALIFICATION = "qualification", _("Qualification")
    CONTRACT = "contract", _("Contract")


class ExpiryNotice(models.Model):
    """A reminder sent: one per document, expiry date and number of days before it.

    The unique row is the claim: a second run of the daily job (or a second worker) cannot
    insert it again, so nobody is told twice; a renewed document (a new date) is told anew.
    """

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    document_id = models.PositiveBigIntegerField()
    expires_on = models.DateField()
    days_before = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "document_id", "expires_on", "days_before"],
                name="partners_expiry_notice_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.document_id} · {self.expires_on} − {self.days_before}"
