"""Follow-up pages: the tracking board (+ Excel), the leadership summary (+ PDF), an item's page
with its timeline, and the item's moves (progress, comment, due date, escalate, answer, accept,
send back, done, cooperating departments)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meetops.core.downloads import stored_file
from meetops.core.web import AuthedRequest, cleaned
from meetops.followup import exports, forms, permissions, selectors, services
from meetops.followup.models import ActionUpdate, Escalation
from meetops.meetings.selectors import meeting_titles_for
from meetops.minutes import services as minutes_services
from meetops.minutes.models import ActionItem, ActionState
from meetops.people.models import User
from meetops.people.selectors import by_name


def _board_filter(request: AuthedRequest) -> tuple[forms.BoardFilterForm, selectors.BoardFilter]:
    visible = selectors.items_for(request.user)
    owners = by_name(User.objects.filter(pk__in=visible.values("owner_id")))
    form = forms.BoardFilterForm(request.GET or None, owners=owners)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.BoardFilter(
        department=data.get("department"),
        owner=data.get("owner"),
        meeting_id=data.get("meeting"),
        state=data.get("state") or "",
        overdue=bool(data.get("overdue")),
        due_this_week=bool(data.get("due_this_week")),
    )


@login_required
def board(request: AuthedRequest) -> HttpResponse:
    """Every item the user may follow, filtered, with counts and the on-time rate (P8.1, P8.8)."""
    form, board_filter = _board_filter(request)
    rows, totals = selectors.board(request.user, board_filter)
    if request.GET.get("format") == "xlsx":
        return exports.download(exports.board_xlsx(rows, reader=request.user), "followup.xlsx")
    # Every meeting of the items the reader follows, in one query for both the rows and the
    # filter; only those the reader may see are offered, as the filter would name the others.
    meeting_titles = meeting_titles_for(
        request.user, selectors.items_for(request.user).values("meeting_id")
    )
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "followup/board.html",
        {
            "form": form,
            "rows": rows,
            "totals": totals,
            "meeting_choices": list(meeting_titles.items())[:200],
            "meeting_titles": meeting_titles,
            "chosen_meeting": board_filter.meeting_id,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "whole": permissions.sees_whole_board(request.user),
            "nav_area": "followup",
        },
    )


@login_required
def summary(request: AuthedRequest) -> HttpResponse:
    """The leadership summary (P8.10): organisers, leaders and admins."""
    if not permissions.sees_whole_board(request.user):
        raise Forbidden
    data = selectors.summary(request.user)
    if request.GET.get("format") == "pdf":
        return exports.download(exports.summary_pdf(data), "followup-summary.pdf")
    return render(request, "followup/summary.html", {"summary": data, "nav_area": "followup"})


def _context(request: AuthedRequest, action: selectors.BoardItem) -> dict[str, Any]:
    user = request.user
    timeline = selectors.timeline_of(action)
    done_unaccepted = action.state == ActionState.DONE and not action.accepted
    return {
        "action": action,
        "meeting_title": meeting_titles_for(user, [action.meeting_id])[action.meeting_id],
        "timeline": timeline,
        "entries": _entries(timeline),
        "today": timezone.localdate(),
        "can_progress": action.is_live and permissions.can_report_progress(user, action),
        "can_comment": permissions.can_comment(user, action),
        "can_steer": action.is_live and permissions.can_steer(user, action),
        "can_raise": action.is_live and permissions.can_raise(user, action),
        "can_urge": action.is_live
        and action.due_date is not None
        and action.due_date < timezone.localdate()
        and action.owner_id is not None
        and permissions.can_urge(user, action),
        "can_review": done_unaccepted and permissions.can_review(user, action),
        "answerable": {e.pk for e in timeline.escalations if permissions.can_answer(user, e)},
        "forms": {
            "progress": forms.ProgressForm(initial={"percent": timeline.percent or 0}),
            "comment": forms.CommentForm(),
            "due": forms.DueDateForm(initial={"due_date": action.due_date}),
            "escalate": forms.EscalationForm(),
            "urge": forms.UrgeForm(),
            "answer": forms.AnswerForm(),
            "accept": forms.AcceptForm(),
            "return": forms.ReturnForm(),
            "done": forms.DoneForm(),
            "cooperation": forms.CooperationForm(
                initial={"departments": [c.department_id for c in action.cooperations.all()]}
            ),
        },
        "nav_area": "followup",
    }


def _entries(timeline: selectors.Timeline) -> list[tuple[str, Any]]:
    """The timeline's rows of every kind, newest first."""
    rows: list[tuple[str, Any]] = [("update", u) for u in timeline.updates]
    rows += [("due", c) for c in timeline.due_changes]
    rows += [("escalation", e) for e in timeline.escalations]
    rows += [("review", r) for r in timeline.reviews]
    return sorted(rows, key=lambda r: (r[1].created_at, r[1].pk), reverse=True)


