"""Minutes pages (editor, review, published view, history, exports) and action item pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.errors import DomainError, ValidationFailed
from meetops.core.web import AuthedRequest, errors_onto, htmx_template, say_saved
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user, meeting_titles_for
from meetops.minutes import services
from meetops.minutes.attendance import attendance_of
from meetops.minutes.decisions import REVIEW
from meetops.minutes.forms import ActionForm, ActionStateForm, parse_editor
from meetops.minutes.models import ActionState, Minutes, MinutesState
from meetops.minutes.permissions import (
    can_edit_now,
    can_manage_actions,
    can_publish_minutes,
    can_read_draft,
    can_update_action,
    can_write_minutes,
)
from meetops.minutes.selectors import (
    MinutesDocument,
    actions_of,
    actions_visible_to,
    decisions_of,
    document_of,
    get_action_for_user,
    readable_document,
    revisions_of,
    unheld_items,
)
from meetops.people.models import User
from meetops.people.selectors import by_name


def _load(request: AuthedRequest, pk: int) -> Meeting:
    return get_meeting_for_user(request.user, pk)


def _context(request: AuthedRequest, doc: MinutesDocument, **extra: Any) -> dict[str, Any]:
    user, meeting, minutes = request.user, doc.meeting, doc.minutes
    editable = can_edit_now(user, minutes) if minutes else can_write_minutes(user, meeting)
    return {
        "meeting": meeting,
        "doc": doc,
        "minutes": minutes,
        "editable": editable,
        # The flow's answer: a host who submitted the minutes sees no buttons; the organisers do.
        "can_review": minutes is not None and REVIEW.can_decide(user, minutes),
        "can_publish": can_publish_minutes(user, meeting),
        "can_write": can_write_minutes(user, meeting),
        "attendance": attendance_of(meeting),
        "actions": list(actions_of(meeting)),
        # Approving or publishing now needs the reviewer's word: these items were not held yet.
        "unheld": unheld_items(meeting)
        if minutes is not None and minutes.state in (MinutesState.SUBMITTED, MinutesState.APPROVED)
        else [],
        **extra,
    }


def _readable_doc(request: AuthedRequest, meeting: Meeting) -> MinutesDocument | None:
    """The document this user may read, or None when it is not published for them."""
    return readable_document(request.user, meeting)


@login_required
def minutes_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: the editor, the review page or the published text. POST: save the editor."""
    meeting = _load(request, pk)
    if request.method == "POST":
        return _save(request, meeting)
    doc = _readable_doc(request, meeting)
    if doc is None:
        return render(request, "minutes/not_published.html", {"meeting": meeting})
    return render(request, "minutes/page.html", _context(request, doc))


def _save(request: AuthedRequest, meeting: Meeting) -> HttpResponse:
    if not can_read_draft(request.user, meeting):
        raise Forbidden
    fields, typed = parse_editor(request.POST)
    try:
        services.save_minutes(meeting, actor=request.user, **fields)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        # Re-render with exactly what was typed: nothing is lost on an error.
        doc = document_of(meeting, for_editing=True)
        doc.sections, doc.notes = typed, fields["notes"]
        doc.summary, doc.action_plan = fields["summary"], fields["action_plan"]
        problems = [str(r["message"]) for r in exc.details.get("rows", [])]
        template = htmx_template(request, "minutes/page.html", "minutes/_editor.html")
        ctx = _context(
            request,
            doc,
            error=str(exc.message),
            problems=problems,
            typed_revision=fields["revision"],
        )
        return render(
            request, template, ctx, status=200 if template.endswith("_editor.html") else 422
        )
    if htmx_template(request, "", "x"):
        ctx = _context(request, document_of(meeting, for_editing=True), saved=True)
        return render(request, "minutes/_editor.html", ctx)
    messages.success(request, _("Minutes saved."))
    return redirect("minutes", pk=meeting.pk)


