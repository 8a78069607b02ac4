"""Room management pages (room administrators, system administrators), external venues, and
the person's own waiting list. Each view loads with authorisation, calls one service, renders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.downloads import stored_file
from meetops.core.errors import DomainError
from meetops.core.errors import PermissionDenied as DomainPermissionDenied
from meetops.core.web import AuthedRequest, errors_onto, htmx_template
from meetops.venues import selectors
from meetops.venues.forms import BlackoutForm, ExternalVenueForm, PhotoForm, RoomSettingsForm
from meetops.venues.models import Room, RoomPhoto
from meetops.venues.permissions import can_manage_rooms
from meetops.venues.services import rooms as room_services
from meetops.venues.services import waitlist as waitlist_services


def _room(request: AuthedRequest, pk: int, *, write: bool = False) -> Room:
    """404 for rooms the user may not see; 403 when write and not theirs."""
    try:
        return selectors.get_room_for_user(request.user, pk, write=write)
    except DomainPermissionDenied as exc:
        raise _forbidden() from exc


def _forbidden() -> DomainPermissionDenied:
    return DomainPermissionDenied(_("Only the room's administrators may do this."))


def room_admin_view(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Load the room for its administrators: 404 to those who may not see it, 403 to the rest."""

    @wraps(view)
    def wrapper(request: AuthedRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, _room(request, pk, write=True), *args, **kwargs)

    return wrapper


@login_required
@room_admin_view
def room_edit(request: AuthedRequest, room: Room) -> HttpResponse:
    system_admin = can_manage_rooms(request.user)
    form = RoomSettingsForm(request.POST or None, instance=room, system_admin=system_admin)
    if request.method == "POST" and form.is_valid():
        with errors_onto(form):
            room_services.update_room(room, actor=request.user, **form.service_fields())
            messages.success(request, _("Room saved."))
            return redirect("venues_room_edit", pk=room.pk)
    return render(request, "venues/room_edit.html", _manage_context(request, room, form=form))


def _manage_context(request: AuthedRequest, room: Room, **extra: Any) -> dict[str, Any]:
    return {
        "room": room,
        "photos": room.photos.all(),
        "blackouts": room.blackouts.filter(end__gt=timezone.now()).select_related("created_by"),
        "photo_form": PhotoForm(),
        "blackout_form": BlackoutForm(),
        **extra,
    }


def _fragment(request: AuthedRequest, room: Room, name: str, **extra: Any) -> HttpResponse:
    """The photos or blackouts panel for htmx, the whole edit page otherwise."""
    template = htmx_template(request, "venues/room_edit.html", f"venues/_room_{name}.html")
    if template == "venues/room_edit.html" and not extra.get("errors"):
        return redirect("venues_room_edit", pk=room.pk)
    context = _manage_context(request, room, **extra)
    if "form" not in context:
        context["form"] = RoomSettingsForm(
            instance=room,
            system_admin=can_manage_rooms(request.user),
        )
    # htmx swaps only 2xx answers: the fragment carries its errors with a 200; a plain form
    # post that failed gets the whole page with 422.
    failed = extra.get("errors") and template == "venues/room_edit.html"
    return render(request, template, context, status=422 if failed else 200)


@login_required
@require_POST
@room_admin_view
def photo_add(request: AuthedRequest, room: Room) -> HttpResponse:
    form = PhotoForm(request.POST, request.FILES)
    errors: list[str] = []
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
    else:
        try:
            room_services.add_photo(
                room,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                actor=request.user,
            )
        except DomainError as exc:  # the panel shows it beside the upload field
            if exc.status in (403, 404):
                raise
            errors = [str(exc.message)]
    return _fragment(request, room, "photos", photo_errors=errors, errors=bool(errors))


@login_required
@require_POST
@room_admin_view
def photo_delete(request: AuthedRequest, room: Room, photo_pk: int) -> HttpResponse:
    photo = get_object_or_404(RoomPhoto, pk=photo_pk, room=room)
    room_services.delete_photo(photo, actor=request.user)
    return _fragment(request, room, "photos")


@login_required
def photo_file(request: AuthedRequest, pk: int, photo_pk: int) -> FileResponse:
    """The photo's bytes, to whoever may see the room, with the type checked at upload."""
    room = _room(request, pk)
    photo = get_object_or_404(RoomPhoto, pk=photo_pk, room=room)
    response = stored_file(
        photo.image.open("rb"),
        filename=(photo.image.name or "photo").rsplit("/", 1)[-1],
        content_type=photo.content_type,
        inline=True,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
@room_admin_view
def blackout_add(request: AuthedRequest, room: Room) -> HttpResponse:
    form = BlackoutForm(request.POST)
    errors: list[str] = []
    clashes: list[dict[str, Any]] = []
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
    else:
        data = form.cleaned_data
        try:
            room_services.add_blackout(
                room,
                start=_aware(data["start"]),
                end=_aware(data["end"]),
                reason=data["reason"],
                actor=request.user,
            )
        except (
            DomainError
        ) as exc:  # the panel keeps the dates typed and lists the clashing bookings
            if exc.status in (403, 404):
                raise
            errors = [str(exc.message)]
            clashes = [
                {
                    **b,
                    "start": datetime.fromisoformat(b["start"]),
                    "end": datetime.fromisoformat(b["end"]),
                }
                for b in exc.details.get("bookings", [])
            ]
    return _fragment(
        request,
        room,
        "blackouts",
        blackout_errors=errors,
        clashes=clashes,
        blackout_form=form if errors else BlackoutForm(),
        errors=bool(errors),
    )


def _aware(value: Any) -> Any:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@login_required
@require_POST
@room_admin_view
def blackout_delete(request: AuthedRequest, room: Room, blackout_pk: int) -> HttpResponse:
    blackout = get_object_or_404(room.blackouts.all(), pk=blackout_pk)
    room_services.remove_blackout(blackout, actor=request.user)
    return _fragment(request, room, "blackouts")


# ---------------------------------------------------------------- external venues


@login_required
def external_venues(request: AuthedRequest) -> HttpResponse:
    venues = selectors.external_venues_visible_to(request.user)
    return render(
        request,
        "venues/external_venues.html",
        {"venues": venues, "can_manage": can_manage_rooms(request.user)},
    )


@login_required
def external_venue_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    if not can_manage_rooms(request.user):
        raise _forbidden()
    venue = None
    if pk is not None:
        venue = selectors.get_external_venue_for_user(request.user, pk)
    form = ExternalVenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        with errors_onto(form):
            room_services.save_external_venue(venue, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Venue saved."))
            return redirect("venues_external_venues")
    return render(request, "venues/external_venue_edit.html", {"form": form, "venue": venue})


# ---------------------------------------------------------------- my waiting list


@login_required
def my_waitlist(request: AuthedRequest) -> HttpResponse:
    entries = selectors.waitlist_of(request.user)[:200]
    template = htmx_template(request, "venues/waitlist.html", "venues/_waitlist.html")
    return render(request, template, {"entries": entries})


@login_required
@require_POST
def waitlist_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = selectors.get_waitlist_entry_for_user(request.user, pk)
    waitlist_services.withdraw_waitlist_entry(entry, actor=request.user)
    messages.success(request, _("You left the waiting list."))
    if getattr(request, "htmx", None):
        return my_waitlist(request)
    return redirect("venues_waitlist")
