"""Reading the register (P10.5): suppliers with their averages and expiry marks, in one query.

What a supplier page shows of meetings is limited to the meetings the reader may see: a
supplier used by a confidential meeting does not tell an outsider that the meeting exists.
The averages count every rating (they name no meeting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core.errors import NotFound
from meetops.core.schemas import MAX_DB_ID
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user, meetings_visible_to
from meetops.partners.models import Contact, Contract, Engagement, Qualification, Rating, Supplier
from meetops.partners.permissions import can_read_register
from meetops.people.models import User


def _expired_qualification(today: date) -> Exists:
    """A qualification past its date with no valid one of the same title (a renewal)."""
    renewed = Qualification.objects.filter(
        supplier=OuterRef("supplier"), title=OuterRef("title"), expires_on__gte=today
    )
    return Exists(
        Qualification.objects.filter(supplier=OuterRef("pk"), expires_on__lt=today).filter(
            ~Exists(renewed)
        )
    )


def _no_current_contract(today: date) -> Q:
    """It had contracts, and every one of them has ended."""
    return Q(Exists(Contract.objects.filter(supplier=OuterRef("pk")))) & ~Q(
        Exists(Contract.objects.filter(supplier=OuterRef("pk"), ends_on__gte=today))
    )


def with_standing(suppliers: QuerySet[Supplier], today: date | None = None) -> QuerySet[Supplier]:
    """Annotated: `rating_count`, `avg_quality`, `avg_punctuality`, `avg_price`, `avg_overall`,
    `qualification_expired`, `contract_expired`. One query, whatever the number of rows."""
    today = today or timezone.localdate()
    total = F("ratings__quality") + F("ratings__punctuality") + F("ratings__price")
    return suppliers.annotate(
        rating_count=Count("ratings"),
        avg_quality=Avg(Cast("ratings__quality", FloatField())),
        avg_punctuality=Avg(Cast("ratings__punctuality", FloatField())),
        avg_price=Avg(Cast("ratings__price", FloatField())),
        avg_overall=Avg(Cast(total, FloatField()) / 3.0),
        qualification_expired=_expired_qualification(today),
        contract_expired=ExpressionWrapper(
            _no_current_contract(today), output_field=BooleanField()
        ),
    )


@dataclass(frozen=True)
class SupplierFilters:
    q: str = ""
    kind: str = ""
    expired: bool = False
    include_inactive: bool = False


def search_suppliers(user: User, filters: SupplierFilters | None = None) -> QuerySet[Supplier]:
    """The register as the reader may see it (all of it, or nothing), with standing."""
    if not can_read_register(user):
        return Supplier.objects.none()
    filters = filters or SupplierFilters()
    qs = Supplier.objects.all()
    if not filters.include_inactive:
        qs = qs.filter(active=True)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        # Exists, not a join: a join on contacts would multiply the ratings counted.
        contact = Contact.objects.filter(supplier=OuterRef("pk"), name__icontains=filters.q)
        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(credit_code__icontains=filters.q.upper())
            | Q(Exists(contact))
        )
    qs = with_standing(qs)
    if filters.expired:
        qs = qs.filter(Q(qualification_expired=True) | Q(contract_expired=True))
    return qs.order_by("name", "pk")


def get_supplier_for_user(user: User, pk: int) -> Supplier:
    """404 for those who may not read the register, as for a supplier that does not exist."""
    if not 0 < pk <= MAX_DB_ID or not can_read_register(user):
        raise NotFound()
    supplier = with_standing(Supplier.objects.filter(pk=pk)).first()
    if supplier is None:
        raise NotFound()
    return supplier


def supplier_choices() -> list[tuple[int, str]]:
    """The suppliers in use as picker choices: name, kind, average rating, expiry marks.

    The register's names are no secret from those choosing a payee or a meeting's supplier."""
    suppliers = with_standing(Supplier.objects.filter(active=True)).order_by("name", "pk")
    return [(s.pk, choice_label(s)) for s in suppliers]


def choice_label(supplier: Supplier) -> str:
    """ "华彩印务 · Printing · ★ 4.3 (5) · contract expired" — what a person chooses by."""
    parts = [supplier.name, str(supplier.get_kind_display())]
    count = getattr(supplier, "rating_count", 0)
    if count:
        parts.append(
            _("★ %(average)s (%(count)d)")
            % {"average": f"{supplier.avg_overall:.1f}", "count": count}  # type: ignore[attr-defined]
        )
    else:
        parts.append(_("not rated yet"))
    if getattr(supplier, "qualification_expired", False):
        parts.append(_("qualification expired"))
    if getattr(supplier, "contract_expired", False):
        parts.append(_("contract expired"))
    return " · ".join(parts)


def qualifications_of(supplier: Supplier) -> QuerySet[Qualification]:
    return supplier.qualifications.order_by("expires_on", "pk")


def contracts_of(supplier: Supplier) -> QuerySet[Contract]:
    return supplier.contracts.order_by("-ends_on", "pk")


def engagements_seen_by(user: User, supplier: Supplier) -> QuerySet[Engagement]:
    """The meetings that used the supplier, of those the reader may see, newest first."""
    visible = meetings_visible_to(user).values("pk")
    return (
        supplier.engagements.filter(meeting__in=visible)
        .select_related("meeting", "contract")
        .order_by("-meeting__start", "-pk")
    )


def ratings_seen_by(user: User, supplier: Supplier) -> QuerySet[Rating]:
    """The rating history, of meetings the reader may see, newest first."""
    visible = meetings_visible_to(user).values("pk")
    return (
        supplier.ratings.filter(meeting__in=visible)
        .select_related("meeting", "author")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class MeetingSuppliers:
    meeting: Meeting
    links: list[Engagement]
    ratings: dict[int, Rating]  # supplier id → the meeting's rating of it


def suppliers_of(meeting: Meeting) -> MeetingSuppliers:
    """The suppliers the meeting used, with its ratings of them (two queries)."""
    links = list(
        Engagement.objects.filter(meeting=meeting)
        .select_related("supplier", "contract")
        .order_by("supplier__name", "pk")
    )
    ratings = {
        r.supplier_id: r
        for r in Rating.objects.filter(meeting=meeting).select_related("author").order_by("pk")
    }
    return MeetingSuppliers(meeting, links, ratings)


def get_link(meeting: Meeting, link_id: int) -> Engagement:
    link = Engagement.objects.filter(meeting=meeting, pk=link_id).select_related("meeting").first()
    if link is None:
        raise NotFound()
    return link


def get_rating_for_user(user: User, rating_id: int) -> Rating:
    """A rating, for those who may see its meeting (404 otherwise)."""
    if not 0 < rating_id <= MAX_DB_ID:
        raise NotFound()
    rating = Rating.objects.filter(pk=rating_id).select_related("supplier").first()
    if rating is None:
        raise NotFound()
    rating.meeting = get_meeting_for_user(user, rating.meeting_id)
    return rating


def expiring(today: date, days: int) -> tuple[QuerySet[Qualification], QuerySet[Contract]]:
    """Documents that expire `days` from today or sooner and have not yet expired."""
    until = date.fromordinal(today.toordinal() + days)
    return (
        Qualification.objects.filter(
            expires_on__gte=today, expires_on__lte=until, supplier__active=True
        ).select_related("supplier"),
        Contract.objects.filter(
            ends_on__gte=today, ends_on__lte=until, supplier__active=True
        ).select_related("supplier"),
    )