MOVES = {
    "submit": lambda m, u, p: services.submit_minutes(m, actor=u),
    "approve": lambda m, u, p: services.approve_minutes(
        m, actor=u, confirm_unheld=p.get("confirm_unheld") == "1"
    ),
    "return": lambda m, u, p: services.return_minutes(m, actor=u, comment=p.get("comment", "")),
    "publish": lambda m, u, p: services.publish_minutes(
        m, actor=u, confirm_unheld=p.get("confirm_unheld") == "1"
    ),
    "reopen": lambda m, u, p: services.reopen_minutes(m, actor=u, reason=p.get("reason", "")),
}
DONE = {
    "submit": _("Submitted for review."),
    "approve": _("Minutes approved."),
    "return": _("Returned to the writer."),
    "publish": _("Minutes published; the participants are being told."),
    "reopen": _("A new revision is open for changes."),
}


@login_required
@require_POST
def minutes_move(request: AuthedRequest, pk: int, move: str) -> HttpResponse:
    meeting = _load(request, pk)
    if move not in MOVES:
        raise Http404
    if not can_read_draft(request.user, meeting):
        raise Forbidden
    minutes = get_object_or_404(Minutes, meeting=meeting)
    minutes.meeting = meeting
    MOVES[move](minutes, request.user, request.POST)
    messages.success(request, str(DONE[move]))
    return redirect("minutes", pk=meeting.pk)


@login_required
def minutes_history(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    if not can_read_draft(request.user, meeting):
        raise Forbidden
    minutes = Minutes.objects.filter(meeting=meeting).first()
    revisions = revisions_of(minutes) if minutes else []
    return render(request, "minutes/history.html", {"meeting": meeting, "revisions": revisions})


# --- action items -------------------------------------------------------------


def _action_form(meeting: Meeting, data: Any = None) -> ActionForm:
    people = by_name(
        User.objects.filter(participations__meeting=meeting, is_active=True).distinct()
    )
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return ActionForm(data, decisions=decisions_of(minutes), people=people)


@login_required
def meeting_actions(request: AuthedRequest, pk: int) -> HttpResponse:
    """The meeting's action items; writers add new ones here."""
    meeting = _load(request, pk)
    manage = can_manage_actions(request.user, meeting)
    form = _action_form(meeting) if manage else None
    if request.method == "POST":
        if not manage:
            raise Forbidden
        form = _action_form(meeting, request.POST)
        if form.is_valid():
            with errors_onto(form):
                services.create_action(meeting, actor=request.user, **form.service_fields())
                messages.success(request, _("Action item added."))
                return redirect("meeting_actions", pk=meeting.pk)
    actions = list(actions_of(meeting))
    return render(
        request,
        "minutes/meeting_actions.html",
        {
            "meeting": meeting,
            "actions": actions,
            "form": form,
            "can_manage": manage,
            "states": ActionState.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
def my_actions(request: AuthedRequest) -> HttpResponse:
    state = request.GET.get("state", "live")
    qs = actions_visible_to(request.user, mine=True)
    if state == "live":
        qs = qs.filter(state__in=[ActionState.OPEN, ActionState.IN_PROGRESS])
    elif state in ActionState.values:
        qs = qs.filter(state=state)
    actions = list(qs[:500])
    return render(
        request,
        "minutes/my_actions.html",
        {
            "actions": actions,
            "meeting_titles": meeting_titles_for(request.user, {a.meeting_id for a in actions}),
            "state": state,
            "nav_area": "actions",
            "states": ActionState.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def action_update(request: AuthedRequest, action_id: int) -> HttpResponse:
    """An owner or writer moves an action along (state, completion note)."""
    action = get_action_for_user(request.user, action_id)
    if not can_update_action(request.user, action):
        raise Forbidden
    form = ActionStateForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("Choose a state."), "state_required")
    updated = services.update_action(action, actor=request.user, **form.cleaned_data)
    say_saved(request, updated, _("Action item updated."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "my_actions")
