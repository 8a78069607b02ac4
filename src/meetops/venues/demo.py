"""Demo venues: one site, two buildings, a dozen rooms, and bookings for the demo meetings.

`load_demo(meetings=..., actor=...)` is called by `meetops demo` after the meetings exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time, timedelta
from typing import Any

from django.db import transaction

from meetops.core.demo import DemoContext, demo_evidence, demo_loader
from meetops.core.errors import DomainError
from meetops.venues.models import Building, Floor, Room, Site
from meetops.venues.services.booking import book_room
from meetops.venues.services.rooms import create_room

ROOMS: list[tuple[str, str, str, str, int, str, list[str], dict[str, Any]]] = [
    # building, floor, code, name, capacity, layout, facilities, extra
    (
        "行政楼",
        "1F",
        "A101",
        "第一会议室",
        20,
        "boardroom",
        ["projector", "screen", "network", "microphone"],
        {},
    ),
    (
        "行政楼",
        "1F",
        "A102",
        "第二会议室",
        12,
        "boardroom",
        ["screen", "network", "whiteboard"],
        {},
    ),
    (
        "行政楼",
        "1F",
        "A103",
        "洽谈室",
        6,
        "boardroom",
        ["screen", "network"],
        {"release_if_no_checkin_minutes": 15},
    ),
    (
        "行政楼",
        "2F",
        "A201",
        "党委会议室",
        16,
        "boardroom",
        ["projector", "sound", "microphone", "network"],
        {"requires_approval": True},
    ),
    (
        "行政楼",
        "2F",
        "A202",
        "视频会议室",
        10,
        "boardroom",
        ["video_conference", "screen", "microphone", "network"],
        {"buffer_minutes": 15},
    ),
    (
        "行政楼",
        "3F",
        "A301",
        "多功能厅",
        120,
        "theatre",
        ["projector", "screen", "sound", "microphone", "network", "accessibility"],
        {"requires_approval": True, "buffer_minutes": 30},
    ),
    (
        "科研楼",
        "1F",
        "B101",
        "报告厅",
        200,
        "theatre",
        ["projector", "screen", "sound", "microphone", "video_conference", "accessibility"],
        {"requires_approval": True, "buffer_minutes": 30},
    ),
    ("科研楼", "2F", "B201", "研讨室一", 14, "u_shape", ["projector", "whiteboard", "network"], {}),
    ("科研楼", "2F", "B202", "研讨室二", 14, "u_shape", ["projector", "whiteboard", "network"], {}),
    (
        "科研楼",
        "3F",
        "B301",
        "培训教室",
        40,
        "classroom",
        ["projector", "sound", "network", "whiteboard"],
        {"max_booking_minutes": 480},
    ),
    (
        "科研楼",
        "3F",
        "B302",
        "小会议室",
        8,
        "boardroom",
        ["screen", "network"],
        {"release_if_no_checkin_minutes": 10},
    ),
    (
        "科研楼",
        "4F",
        "B401",
        "贵宾接待室",
        10,
        "boardroom",
        ["screen", "sound", "accessibility"],
        {"requires_approval": True},
    ),
]


def load_demo(*, meetings: Iterable[Any] = (), actor: Any = None) -> list[Room]:
    """Create the demo venues (once) and book a fitting room for each meeting still being planned."""
    with transaction.atomic():
        if Room.objects.filter(code="A101").exists():
            return list(Room.objects.all())
        site = Site.objects.create(
            name="总部园区", address="北京市海淀区示例路 1 号", time_zone="Asia/Shanghai"
        )
        rooms = []
        for order, (bname, fname, code, name, capacity, layout, facilities, extra) in enumerate(
            ROOMS
        ):
            building, _ = Building.objects.get_or_create(
                site=site, name=bname, defaults={"order": order}
            )
            floor, _ = Floor.objects.get_or_create(
                building=building, name=fname, defaults={"level": int(fname[0])}
            )
            rooms.append(
                create_room(
                    actor=None,
                    name=name,
                    capacity=capacity,
                    code=code,
                    building=building,
                    floor=floor,
                    layout=layout,
                    facilities=facilities,
                    open_time=time(7, 0),
                    close_time=time(22, 0),
                    open_weekdays="123456",
                    administrators=[actor]
                    if actor is not None and extra.get("requires_approval")
                    else [],
                    **extra,
                )
            )
    for meeting in meetings:
        if meeting.stage in ("draft", "preparing", "ready"):
            book_for(meeting, actor=actor or meeting.created_by)
    return rooms


def book_for(meeting: Any, *, actor: Any) -> None:
    """Book the smallest free room that seats the meeting, from half an hour before it."""
    need = meeting.expected_attendance or 8
    for room in Room.objects.filter(capacity__gte=need, requires_approval=False).order_by(
        "capacity", "pk"
    ):
        try:
            book_room(
                room,
                meeting=meeting,
                start=meeting.start - timedelta(minutes=30),
                end=meeting.end,
                actor=actor,
            )
            return
        except DomainError:
            continue


@demo_loader("venues", order=40)
def load_rooms(ctx: DemoContext) -> None:
    """Rooms first: the meetings loader books them as their organisers plan."""
    ctx.note(f"{len(load_demo(actor=ctx.users.get('admin')))} rooms")


@demo_evidence("venues.booking_confirmed")
def book_for_demo(meeting: Any, actor: Any) -> None:
    book_for(meeting, actor=actor)
