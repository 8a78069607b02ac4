"""Seating pages: the plan editor (click a person, click a seat; htmx), chart, name cards, door list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.errors import ValidationFailed
from meetops.core.web import AuthedRequest, cleaned, saved_text
from meetops.meetings.models import Participant
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import User
from meetops.people.names import NameOrder
from meetops.seating import exports, forms, selectors, services
from meetops.seating.models import Seat, SeatPlan
from meetops.seating.permissions import can_arrange_seating


def _plan(request: AuthedRequest, pk: int, plan_id: int, *, write: bool = False) -> SeatPlan:
    """404 for a meeting or plan the user may not see, 403 for one they may see but not arrange."""
    return selectors.get_plan_for_user(request.user, pk, plan_id, write=write)


def _actor(request: AuthedRequest) -> User:
    return request.user


def _board(request: AuthedRequest, plan: SeatPlan, **extra: Any) -> HttpResponse:
    """The plan page, or only its board (grid and people) for htmx."""
    template = "seating/_board.html" if request.htmx else "seating/plan.html"
    return render(request, template, {**exports.board_context(plan, _actor(request)), **extra})


def _done(request: AuthedRequest, plan: SeatPlan, message: str = "") -> HttpResponse:
    """After a move: htmx gets the board again with what happened, a plain form a redirect.

    A refused move never gets here: the error boundary shows it in the page's flash area.
    """
    if request.htmx:
        return _board(request, plan, done=message)
    if message:
        messages.success(request, message)
    return redirect("seating_plan", pk=plan.meeting_id, plan_id=plan.pk)


@login_required
def plans(request: AuthedRequest, pk: int) -> HttpResponse:
    """The meeting's plans; a new plan from a booked room (or rows and columns)."""
    meeting = get_meeting_for_user(request.user, pk)
    can_arrange = can_arrange_seating(request.user, meeting)
    rooms = list(selectors.booked_rooms(meeting))
    if request.method == "POST":
        if not can_arrange:
            raise Forbidden
        form = forms.NewPlanForm(request.POST, rooms=rooms)
        if form.is_valid():
            room = next((r for r in rooms if r.pk == form.cleaned_data["room"]), None)
            plan = services.create_plan(meeting, actor=_actor(request), room=room)
            return redirect("seating_plan", pk=pk, plan_id=plan.pk)
    existing = list(selectors.plans_of(meeting))
    if len(existing) == 1 and request.method == "GET" and not rooms[1:]:
        return redirect("seating_plan", pk=pk, plan_id=existing[0].pk)
    return render(
        request,
        "seating/plans.html",
        {
            "meeting": meeting,
            "plans": existing,
            "can_arrange": can_arrange,
            "form": forms.NewPlanForm(rooms=rooms),
        },
    )


@login_required
def plan(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    return _board(request, _plan(request, pk, plan_id))


@login_required
@require_POST
def click(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    """A seat was clicked: seat the chosen person there, clear it, reserve or block it."""
    plan = _plan(request, pk, plan_id, write=True)
    form = forms.ClickForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("Choose a seat."), "choose_first")
    data = form.cleaned_data
    seat = get_object_or_404(Seat, plan=plan, pk=data["seat"])
    actor, notify = _actor(request), data["notify"]
    if data["action"] == "assign":
        person = Participant.objects.filter(meeting_id=pk, pk=data["participant"] or 0).first()
        if person is None:
            raise ValidationFailed(_("First choose a person, then a seat."), "choose_first")
        services.assign_seat(plan, actor=actor, seat=seat, participant=person, notify_person=notify)
        return _done(
            request,
            plan,
            _("%(name)s: %(seat)s.") % {"name": person.display_name, "seat": seat.label},
        )
    if data["action"] == "clear":
        holder = seat.assignments.select_related("participant").first()
        if holder is not None:
            services.clear_seat(
                plan, actor=actor, participant=holder.participant, notify_person=notify
            )
        return _done(request, plan)
    kind = "blocked" if data["action"] == "block" else "seat"
    reserved = data["action"] == "reserve"
    services.set_seat(plan, actor=actor, seat=seat, kind=kind, reserved=reserved)
    return _done(request, plan)


@login_required
@require_POST
def auto(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    plan = _plan(request, pk, plan_id, write=True)
    form = forms.AutoForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    result = services.auto_assign(
        plan,
        actor=_actor(request),
        keep_manual=data.get("keep_manual", False),
        notify_people=data.get("notify", False),
    )
    return _done(request, plan, exports.auto_message(result))


@login_required
@require_POST
def layout(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    plan = _plan(request, pk, plan_id, write=True)
    data = cleaned(forms.LayoutForm(request.POST))
    size = services.GridSize(
        data["rostrum_rows"],
        data["rostrum_seats"],
        data["rows"],
        data["columns"],
        tuple(data["aisle_columns"]),
    )
    cells = [
        services.CellSpec(s.section, s.row, s.col, s.kind, s.reserved, s.note)
        for s in plan.seats.exclude(kind="seat", reserved=False)
        if s.kind != "aisle"  # aisles come from the aisle columns
    ]
    saved = services.update_layout(
        plan, actor=_actor(request), size=size, name=data["name"], cells=cells
    )
    return _done(request, plan, saved_text(saved, _("Layout saved.")))


@login_required
@require_POST
def precedence(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    plan = _plan(request, pk, plan_id, write=True)
    ids = forms.ranked_ids(request.POST)
    saved = services.set_precedence(plan, actor=_actor(request), participant_ids=ids)
    return _done(request, plan, saved_text(saved, _("Protocol order saved.")))


@login_required
@require_POST
def delete(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    plan = _plan(request, pk, plan_id, write=True)
    services.delete_plan(plan, actor=_actor(request))
    messages.success(request, _("Seat plan deleted."))
    return redirect("seating", pk=pk)


@login_required
def chart(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    plan = _plan(request, pk, plan_id)
    return render(request, "seating/chart.html", exports.chart_context(plan))


@login_required
def chart_pdf(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    plan = _plan(request, pk, plan_id)
    return exports.pdf_response(exports.chart_pdf(plan), f"seat-chart-{plan.pk}.pdf")


@login_required
def cards_pdf(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    plan = _plan(request, pk, plan_id)
    return exports.pdf_response(exports.cards_pdf(plan), f"name-cards-{plan.pk}.pdf")


@login_required
def door_list(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    context = exports.door_context(meeting, ordering=_name_order(request))
    return render(request, "seating/door.html", context)


@login_required
def door_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    pdf = exports.door_pdf(meeting, ordering=_name_order(request))
    return exports.pdf_response(pdf, f"seat-list-{meeting.pk}.pdf")


def _name_order(request: AuthedRequest) -> str:
    wanted = request.GET.get("ordering", "")
    return wanted if wanted in NameOrder.values else NameOrder.PINYIN
