"""Venue pages (htmx). Each view parses, loads with authorisation, calls one service, renders."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.downloads import download_response
from meetops.core.errors import DomainError
from meetops.core.forms import choice_field
from meetops.core.web import AuthedRequest, cleaned, errors_onto, htmx_template, paginated
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import User
from meetops.venues import charts, selectors
from meetops.venues.coverage import meeting_span, problem
from meetops.venues.forms import (
    DURATIONS,
    GridBookForm,
    ImportForm,
    PeriodForm,
    RejectForm,
    RoomFilterForm,
    SuggestForm,
)
from meetops.venues.models import Building, Facility
from meetops.venues.permissions import can_administer_room, can_manage_rooms
from meetops.venues.services import booking as booking_services
from meetops.venues.services.spreadsheet import export_rooms, import_rooms
from meetops.venues.suggestions import suggest_slots
from meetops.venues.timeutil import room_tz, zone


def _chosen_duration(request: AuthedRequest, meeting: Meeting | None = None) -> int:
    """The grid's duration choice; without one, the chosen meeting's own length (else an hour)."""
    raw = request.POST.get("duration") or request.GET.get("duration") or ""
    if raw.isdigit() and 0 < int(raw) <= 24 * 60:
        return int(raw)
    return _meeting_minutes(meeting) or 60


def _meeting_minutes(meeting: Meeting | None) -> int:
    """The meeting's length in minutes when the grid can offer it (up to a day), else 0."""
    if meeting is None:
        return 0
    minutes = int((meeting.end - meeting.start).total_seconds() // 60)
    return minutes if 0 < minutes <= 24 * 60 else 0


def _day(value: str | None, tz: Any) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localtime(timezone=tz).date()
    except ValueError:
        return timezone.localtime(timezone=tz).date()


ROOMS_PER_PAGE = 50


@login_required
def room_list(request: AuthedRequest) -> HttpResponse:
    filters = RoomFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    rooms = selectors.filter_rooms(
        selectors.rooms_visible_to(request.user),
        building_id=data["building"].pk if data.get("building") else None,
        min_capacity=data.get("min_capacity"),
        facilities=[f.code for f in data.get("facility") or []],
    ).order_by("building__order", "building__name", "code", "pk")
    context = {
        "filters": filters,
        "buildings": Building.objects.select_related("site"),
        "can_manage": can_manage_rooms(request.user),
        **paginated(request, rooms, ROOMS_PER_PAGE),
    }
    template = htmx_template(request, "venues/room_list.html", "venues/_room_results.html")
    return render(request, template, context)


@login_required
def room_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    room = selectors.get_room_for_user(request.user, pk)
    tz = room_tz(room)
    day = _day(request.GET.get("date"), tz)
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    busy = selectors.busy_by_room(request.user, [room.pk], start, start + timedelta(days=7)).get(
        room.pk, []
    )
    return render(
        request,
        "venues/room_detail.html",
        {
            "room": room,
            "busy": busy,
            "day": day,
            "now": timezone.now(),
            "is_room_admin": can_administer_room(request.user, room),
            "photos": room.photos.all(),
            "blackouts": room.blackouts.filter(end__gt=timezone.now())[:20],
        },
    )


@login_required
def room_door(request: AuthedRequest, pk: int) -> HttpResponse:
    """The tablet at the door: what is on now and next, and a check-in button."""
    room = selectors.get_room_for_user(request.user, pk)
    now = timezone.now()
    busy = selectors.busy_by_room(
        request.user, [room.pk], now - timedelta(hours=12), now + timedelta(hours=24)
    ).get(room.pk, [])
    current = next((b for b in busy if b.kind == "booking" and b.start <= now < b.end), None)
    upcoming = [b for b in busy if b.kind == "booking" and b.start > now][:3]
    template = "venues/_door.html" if request.htmx else "venues/door.html"
    return render(
        request, template, {"room": room, "current": current, "upcoming": upcoming, "now": now}
    )


@login_required
@require_POST
def booking_check_in(request: AuthedRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking_for_user(request.user, pk)
    booking_services.check_in(booking, actor=request.user)
    messages.success(request, _("Checked in. Have a good meeting."))
    if request.POST.get("next"):
        return redirect(_safe_next(request))
    return redirect("venues_room_detail", pk=booking.room_id)


def _safe_next(request: AuthedRequest) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return (
        target
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        else "/"
    )


@login_required
def building_grid(request: AuthedRequest, pk: int) -> HttpResponse:
    building = get_object_or_404(Building.objects.select_related("site"), pk=pk)
    return _render_grid(request, building)


def _render_grid(request: AuthedRequest, building: Building, *, status: int = 200) -> HttpResponse:
    tz = zone(building.site.time_zone)
    chosen = request.POST.get("meeting") or request.GET.get("meeting") or ""
    meetings = list(selectors.meetings_bookable_by(request.user)[:100])
    meeting = next((m for m in meetings if str(m.pk) == chosen), None)
    asked_day = request.GET.get("date") or request.POST.get("date")
    # For a meeting, the grid opens on the meeting's own day (and shows its hours).
    day = (
        _day(asked_day, tz) if asked_day or meeting is None else meeting.start.astimezone(tz).date()
    )
    week = (request.GET.get("view") or request.POST.get("view")) == "week"
    if week:
        day -= timedelta(days=day.weekday())
    now = timezone.now()
    grid = (
        selectors.building_week(request.user, building, day)
        if week
        else selectors.building_grid(request.user, building, day, now=now, meeting=meeting)
    )
    own = _meeting_minutes(meeting)
    durations: list[tuple[int, Any]] = list(DURATIONS)
    if own and meeting is not None:
        durations.insert(
            0, (own, _("The meeting's time (%(time)s)") % {"time": meeting_span(meeting)})
        )
    context = {
        "building": building,
        "grid": grid,
        "day": day,
        "week": week,
        "meetings": meetings,
        "meeting": meeting,
        "meeting_time": meeting_span(meeting) if meeting else "",
        "meeting_days": _meeting_days(meeting, tz) if meeting else [],
        "durations": durations,
        "prev": day - timedelta(days=7 if week else 1),
        "next": day + timedelta(days=7 if week else 1),
        "chosen_meeting": chosen,
        "chosen_duration": _chosen_duration(request, meeting),
    }
    template = "venues/_grid.html" if request.htmx else "venues/grid.html"
    return render(request, template, context, status=status)


def _meeting_days(meeting: Meeting, tz: Any) -> list[date]:
    first, last = meeting.start.astimezone(tz).date(), meeting.end.astimezone(tz).date()
    return [first + timedelta(days=i) for i in range(min((last - first).days, 14) + 1)]


@login_required
@require_POST
def grid_book(request: AuthedRequest, pk: int) -> HttpResponse:
    """A click on a free cell: book that room from that time for the chosen meeting."""
    building = get_object_or_404(Building.objects.select_related("site"), pk=pk)
    data = cleaned(GridBookForm(request.POST))
    meeting = get_meeting_for_user(request.user, data["meeting"], write=True)
    if data.get("whole"):
        room_id, start, end = data["whole"], meeting.start, meeting.end
    else:
        room_id, start = data["cell"]
        if timezone.is_naive(start):
            start = timezone.make_aware(start, zone(building.site.time_zone))
        end = start + timedelta(minutes=data["duration"])
    room = selectors.get_room_for_user(request.user, room_id)
    booking = booking_services.book_room(
        room, meeting=meeting, start=start, end=end, actor=request.user, part=data["part"]
    )
    text = (
        _("Booked %(room)s for “%(meeting)s”.")
        if booking.status == "confirmed"
        else _("Requested %(room)s for “%(meeting)s”; it waits for approval.")
    )
    messages.success(request, text % {"room": room.name, "meeting": meeting.title})
    if warning := problem(booking, meeting):
        messages.warning(request, warning)
    return _render_grid(request, building)


@login_required
def approvals(request: AuthedRequest) -> HttpResponse:
    pending = selectors.pending_for_approver(request.user)
    return render(request, "venues/approvals.html", {"pending": pending, "form": RejectForm()})


@login_required
@require_POST
def booking_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    booking = selectors.get_booking_for_user(request.user, pk)
    actor: User = request.user
    reason = RejectForm(request.POST).data.get("reason", "")[:1000]
    calls = {
        "approve": lambda: booking_services.approve_booking(booking, actor=actor),
        "reject": lambda: booking_services.reject_booking(booking, actor=actor, reason=reason),
        "cancel": lambda: booking_services.cancel_booking(booking, actor=actor, reason=reason),
    }
    if action not in calls:
        raise Http404
    calls[action]()
    messages.success(
        request,
        {
            "approve": _("Booking approved."),
            "reject": _("Booking rejected."),
            "cancel": _("Booking cancelled."),
        }[action],
    )
    return redirect(_safe_next(request))


@login_required
def occupancy(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": today - timedelta(days=30), "end": today})
    stats, building = None, None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if form.cleaned_data.get("building"):
            building = Building.objects.filter(pk=form.cleaned_data["building"]).first()
        if end > start and (end - start).days <= 366:
            stats = selectors.occupancy(request.user, start=start, end=end, building=building)
        else:
            form.add_error("end", _("The period must end after it starts and span at most a year."))
    chart = (
        charts.bar_chart([(r["room"].name, r["percent"]) for r in stats["rooms"]], unit="%")
        if stats
        else ""
    )
    dept_chart = (
        charts.bar_chart(
            [(d["department"] or _("No department"), d["percent"]) for d in stats["departments"]],
            unit="%",
        )
        if stats
        else ""
    )
    return render(
        request,
        "venues/occupancy.html",
        {
            "form": form,
            "stats": stats,
            "chart": chart,
            "dept_chart": dept_chart,
            "buildings": Building.objects.all(),
        },
    )


@login_required
def rooms_export(request: AuthedRequest) -> HttpResponse:
    if not can_manage_rooms(request.user):
        raise PermissionDenied
    rooms = list(selectors.rooms_visible_to(request.user).order_by("pk"))
    return download_response(
        export_rooms(rooms),
        filename="rooms.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def rooms_import(request: AuthedRequest) -> HttpResponse:
    if not can_manage_rooms(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_rooms(form.cleaned_data["file"], actor=request.user)
        except DomainError as exc:  # the page lists each refused row of the sheet
            if exc.status in (403, 404):
                raise
            messages.error(request, str(exc.message))
            errors = exc.details.get("errors", [])
        else:
            messages.success(
                request,
                _("Imported: %(created)d new rooms, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("venues_room_list")
    return render(request, "venues/import.html", {"form": form, "errors": errors})


@login_required
def find_a_time(request: AuthedRequest) -> HttpResponse:
    """Propose times and rooms for people, a duration and a window of days."""
    today = timezone.localdate()
    form = SuggestForm(
        request.GET or None,
        initial={
            "window_start": today + timedelta(days=1),
            "window_end": today + timedelta(days=14),
        },
    )
    choice_field(form, "facilities").choices = [(f.code, f.name) for f in Facility.objects.all()]
    form.fields["building"].widget.choices = [
        ("", "—"),
        *((b.pk, b.name) for b in Building.objects.all()),
    ]
    suggestions, unknown = [], []
    names = {key: _usernames(request.GET.get(key, "")) for key in ("required", "optional")}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=names["required"] + names["optional"], is_active=True
        )
    }
    # The people pickers show whom the field names, as chips (people/_picker.html).
    pickers = [
        (form[key], [users[n] for n in names[key] if n in users])
        for key in ("required", "optional")
    ]
    if request.GET and form.is_valid():
        data = form.cleaned_data
        unknown = [n for n in names["required"] + names["optional"] if n not in users]
        with errors_onto(form):
            suggestions = suggest_slots(
                required=[users[n] for n in names["required"] if n in users],
                optional=[users[n] for n in names["optional"] if n in users],
                duration=timedelta(minutes=data["duration"]),
                window=(data["window_start"], data["window_end"]),
                capacity=data.get("capacity"),
                facilities=data.get("facilities") or [],
                preferred_building=Building.objects.filter(pk=data["building"])
                .select_related("site")
                .first()
                if data.get("building")
                else None,
                actor=request.user,
            )
    return render(
        request,
        "venues/find_a_time.html",
        {"form": form, "suggestions": suggestions, "unknown": unknown, "pickers": pickers},
    )


def _usernames(text: str) -> list[str]:
    """User names as the picker writes them (comma-separated; a Chinese comma typed by hand too)."""
    return [n.strip() for n in text.replace("，", ",").split(",") if n.strip()]
