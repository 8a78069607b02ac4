"""Agenda API under /meetings/{id}/: the agenda (read, replace, reorder) and conflicts of people.

Mounted at the same "/meetings" prefix as the meetings router; the paths do not overlap.
"""

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, File, Router, Schema, UploadedFile

from meetops.agenda import services
from meetops.agenda.conflicts import person_conflicts
from meetops.agenda.schedule import Agenda, Slot
from meetops.agenda.selectors import agenda_of, get_item
from meetops.core.schemas import DbId
from meetops.core.validation import SaneDatetime
from meetops.core.web import AuthedRequest
from meetops.meetings.selectors import get_meeting_for_user

router = Router(tags=["agenda"])


class AgendaItemOut(Schema):
    id: int
    order: int
    title: str
    description: str
    presenter: str
    presenter_user_id: DbId | None
    presenter_contact_id: DbId | None
    start: datetime
    end: datetime
    fixed_start: bool
    duration_minutes: int
    room: str
    materials_url: str | None
    materials_note: str
    is_public: bool


class WarningOut(Schema):
    code: str
    message: str
    details: dict[str, Any]


class AgendaOut(Schema):
    items: list[AgendaItemOut]
    warnings: list[WarningOut]
    end: datetime | None


class AgendaItemIn(Schema):
    id: int | None = Field(
        None, description="An existing item to keep (with its materials); omit for a new one"
    )
    # Generous bounds against abuse; the service states the real limits, row by row.
    title: str = Field("", max_length=2000)
    description: str = Field("", max_length=100000)
    presenter: str = Field(
        "", max_length=2000, description="Free-text name, when no user or contact is named"
    )
    presenter_user_id: DbId | None = None
    presenter_contact_id: DbId | None = None
    start: SaneDatetime | None = Field(
        None, description="Pin the item to this time; omit to follow the previous item"
    )
    fixed_start: bool | None = Field(
        None, description="true: pin at `start`; false: flow whatever `start` says"
    )
    duration_minutes: int | None = None
    room: str = Field("", max_length=2000)
    materials_note: str = Field("", max_length=5000)
    is_public: bool = False


class AgendaIn(Schema):
    items: list[AgendaItemIn] = Field(..., max_length=1000)


class OrderIn(Schema):
    ids: list[int] = Field(..., max_length=1000)


class ConflictOut(Schema):
    user_id: DbId
    name: str
    role: str
    other_meeting_id: DbId | None
    other_title: str
    start: datetime
    end: datetime


class ConflictList(Schema):
    items: list[ConflictOut]


def _item_out(slot: Slot) -> AgendaItemOut:
    item = slot.item
    materials = (
        reverse("agenda_materials", args=[item.meeting_id, item.pk]) if item.materials else None
    )
    return AgendaItemOut(
        id=item.pk,
        order=item.order,
        title=item.title,
        description=item.description,
        presenter=item.presenter,
        presenter_user_id=item.presenter_user_id,
        presenter_contact_id=item.presenter_contact_id,
        start=slot.start,
        end=slot.end,
        fixed_start=slot.fixed,
        duration_minutes=item.duration_minutes,
        room=item.room_label,
        materials_url=materials,
        materials_note=item.materials_note,
        is_public=item.is_public,
    )


def _agenda_out(agenda: Agenda) -> AgendaOut:
    return AgendaOut(
        items=[_item_out(s) for s in agenda.slots],
        warnings=[WarningOut(**w.as_dict()) for w in agenda.warnings],
        end=agenda.end,
    )


@router.get(
    "/{int:meeting_id}/agenda",
    response=AgendaOut,
    summary="The agenda with computed times and warnings",
)
def read_agenda(request: AuthedRequest, meeting_id: int) -> AgendaOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return _agenda_out(agenda_of(meeting))


@router.put("/{int:meeting_id}/agenda", response=AgendaOut, summary="Replace the whole agenda")
def replace_agenda(request: AuthedRequest, meeting_id: int, payload: AgendaIn) -> AgendaOut:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    rows = [row.dict() for row in payload.items]
    return _agenda_out(services.replace_agenda(meeting, items=rows, actor=request.user))


@router.post(
    "/{int:meeting_id}/agenda/order",
    response=AgendaOut,
    summary="Reorder the items (every id once)",
)
def reorder_agenda(request: AuthedRequest, meeting_id: int, payload: OrderIn) -> AgendaOut:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    actor = request.user
    return _agenda_out(services.reorder_agenda(meeting, ordered_ids=payload.ids, actor=actor))


@router.post(
    "/{int:meeting_id}/agenda/items/{int:item_id}/materials",
    response=AgendaItemOut,
    summary="Attach a materials file to an item (multipart, field `file`)",
)
def upload_materials(
    request: AuthedRequest, meeting_id: int, item_id: int, file: File[UploadedFile]
) -> AgendaItemOut:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    item = services.update_item(get_item(meeting, item_id), actor=request.user, materials=file)
    slot = next(s for s in agenda_of(meeting).slots if s.item.pk == item.pk)
    return _item_out(slot)


@router.get(
    "/{int:meeting_id}/conflicts",
    response=ConflictList,
    summary="People needed here who are on another meeting then",
)
def list_conflicts(request: AuthedRequest, meeting_id: int) -> ConflictList:
    meeting = get_meeting_for_user(request.user, meeting_id)
    conflicts = person_conflicts(meeting, viewer=request.user)
    return ConflictList(items=[ConflictOut(**c.as_dict()) for c in conflicts])
