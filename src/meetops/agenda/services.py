"""Every write to an agenda goes through here.

Items flow: an item without a pinned start begins when the one before it ends,
so reordering or changing a duration moves the times of the items after it.
A start given on input is kept only where it differs from where the item would
flow anyway, so reading an agenda and writing it back changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.agenda import errors
from meetops.agenda.models import AgendaItem
from meetops.agenda.schedule import Agenda, flowing_start, schedule
from meetops.agenda.selectors import agenda_of, items_of
from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.filetypes import checked_type
from meetops.core.validation import date_problem, in_window
from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_manage_meeting
from meetops.people.models import ExternalContact, User

MAX_TITLE = 300
MAX_DURATION = 24 * 60
MAX_ITEMS = 200
MAX_MATERIALS_BYTES = 20 * 1024 * 1024
TEXT_LIMITS = {"presenter": 150, "room": 200, "materials_note": 500, "description": 20000}
# Service input keys (the API's names) → model fields.
MODEL_FIELDS = {
    "title": "title",
    "description": "description",
    "presenter": "presenter_name",
    "presenter_user_id": "presenter_user_id",
    "presenter_contact_id": "presenter_contact_id",
    "duration_minutes": "duration_minutes",
    "room": "room_label",
    "materials_note": "materials_note",
    "is_public": "is_public",
}
AUDITED = [
    "title",
    "description",
    "presenter_user",
    "presenter_contact",
    "presenter_name",
    "start",
    "duration_minutes",
    "room_label",
    "materials_note",
    "is_public",
    "order",
]
PRESENTER_KEYS = ("presenter", "presenter_user_id", "presenter_contact_id")


# --- guards and input cleaning ------------------------------------------------


def _lock_meeting(meeting: Meeting, actor: User) -> Meeting:
    """Authorise, then lock the meeting row: agenda writes of one meeting run one at a time."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied()
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_frozen:
        raise errors.frozen()
    return locked


def _problem(index: int | None, field: str, code: str, message: str) -> dict[str, Any]:
    return {"index": index, "field": field, "code": code, "message": message}


def _people(
    rows: Sequence[Mapping[str, Any]],
) -> tuple[dict[int, User], dict[int, ExternalContact]]:
    """The presenters the rows name, fetched in one query per kind."""
    user_ids = {r["presenter_user_id"] for r in rows if r.get("presenter_user_id")}
    contact_ids = {r["presenter_contact_id"] for r in rows if r.get("presenter_contact_id")}
    users = User.objects.filter(pk__in=user_ids, is_active=True).in_bulk() if user_ids else {}
    contacts = ExternalContact.objects.in_bulk(contact_ids) if contact_ids else {}
    return users, contacts


def _check_row(
    row: Mapping[str, Any],
    index: int | None,
    people: tuple[dict[int, User], dict[int, ExternalContact]],
    *,
    partial: bool = False,
) -> list[dict[str, Any]]:
    """What is wrong with one item's input (only the keys present when `partial`)."""
    problems = []

    def present(key: str) -> bool:
        return key in row if partial else True

    if present("title"):
        title = str(row.get("title") or "").strip()
        if not title:
            problems.append(_problem(index, "title", "title_required", _("A title is required.")))
        elif len(title) > MAX_TITLE:
            problems.append(
                _problem(
                    index,
                    "title",
                    "title_too_long",
                    _("The title is too long (at most %(max)d characters).") % {"max": MAX_TITLE},
                )
            )
    if present("duration_minutes"):
        duration = row.get("duration_minutes")
        if (
            not isinstance(duration, int)
            or isinstance(duration, bool)
            or not 0 < duration <= MAX_DURATION
        ):
            problems.append(
                _problem(
                    index,
                    "duration_minutes",
                    "invalid_duration",
                    _("The duration must be between 1 and %(max)d minutes.")
                    % {"max": MAX_DURATION},
                )
            )
    start = row.get("start")
    if start is not None and (not isinstance(start, datetime) or timezone.is_naive(start)):
        problems.append(
            _problem(index, "start", "naive_datetime", _("Times need a time zone offset."))
        )
    elif start is not None and not in_window(start):
        problems.append(_problem(index, "start", "invalid_date", date_problem()))
    for key, limit in TEXT_LIMITS.items():
        if len(str(row.get(key) or "")) > limit:
            problems.append(
                _problem(
                    index,
                    key,
                    "too_long",
                    _("Too long (at most %(max)d characters).") % {"max": limit},
                )
            )
    users, contacts = people
    user_id, contact_id = row.get("presenter_user_id"), row.get("presenter_contact_id")
    if user_id and contact_id:
        problems.append(
            _problem(
                index,
                "presenter_user_id",
                "presenter_ambiguous",
                _("Name the presenter as a user or as an external contact, not both."),
            )
        )
    elif user_id and user_id not in users:
        problems.append(_problem(index, "presenter_user_id", "unknown_user", _("Unknown user.")))
    elif contact_id and contact_id not in contacts:
        problems.append(
            _problem(
                index, "presenter_contact_id", "unknown_contact", _("Unknown external contact.")
            )
        )
    return problems


