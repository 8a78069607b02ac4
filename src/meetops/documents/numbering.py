"""The numbering register: 第N期 and 〔2026〕N号, one number per meeting and kind, never twice.

Two people downloading the first approved minutes at once get one number between
them, and two meetings never share one: the counter row is locked (on SQLite the
IMMEDIATE transaction takes the write lock at BEGIN, the same queue), the meeting's
number is looked up again under that lock, and the unique constraints on
`IssuedNumber` are the backstop on any database.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import DomainError
from meetops.documents.models import IssuedNumber, Issuer, Kind, MinutesNumbering, NumberCounter
from meetops.meetings.models import Meeting
from meetops.people.models import User


def running(issuer: Issuer, kind: str) -> bool:
    """A running count that does not restart each year (the 纪要's 第N期), or yearly."""
    return kind == Kind.MINUTES and issuer.minutes_numbering == MinutesNumbering.ISSUE


def number_of(meeting: Meeting, kind: str) -> IssuedNumber | None:
    return IssuedNumber.objects.filter(meeting=meeting, kind=kind).select_related("issuer").first()


def issue_number(
    meeting: Meeting, *, issuer: Issuer, kind: str, actor: User | None
) -> IssuedNumber:
    """The meeting's number for this kind of document: the one it has, or the next one."""
    existing = number_of(meeting, kind)
    if existing is not None:
        return existing
    year = 0 if running(issuer, kind) else timezone.localdate().year
    try:
        with transaction.atomic():
            NumberCounter.objects.bulk_create(
                [NumberCounter(issuer=issuer, kind=kind, year=year)], ignore_conflicts=True
            )
            counter = NumberCounter.objects.select_for_update().get(
                issuer=issuer, kind=kind, year=year
            )
            # Someone may have numbered this meeting while we waited for the lock.
            existing = number_of(meeting, kind)
            if existing is not None:
                return existing
            NumberCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
            counter.refresh_from_db(fields=["last"])
            issued = IssuedNumber.objects.create(
                issuer=issuer,
                kind=kind,
                year=year,
                number=counter.last,
                meeting=meeting,
                issued_by=actor,
            )
            audit.record(
                "documents.number.issued",
                meeting,
                actor=actor,
                data={"kind": kind, "year": issued.year, "number": issued.number},
            )
            return issued
    except IntegrityError as exc:
        existing = number_of(meeting, kind)
        if existing is not None:
            return existing
        raise DomainError(
            _("The document number could not be issued; try again."), "number_conflict"
        ) from exc


def number_text(issued: IssuedNumber | None, *, issuer: Issuer, kind: str) -> str:
    """第12期, or ×政办〔2026〕12号: Arabic numerals, no zero padding, hexagonal brackets.

    A running count's register year is 0; a yearly number carries its year.
    """
    if issued is None:
        return ""
    if running(issuer, kind):
        return f"第{issued.number}期"
    return f"{issuer.prefix}〔{issued.year}〕{issued.number}号"
