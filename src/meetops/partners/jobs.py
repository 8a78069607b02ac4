"""Expiry reminders: a daily job of the notifications worker (P10.5).

For each qualification and contract of a supplier in use that expires within one of the
numbers of days in `MEETOPS_PARTNER_EXPIRY_DAYS` (default 30), the register's keepers are
told once for that number: the `ExpiryNotice` row (unique per document, date and number) is
the claim, so neither a second run nor a second worker tells them again. A document that
comes within several numbers at once is told for the smallest only; a renewed document (a
new date) is told anew.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from meetops.core.scheduler import periodic
from meetops.notifications.services import enqueue
from meetops.partners.models import Contract, DocumentKind, ExpiryNotice, Qualification
from meetops.partners.notify import DOCUMENT_EXPIRING, keepers
from meetops.partners.selectors import expiring


def thresholds() -> list[int]:
    return sorted({int(d) for d in settings.MEETOPS_PARTNER_EXPIRY_DAYS if int(d) >= 0})


def _threshold(days_left: int, numbers: list[int]) -> int | None:
    return next((n for n in numbers if days_left <= n), None)


def _tell(document: Qualification | Contract, kind: str, expires_on: date, days: int) -> bool:
    """Claim the notice and queue the messages in one transaction; False if told already."""
    today = timezone.localdate()
    try:
        with transaction.atomic():
            ExpiryNotice.objects.create(
                kind=kind, document_id=document.pk, expires_on=expires_on, days_before=days
            )
            enqueue(
                event=DOCUMENT_EXPIRING.code,
                recipients=list(keepers()),
                context={
                    "supplier": document.supplier,
                    "kind": kind,
                    "document": str(
                        document.title if kind == DocumentKind.QUALIFICATION else document
                    ),
                    "expires_on": expires_on,
                    "days_left": (expires_on - today).days,
                    "url": reverse("partners:detail", args=[document.supplier_id]),
                },
                dedupe_key=f"{DOCUMENT_EXPIRING.code}:{kind}:{document.pk}:{expires_on}:{days}",
            )
    except IntegrityError:  # another worker claimed it first
        return False
    return True


@periodic(every_seconds=86400, name="partners.expiry_reminders")
def remind_expiring_documents() -> int:
    """Queue today's expiry reminders. Returns the number of documents told about."""
    numbers = thresholds()
    if not numbers:
        return 0
    today = timezone.localdate()
    qualifications, contracts = expiring(today, numbers[-1])
    documents: list[tuple[Qualification | Contract, str, date]] = [
        *(
            (q, DocumentKind.QUALIFICATION.value, q.expires_on)
            for q in qualifications.order_by("pk")
        ),
        *((c, DocumentKind.CONTRACT.value, c.ends_on) for c in contracts.order_by("pk")),
    ]
    told = set(
        ExpiryNotice.objects.filter(expires_on__gte=today).values_list(
            "kind", "document_id", "expires_on", "days_before"
        )
    )
    count = 0
    for document, kind, expires_on in documents:
        days = _threshold((expires_on - today).days, numbers)
        if days is None or (kind, document.pk, expires_on, days) in told:
            continue
        count += _tell(document, kind, expires_on, days)
    return count