def _pinned(start: datetime | None, fixed: bool | None, flow: datetime) -> datetime | None:
    """The start to store: None (flowing) unless the item really is pinned elsewhere."""
    if start is None or fixed is False:
        return None
    if fixed is None and start == flow:
        return None
    return start


def _apply(item: AgendaItem, row: Mapping[str, Any]) -> None:
    """Copy cleaned input onto the item (presenter kinds exclude each other)."""
    if any(key in row for key in PRESENTER_KEYS):
        item.presenter_user_id = row.get("presenter_user_id") or None
        item.presenter_contact_id = row.get("presenter_contact_id") or None
        named = item.presenter_user_id or item.presenter_contact_id
        item.presenter_name = "" if named else str(row.get("presenter") or "").strip()
    for key, field in MODEL_FIELDS.items():
        if key in row and key not in PRESENTER_KEYS:
            value = row[key]
            if key == "is_public":
                value = bool(value)
            elif isinstance(value, str):
                value = value.strip()
            setattr(item, field, value)


def _check_materials(materials: UploadedFile | None) -> None:
    """At most 20 MB, and a document whose content is what its name says (core.filetypes)."""
    if materials is None:
        return
    checked_type(
        materials,
        limit=MAX_MATERIALS_BYTES,
        too_large=lambda: ValidationFailed(
            _("The materials file is larger than 20 MB."), "materials_too_large", field="materials"
        ),
        refused=lambda: ValidationFailed(
            _(
                "Materials must be a PDF, an Office or OpenDocument file, a PNG or JPEG image, "
                "or plain text (.txt, .md), and the content must match the file name."
            ),
            "unsupported_file_type",
            field="materials",
        ),
    )


# --- writes ------------------------------------------------------------------


def replace_agenda(meeting: Meeting, *, items: Sequence[Mapping[str, Any]], actor: User) -> Agenda:
    """Make the agenda exactly `items`, in that order: all of it or nothing.

    A row with the `id` of an existing item of this meeting updates that item
    (keeping its materials); rows without one are new; items not named are
    deleted. Raises `invalid_agenda` with one entry per problem in `details["rows"]`.
    """
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(
            _("An agenda has at most %(max)d items.") % {"max": MAX_ITEMS}, "too_many_items"
        )
    people = _people(items)
    with transaction.atomic():
        meeting = _lock_meeting(meeting, actor)
        existing = {i.pk: i for i in AgendaItem.objects.filter(meeting=meeting)}
        problems: list[dict[str, Any]] = []
        seen: set[int | None] = set()
        for index, row in enumerate(items):
            problems += _check_row(row, index, people)
            item_id = row.get("id")
            if item_id is not None and (item_id not in existing or item_id in seen):
                problems.append(
                    _problem(index, "id", "unknown_item", _("This item is not on the agenda."))
                )
            seen.add(item_id)
        if problems:
            raise errors.InvalidAgenda(problems)
        kept: list[AgendaItem] = []
        created: list[AgendaItem] = []
        previous_end: datetime | None = None
        for order, row in enumerate(items, start=1):
            item_id = row.get("id")
            # Every id was checked against `existing` above.
            item = existing[item_id] if item_id is not None else AgendaItem(meeting=meeting)
            _apply(item, row)
            flow = flowing_start(meeting.start, previous_end)
            item.start, item.order = _pinned(row.get("start"), row.get("fixed_start"), flow), order
            previous_end = (item.start or flow) + timedelta(minutes=item.duration_minutes)
            (kept if item.pk else created).append(item)
        deleted = [pk for pk in existing if pk not in seen]
        AgendaItem.objects.filter(pk__in=deleted).delete()
        if kept:
            now = timezone.now()
            for item in kept:
                item.updated_at = now
            AgendaItem.objects.bulk_update(kept, [*AUDITED, "updated_at"])
        AgendaItem.objects.bulk_create(created)
        audit.record(
            "agenda.agenda.replaced",
            meeting,
            actor=actor,
            data={
                "items": len(items),
                "created": len(created),
                "updated": len(kept),
                "deleted": deleted,
            },
        )
    return agenda_of(meeting)