@login_required
def item(request: AuthedRequest, action_id: int) -> HttpResponse:
    action = selectors.get_item_for_user(request.user, action_id)
    return render(request, "followup/item.html", _context(request, action))


def _escalation(action: ActionItem, request: AuthedRequest) -> Escalation:
    return get_object_or_404(action.escalations, pk=request.POST.get("escalation") or 0)


# Each move: the form it reads and what it does with the cleaned data.
MOVES: dict[str, tuple[type, Callable[..., Any], Any]] = {
    "progress": (
        forms.ProgressForm,
        lambda a, u, d, r: services.post_progress(a, actor=u, **d),
        gettext_lazy("Progress reported."),
    ),
    "comment": (
        forms.CommentForm,
        lambda a, u, d, r: services.add_comment(a, actor=u, **d),
        gettext_lazy("Comment added."),
    ),
    "due": (
        forms.DueDateForm,
        lambda a, u, d, r: services.change_due_date(a, actor=u, **d),
        gettext_lazy("Due date changed."),
    ),
    "escalate": (
        forms.EscalationForm,
        lambda a, u, d, r: services.raise_escalation(
            a, actor=u, kind=d["kind"], text_=d["text"], leaders=list(d["leaders"])
        ),
        gettext_lazy("The problem was reported upwards."),
    ),
    "urge": (
        forms.UrgeForm,
        lambda a, u, d, r: services.urge_owner(a, actor=u, **d),
        gettext_lazy("The owner was urged; they have been notified."),
    ),
    "answer": (
        forms.AnswerForm,
        lambda a, u, d, r: services.answer_escalation(_escalation(a, r), actor=u, **d),
        gettext_lazy("Answer sent."),
    ),
    "accept": (
        forms.AcceptForm,
        lambda a, u, d, r: services.accept_action(a, actor=u, **d),
        gettext_lazy("Accepted."),
    ),
    "return": (
        forms.ReturnForm,
        lambda a, u, d, r: services.return_action(a, actor=u, **d),
        gettext_lazy("Sent back to the owner."),
    ),
    "done": (
        forms.DoneForm,
        lambda a, u, d, r: minutes_services.update_action(a, actor=u, state=ActionState.DONE, **d),
        gettext_lazy("Marked done; waiting for acceptance."),
    ),
    "assign": (
        forms.AssignForm,
        lambda a, u, d, r: services.assign_action(a, actor=u, owner=d["owner"]),
        gettext_lazy("The item has a new owner."),
    ),
    "cooperation": (
        forms.CooperationForm,
        lambda a, u, d, r: services.set_cooperating_departments(
            a, actor=u, departments=list(d["departments"])
        ),
        gettext_lazy("Cooperating departments saved."),
    ),
}


@login_required
@require_POST
def item_move(request: AuthedRequest, action_id: int, move: str) -> HttpResponse:
    action = selectors.get_item_for_user(request.user, action_id)
    if move not in MOVES:
        raise Http404
    form_class, run, done_message = MOVES[move]
    run(action, request.user, cleaned(form_class(request.POST, request.FILES)), request)
    messages.success(request, str(done_message))
    return redirect("followup:item", action_id=action.pk)


@login_required
def attachment(request: AuthedRequest, action_id: int, update_id: int) -> FileResponse:
    """An attachment, for whoever may follow the item; typed by its checked content, never sniffed."""
    action = selectors.get_item_for_user(request.user, action_id)
    update = get_object_or_404(ActionUpdate, action=action, pk=update_id)
    if not update.attachment:
        raise Http404
    name = (update.attachment.name or "").rsplit("/", 1)[-1]
    return stored_file(
        update.attachment.open("rb"),
        filename=name,
        content_type=update.attachment_type or "application/octet-stream",
        inline=update.attachment_type.startswith("image/"),
    )
