"""The security plan's page (P3.7). Load with authorisation, call one service, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core import audit
from meetops.core.web import AuthedRequest, cleaned, errors_onto
from meetops.live.models import SupportTicket, TicketCategory
from meetops.live.permissions import can_take_part
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import User
from meetops.risks.forms import NoteForm
from meetops.risks.models import Level
from meetops.risks.permissions import can_approve_plan, can_edit_risks, can_read_security
from meetops.risks.security import selectors, services
from meetops.risks.security.decisions import SECURITY
from meetops.risks.security.forms import DoorEntryForm, IncidentForm, PostForm, TextsForm


def _load(request: AuthedRequest, pk: int, *, edit: bool = False) -> Meeting:
    """404 for those who may not see the meeting; 403 for those who may see it but not the
    security plan (or not change it)."""
    meeting = get_meeting_for_user(request.user, pk)
    allowed = can_edit_risks if edit else can_read_security
    if not allowed(request.user, meeting):
        raise Forbidden
    return meeting


def _page(
    request: AuthedRequest, meeting: Meeting, status: int = 200, **forms_given: forms.BaseForm
) -> HttpResponse:
    plan = selectors.security_plan_of(meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "plan": plan,
        "posts": selectors.posts_of(plan),
        "door_list": selectors.door_list_of(plan),
        "evacuation": selectors.evacuation_routes(meeting),
        "incidents": selectors.incidents_of(meeting),
        "my_posts": selectors.posts_of_user(request.user, meeting),
        "can_edit": can_edit_risks(request.user, meeting),
        "may_report": can_take_part(request.user, meeting),
        "can_approve": plan.pk is not None and SECURITY.can_decide(request.user, plan),
        "texts_form": forms_given.get("texts") or TextsForm(instance=plan),
        "post_form": forms_given.get("post") or PostForm(meeting=meeting),
        "door_form": forms_given.get("door") or DoorEntryForm(),
        "decision": NoteForm(),
        "levels": Level.choices,
    }
    return render(request, "risks/security_plan.html", context, status=status)


def _form(part: str, request: AuthedRequest, meeting: Meeting) -> forms.Form | forms.ModelForm:
    if part == "texts":
        return TextsForm(request.POST)
    if part == "post":
        return PostForm(request.POST, meeting=meeting)
    if part == "door":
        return DoorEntryForm(request.POST)
    raise Http404


def _save(part: str, form: Any, meeting: Meeting, actor: User) -> bool:
    """The texts, or one line more on the posts / door list (added to them as they are).
    False when the texts were sent as they were: the service wrote nothing."""
    if part == "texts":
        plan = services.save_security_plan(meeting, actor=actor, **form.cleaned_data)
        return not audit.nothing_changed(plan)
    lines = "posts" if part == "post" else "door_list"
    services.add_security_line(meeting, actor=actor, part=lines, row=form.row())
    return True


@login_required
def security_plan(request: AuthedRequest, pk: int) -> HttpResponse:
    """The plan; its three forms (texts, a post, a door-list line) post here, named by `part`."""
    if request.method != "POST":
        return _page(request, _load(request, pk))
    meeting = _load(request, pk, edit=True)
    part = request.POST.get("part", "")
    form = _form(part, request, meeting)
    if form.is_valid():
        with errors_onto(form):
            if _save(part, form, meeting, request.user):
                messages.success(request, _("The security plan is saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("security_plan", pk=meeting.pk)
    return _page(request, meeting, status=422, **{part: form})


@login_required
@require_POST
def remove_line(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take a post (`what=posts`) or a door-list line (`what=door`) off the plan."""
    meeting = _load(request, pk, edit=True)
    what, line_id = request.POST.get("what", ""), request.POST.get("line", "")
    if what not in ("posts", "door") or not line_id.isdigit():
        raise Http404
    part = "posts" if what == "posts" else "door_list"
    services.remove_security_line(meeting, actor=request.user, part=part, line_id=int(line_id))
    return redirect("security_plan", pk=meeting.pk)


@login_required
@require_POST
def door_from_participants(request: AuthedRequest, pk: int) -> HttpResponse:
    """Put everyone on the meeting on the door list (kind normal), keeping the lines there."""
    meeting = _load(request, pk, edit=True)
    rows = selectors.participants_as_door_rows(meeting, selectors.security_plan_of(meeting))
    services.save_security_plan(meeting, actor=request.user, door_list=rows)
    return redirect("security_plan", pk=meeting.pk)


@login_required
@require_POST
def security_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    if action == "submit":
        meeting = _load(request, pk, edit=True)
        services.submit_security_plan(meeting, actor=request.user)
    elif action in ("approve", "return"):
        meeting = get_meeting_for_user(request.user, pk)
        if not can_approve_plan(request.user, meeting):
            raise Forbidden
        note = cleaned(NoteForm(request.POST)).get("note", "")
        services.decide_security_plan(
            meeting, actor=request.user, approve=action == "approve", note=note
        )
    else:
        raise Http404
    return redirect("security_plan", pk=meeting.pk)


@login_required
@require_POST
def record_incident(request: AuthedRequest, pk: int, ticket_id: int) -> HttpResponse:
    """Record a reported security incident as a risk event, once."""
    meeting = _load(request, pk, edit=True)
    ticket = SupportTicket.objects.filter(
        pk=ticket_id, meeting=meeting, category=TicketCategory.SECURITY
    ).first()
    if ticket is None:
        raise Http404
    ticket.meeting = meeting
    level = cleaned(IncidentForm(request.POST))["level"]
    services.record_incident(ticket, actor=request.user, level=level)
    messages.success(request, _("The incident is recorded as a risk event."))
    return redirect("security_plan", pk=meeting.pk)