def add_item(
    meeting: Meeting, *, actor: User, materials: UploadedFile | None = None, **fields: Any
) -> AgendaItem:
    """Append an item to the agenda. Fields as in the API (`title`, `duration_minutes`, `presenter`, …)."""
    _check_materials(materials)
    problems = _check_row(fields, None, _people([fields]))
    if problems:
        raise errors.InvalidAgenda(problems)
    with transaction.atomic():
        meeting = _lock_meeting(meeting, actor)
        current = agenda_of(meeting)
        item = AgendaItem(meeting=meeting)
        _apply(item, fields)
        item.start = _pinned(
            fields.get("start"),
            fields.get("fixed_start"),
            flowing_start(meeting.start, current.end),
        )
        item.order = (
            AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"] or 0
        ) + 1
        if materials is not None:
            item.materials = materials
        item.save()
        audit.record(
            "agenda.item.created", meeting, actor=actor, data={"item": item.pk, "title": item.title}
        )
    return item


def update_item(
    item: AgendaItem,
    *,
    actor: User,
    materials: UploadedFile | None = None,
    clear_materials: bool = False,
    **fields: Any,
) -> AgendaItem:
    """Change some fields of an item. `start=None` lets a pinned item flow again."""
    _check_materials(materials)
    problems = _check_row(fields, None, _people([fields]), partial=True)
    if problems:
        raise errors.InvalidAgenda(problems)
    with transaction.atomic():
        _lock_meeting(item.meeting, actor)
        item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
        before, old_materials = audit.snapshot(item, AUDITED), item.materials.name or ""
        _apply(item, fields)
        if "start" in fields or "fixed_start" in fields:
            slots = schedule(item.meeting, items_of(item.meeting))
            position = next(i for i, s in enumerate(slots) if s.item.pk == item.pk)
            flow = flowing_start(item.meeting.start, slots[position - 1].end if position else None)
            start = fields["start"] if "start" in fields else slots[position].start
            item.start = _pinned(start, fields.get("fixed_start"), flow)
        if clear_materials:
            item.materials = ""
        if materials is not None:
            item.materials = materials
        changes = audit.diff(before, audit.snapshot(item, AUDITED))
        if materials is not None or clear_materials:
            changes["materials"] = [old_materials, item.materials.name or ""]
        if changes:
            item.save()
            audit.record(
                "agenda.item.updated",
                item.meeting,
                actor=actor,
                changes=changes,
                data={"item": item.pk},
            )
    return item


def delete_item(item: AgendaItem, *, actor: User) -> Agenda:
    """Take an item off the agenda; the items after it move up."""
    with transaction.atomic():
        meeting = _lock_meeting(item.meeting, actor)
        deleted, _count = AgendaItem.objects.filter(pk=item.pk, meeting=meeting).delete()
        if deleted:
            audit.record(
                "agenda.item.deleted",
                meeting,
                actor=actor,
                data={"item": item.pk, "title": item.title},
            )
    return agenda_of(meeting)


def reorder_agenda(meeting: Meeting, *, ordered_ids: Sequence[int], actor: User) -> Agenda:
    """Put the items in this order; flowing items take new times, pinned ones keep theirs.

    `ordered_ids` must name every item of the agenda once; otherwise someone
    else changed it meanwhile and `agenda_changed` (409) is raised.
    """
    with transaction.atomic():
        meeting = _lock_meeting(meeting, actor)
        items = {i.pk: i for i in AgendaItem.objects.filter(meeting=meeting)}
        if sorted(ordered_ids) != sorted(items):
            raise errors.agenda_changed(sorted(items))
        before = [i.pk for i in sorted(items.values(), key=lambda i: (i.order, i.pk))]
        for position, pk in enumerate(ordered_ids, start=1):
            items[pk].order = position
        AgendaItem.objects.bulk_update(items.values(), ["order"])
        if before != list(ordered_ids):
            audit.record(
                "agenda.agenda.reordered",
                meeting,
                actor=actor,
                changes={"order": [before, list(ordered_ids)]},
            )
    return agenda_of(meeting)


def move_item(item: AgendaItem, *, offset: int, actor: User) -> Agenda:
    """Move an item up (negative) or down (positive) by `offset` places, for keyboard users."""
    ids = list(
        AgendaItem.objects.filter(meeting_id=item.meeting_id)
        .order_by("order", "id")
        .values_list("pk", flat=True)
    )
    position = ids.index(item.pk)
    target = min(max(position + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(position))
    return reorder_agenda(item.meeting, ordered_ids=ids, actor=actor)
