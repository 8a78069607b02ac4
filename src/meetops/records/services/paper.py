"""The physical archive: paper items, their places and loans."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.people.models import User
from meetops.records import errors
from meetops.records.models import Dossier, DossierStatus, Loan, PaperItem
from meetops.records.permissions import is_archivist


def register_paper_item(dossier: Dossier, *, actor: User, fields: dict[str, Any]) -> PaperItem:
    """Register a paper item in the physical archive (P7.4) with its place."""
    if not is_archivist(actor):
        raise PermissionDenied()
    if (
        not str(fields.get("title", "")).strip()
        or not fields.get("room")
        or not fields.get("cabinet")
    ):
        raise ValidationFailed(_("Give the title, room and cabinet."), "location_required")
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if dossier.status == DossierStatus.DESTROYED:
            raise errors.dossier_locked(dossier)
        item = PaperItem.objects.create(dossier=dossier, registered_by=actor, **fields)
        audit.record(
            "records.paper.registered",
            dossier,
            actor=actor,
            data={
                "item": item.pk,
                "title": item.title,
                "location": item.location,
                "pieces": item.pieces,
            },
        )
    return item


def lend_item(item: PaperItem, *, actor: User, borrower: str, due_back: date | None = None) -> Loan:
    """Lend a paper item out; it must be in its place (`already_lent`)."""
    if not is_archivist(actor):
        raise PermissionDenied()
    borrower = borrower.strip()
    if not borrower:
        raise ValidationFailed(_("Who borrows it?"), "borrower_required")
    with transaction.atomic():
        item = PaperItem.objects.select_for_update().select_related("dossier").get(pk=item.pk)
        if item.destroyed_at or item.loans.filter(returned_at__isnull=True).exists():
            raise DomainError(_("This item is not in the archive at the moment."), "already_lent")
        loan = Loan.objects.create(
            item=item, borrower=borrower[:150], due_back=due_back, lent_by=actor
        )
        audit.record(
            "records.paper.lent",
            item.dossier,
            actor=actor,
            data={
                "item": item.pk,
                "title": item.title,
                "borrower": loan.borrower,
                "due_back": due_back,
            },
        )
    return loan


def return_item(item: PaperItem, *, actor: User) -> Loan:
    """Take a lent item back (`not_lent` if it is in its place)."""
    if not is_archivist(actor):
        raise PermissionDenied()
    with transaction.atomic():
        item = PaperItem.objects.select_for_update().select_related("dossier").get(pk=item.pk)
        loan = item.loans.filter(returned_at__isnull=True).first()
        if loan is None:
            raise DomainError(_("This item is not lent out."), "not_lent")
        loan.returned_at, loan.returned_to = timezone.now(), actor
        loan.save(update_fields=["returned_at", "returned_to"])
        audit.record(
            "records.paper.returned",
            item.dossier,
            actor=actor,
            data={"item": item.pk, "title": item.title, "borrower": loan.borrower},
        )
    return loan
