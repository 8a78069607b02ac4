"""Meeting pages. Each view parses, loads with authorisation, calls one service, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core import textsearch
from meetops.core.errors import DomainError, ValidationFailed
from meetops.core.registry import registry
from meetops.core.selectors import audit_entries_for
from meetops.core.textsearch import with_snippets
from meetops.core.web import AuthedRequest, errors_onto, htmx_template, paginated
from meetops.meetings import calendar, search, services
from meetops.meetings.areas import meeting_areas
from meetops.meetings.forms import MeetingFilterForm, MeetingForm, TransitionForm
from meetops.meetings.models import Meeting, Stage
from meetops.meetings.permissions import can_create_meeting, can_manage_meeting, can_override_steps
from meetops.meetings.selectors import get_meeting_for_user, search_meetings

PAGE_SIZE = 20


def load_meeting(request: AuthedRequest, pk: int, *, write: bool = False) -> Meeting:
    """The loader every meeting view starts with: 404 if hidden, 403 if read-only."""
    return get_meeting_for_user(request.user, pk, write=write)


@login_required
def meeting_list(request: AuthedRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET)
    filters = form.filters()
    meetings = search_meetings(request.user, **filters)
    context = {
        "form": form,
        "can_create": can_create_meeting(request.user),
        **paginated(request, meetings, PAGE_SIZE, count_up_to=textsearch.COUNT_UP_TO),
    }
    with_snippets(context["page"].object_list, filters.get("q", ""), search.snippet_fields)
    template = htmx_template(request, "meetings/list.html", "meetings/_results.html")
    return render(request, template, context)


@login_required
def meeting_calendar(request: AuthedRequest) -> HttpResponse:
    view = calendar.View.parse(request.GET.get("view"), request.GET.get("date"))
    context = {"cal": calendar.build(request.user, view)}
    return render(
        request,
        htmx_template(request, "meetings/calendar.html", "meetings/_calendar.html"),
        context,
    )


def _save_form(
    request: AuthedRequest, form: MeetingForm, meeting: Meeting | None
) -> Meeting | None:
    """Call the service; a DomainError lands on the field it names."""
    if not form.is_valid():
        return None
    with errors_onto(form):
        if meeting is None:
            return services.create_meeting(actor=request.user, **form.cleaned_data)
        return services.update_meeting(meeting, actor=request.user, **form.cleaned_data)
    return None


@login_required
def meeting_create(request: AuthedRequest) -> HttpResponse:
    if not can_create_meeting(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and (meeting := _save_form(request, form, None)):
        messages.success(request, _("The meeting was created."))
        return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": None})


@login_required
def meeting_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = load_meeting(request, pk, write=True)
    form = MeetingForm.for_meeting(meeting, request.POST or None)
    if request.method == "POST" and (saved := _save_form(request, form, meeting)):
        messages.success(request, _("The meeting was saved."))
        # What other apps said about following a new time (a room that could not move).
        for note in getattr(saved, "reschedule_notes", []):
            messages.warning(request, note)
        return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


def detail_context(request: AuthedRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    """Everything the meeting page and its htmx fragment show."""
    user = request.user
    manage = can_manage_meeting(user, meeting)
    return {
        "meeting": meeting,
        "transitions": [Stage(t) for t in services.allowed_transitions(meeting)] if manage else [],
        "can_manage": manage,
        "areas": meeting_areas(user, meeting, manage),
        "can_override": can_override_steps(user, meeting),
        "participants": meeting.participants.select_related("user", "contact").order_by(
            "role", "name_pinyin", "name_strokes", "id"
        ),
        "history": audit_entries_for(user, object_type="meeting", object_id=str(meeting.pk))[:8],
        # What other apps show on the page (policy: the process), for their meeting_links.
        **{
            key: value
            for hook in registry["meeting_hooks"].ordered()
            if hook.page_context is not None
            for key, value in hook.page_context(user, meeting).items()
        },
        **extra,
    }


def render_detail(request: AuthedRequest, meeting: Meeting, **extra: Any) -> HttpResponse:
    """The whole page, or only its body for htmx actions."""
    template = htmx_template(request, "meetings/detail.html", "meetings/_body.html")
    return render(request, template, detail_context(request, meeting, **extra))


@login_required
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return render_detail(request, load_meeting(request, pk))


@login_required
@require_POST
def meeting_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = load_meeting(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("Choose a stage."), "stage_required")
    try:
        meeting = services.transition_meeting(meeting, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        if exc.code != "steps_open":
            raise
        # Open steps are not only refused: the page lists them beside the override form.
        return render_detail(
            request,
            meeting,
            error=str(exc.message),
            error_code=exc.code,
            blocked=exc.details.get("steps"),
            blocked_to=Stage(form.cleaned_data["to"]),
        )
    notice = _("The meeting is now “%(stage)s”.") % {"stage": Stage(meeting.stage).label}
    if not request.htmx:
        messages.success(request, notice)
        return redirect("meeting_detail", pk=pk)
    return render_detail(request, meeting, notice=notice)
