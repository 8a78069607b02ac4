"""Suppliers on meetings (P10.5): which meeting used which supplier for what, and how they did.

A rating belongs to a meeting and a supplier (one, by a unique constraint) and to its author,
the only one who changes it; the meeting must have taken place and not be closed.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import NotFound, PermissionDenied
from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_manage_meeting
from meetops.partners import errors
from meetops.partners.models import SCORES, Contract, Engagement, Rating, Supplier
from meetops.partners.permissions import (
    RATED_STAGES,
    can_edit_rating,
    can_link_suppliers,
    can_rate_suppliers,
)
from meetops.people.models import User

RATING_FIELDS = [*SCORES, "comment"]


def _lock_meeting(meeting: Meeting) -> Meeting:
    # The meeting row alone (no joins on keys a concurrent writer may change).
    return Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)


def link_supplier(
    meeting: Meeting,
    *,
    supplier: Supplier,
    supplied: str,
    actor: User,
    contract: Contract | None = None,
) -> Engagement:
    """Record that the meeting used the supplier, for what, under which contract (optional).

    Preconditions: the actor manages the meeting, which is not frozen; the supplier is in use;
    the contract, if named, is the supplier's; the supplier is not linked yet.
    """
    if not can_link_suppliers(actor, meeting):
        raise PermissionDenied()
    supplied = (supplied or "").strip()
    if not supplied:
        raise errors.invalid({"supplied": _("Say what they supplied.")}, model=Engagement)
    if len(supplied) > 300:
        raise errors.invalid({"supplied": errors.too_long(300)}, model=Engagement)
    if contract is not None and contract.supplier_id != supplier.pk:
        raise errors.foreign_contract()
    try:
        with transaction.atomic():
            meeting = _lock_meeting(meeting)
            if not can_link_suppliers(actor, meeting):  # frozen meanwhile
                raise PermissionDenied()
            if not Supplier.objects.filter(pk=supplier.pk, active=True).exists():
                raise errors.inactive_supplier()
            if Engagement.objects.filter(meeting=meeting, supplier=supplier).exists():
                raise errors.already_linked()
            link = Engagement.objects.create(
                meeting=meeting,
                supplier=supplier,
                supplied=supplied,
                contract=contract,
                created_by=actor,
            )
            audit.record(
                "partners.supplier.linked",
                meeting,
                actor=actor,
                data={
                    "supplier": supplier.pk,
                    "name": supplier.name,
                    "supplied": supplied,
                    "contract": contract.pk if contract else None,
                },
            )
    except IntegrityError as exc:
        raise errors.already_linked() from exc
    return link


def unlink_supplier(link: Engagement, *, actor: User) -> None:
    """Take a supplier off the meeting (entered by mistake); refused once it is rated."""
    meeting = link.meeting
    if not can_link_suppliers(actor, meeting):
        raise PermissionDenied()
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        if Rating.objects.filter(meeting=meeting, supplier_id=link.supplier_id).exists():
            raise errors.already_rated()
        audit.record(
            "partners.supplier.unlinked",
            meeting,
            actor=actor,
            data={"supplier": link.supplier_id, "supplied": link.supplied},
        )
        Engagement.objects.filter(pk=link.pk).delete()


def _scores(fields: dict[str, Any], partial: bool) -> dict[str, Any]:
    problems: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name in SCORES:
        if name not in fields or fields[name] is None:
            if not partial:
                problems[name] = _("Give 1 to 5.")
            continue
        value = fields[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            problems[name] = _("Give 1 to 5.")
        else:
            cleaned[name] = value
    if fields.get("comment") is not None:
        cleaned["comment"] = str(fields["comment"]).strip()
        if len(cleaned["comment"]) > 5000:
            problems["comment"] = errors.too_long(5000)
    if problems:
        raise errors.invalid(problems, model=Rating)
    return cleaned


def rate_supplier(meeting: Meeting, *, supplier: Supplier, actor: User, **fields: Any) -> Rating:
    """Rate how a supplier the meeting used did: quality, punctuality, price (1–5), a comment.

    Preconditions: the actor manages the meeting, which took place and is not closed; the
    meeting used the supplier; nobody rated it for this meeting yet.
    """
    if not can_rate_suppliers(actor, meeting):
        if meeting.stage in RATED_STAGES or not can_manage_meeting(actor, meeting):
            raise PermissionDenied()
        raise errors.not_rateable()
    scores = _scores(fields, partial=False)
    try:
        with transaction.atomic():
            meeting = _lock_meeting(meeting)
            if not Engagement.objects.filter(meeting=meeting, supplier=supplier).exists():
                raise errors.not_used()
            if Rating.objects.filter(meeting=meeting, supplier=supplier).exists():
                raise errors.already_rated()
            rating = Rating.objects.create(
                meeting=meeting, supplier=supplier, author=actor, **scores
            )
            audit.record(
                "partners.rating.given",
                rating,
                actor=actor,
                changes=audit.diff({}, audit.snapshot(rating, RATING_FIELDS)),
                data={"meeting": meeting.pk, "supplier": supplier.pk},
                new_stream=True,
            )
    except IntegrityError as exc:
        raise errors.already_rated() from exc
    return rating


def update_rating(rating: Rating, *, actor: User, **fields: Any) -> Rating:
    """Its author changes the scores or the comment while the meeting can still be rated."""
    if not can_edit_rating(actor, rating.meeting, rating.author_id):
        raise PermissionDenied()
    scores = _scores(fields, partial=True)
    with transaction.atomic():
        locked = Rating.objects.select_for_update().filter(pk=rating.pk).first()
        if locked is None:
            raise NotFound()
        rating = locked
        before = audit.snapshot(rating, RATING_FIELDS)
        for name, value in scores.items():
            setattr(rating, name, value)
        changes = audit.diff(before, audit.snapshot(rating, RATING_FIELDS))
        if changes:
            rating.save(update_fields=[*changes, "updated_at"])
            audit.record("partners.rating.changed", rating, actor=actor, changes=changes)
        audit.note_outcome(rating, changes)
    return rating
