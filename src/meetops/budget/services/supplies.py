"""The supplies checklist (P2.4 prepare, P4.7 recover and reuse)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meetops.budget import errors
from meetops.budget.models import DefaultSupply, SupplyItem
from meetops.budget.permissions import can_edit_supplies
from meetops.budget.services.common import clean_texts, problem
from meetops.core import audit
from meetops.core.errors import PermissionDenied
from meetops.meetings.models import Meeting
from meetops.people.models import User

MAX_ITEMS = 300
MAX_QUANTITY = 1_000_000
TEXT_LIMITS = {"name": 200, "unit": 20, "note": 300}
FIELDS = [
    "name",
    "quantity",
    "unit",
    "responsible_id",
    "prepared",
    "reusable",
    "recovered_quantity",
    "note",
]


def _lock_meeting(meeting: Meeting, actor: User) -> Meeting:
    if not can_edit_supplies(actor, meeting):
        raise PermissionDenied()
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_frozen:
        raise errors.frozen()
    return locked


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_QUANTITY:
        return None
    return value


def _clean_row(
    index: int, row: Mapping[str, Any], known: set[int], users: set[int]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    texts, problems = clean_texts(row, TEXT_LIMITS, index)
    clean: dict[str, Any] = {"id": row.get("id"), **texts}
    if not clean["name"]:
        problems.append(problem(index, "name", "name_required", _("Name the item.")))
    clean["quantity"] = _count(row.get("quantity", 1))
    if clean["quantity"] is None:
        problems.append(problem(index, "quantity", "invalid_quantity", _("Give a whole number.")))
    recovered = row.get("recovered_quantity")
    clean["recovered_quantity"] = None if recovered is None else _count(recovered)
    if recovered is not None and (
        clean["recovered_quantity"] is None
        or (clean["quantity"] is not None and clean["recovered_quantity"] > clean["quantity"])
    ):
        problems.append(
            problem(
                index,
                "recovered_quantity",
                "invalid_recovered",
                _("The recovered quantity cannot exceed the quantity."),
            )
        )
    clean["responsible_id"] = row.get("responsible_id") or None
    if clean["responsible_id"] and clean["responsible_id"] not in users:
        problems.append(problem(index, "responsible_id", "unknown_user", _("Unknown user.")))
    if clean["id"] is not None and clean["id"] not in known:
        problems.append(problem(index, "id", "unknown_item", _("Unknown item.")))
    clean["prepared"] = bool(row.get("prepared"))
    clean["reusable"] = bool(row.get("reusable"))
    return clean, problems


def _dicts(meeting: Meeting) -> list[dict[str, Any]]:
    return list(
        SupplyItem.objects.filter(meeting=meeting).order_by("order", "id").values("id", *FIELDS)
    )


def save_supplies(
    meeting: Meeting, *, items: Sequence[Mapping[str, Any]], actor: User
) -> list[SupplyItem]:
    """Replace the checklist (rows with an `id` update that item). Managers and staff only."""
    with transaction.atomic():
        meeting = _lock_meeting(meeting, actor)
        known = set(SupplyItem.objects.filter(meeting=meeting).values_list("pk", flat=True))
        wanted_users: set[int] = {
            int(r["responsible_id"]) for r in items if r.get("responsible_id")
        }
        users = set(
            User.objects.filter(pk__in=wanted_users, is_active=True).values_list("pk", flat=True)
        )
        cleaned, problems = [], []
        if len(items) > MAX_ITEMS:
            problems.append(problem(None, "items", "too_many", _("Too many items.")))
        for index, row in enumerate(items):
            clean, found = _clean_row(index, row, known, users)
            cleaned.append(clean)
            problems.extend(found)
        if problems:
            raise errors.InvalidLines(problems)
        before = _dicts(meeting)
        keep = {c["id"] for c in cleaned if c["id"] is not None}
        SupplyItem.objects.filter(meeting=meeting).exclude(pk__in=keep).delete()
        existing = SupplyItem.objects.filter(meeting=meeting).in_bulk()
        for order, clean in enumerate(cleaned):
            item = existing[clean["id"]] if clean["id"] else SupplyItem(meeting=meeting)
            item.order = order
            for key in FIELDS:
                setattr(item, key, clean[key])
            item.save()
        after = _dicts(meeting)
        if before != after:
            audit.record(
                "budget.supplies.updated",
                meeting,
                actor=actor,
                changes={"supplies": [before, after]},
            )
    return list(SupplyItem.objects.filter(meeting=meeting).order_by("order", "id"))


def load_default_supplies(meeting: Meeting, *, actor: User) -> int:
    """Add the meeting kind's usual supplies that the checklist does not name yet. Returns how many."""
    with transaction.atomic():
        meeting = _lock_meeting(meeting, actor)
        have = set(SupplyItem.objects.filter(meeting=meeting).values_list("name", flat=True))
        start = SupplyItem.objects.filter(meeting=meeting).count()
        new = [
            SupplyItem(
                meeting=meeting,
                order=start + i,
                name=d.name,
                quantity=d.quantity,
                unit=d.unit,
                reusable=d.reusable,
            )
            for i, d in enumerate(
                d
                for d in DefaultSupply.objects.filter(kind_id=meeting.kind_id)
                if d.name not in have
            )
        ]
        SupplyItem.objects.bulk_create(new)
        if new:
            audit.record(
                "budget.supplies.defaults_loaded",
                meeting,
                actor=actor,
                data={"items": [i.name for i in new]},
            )
    return len(new)
