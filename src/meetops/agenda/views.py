"""Agenda editor and meeting plan pages. Each view loads with authorisation, calls one service, renders."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from meetops.agenda import exports, services
from meetops.agenda.conflicts import person_conflicts
from meetops.agenda.forms import AgendaItemForm
from meetops.agenda.permissions import can_edit_agenda
from meetops.agenda.plan import build_plan
from meetops.agenda.schedule import Agenda
from meetops.agenda.selectors import agenda_of, get_item
from meetops.core.downloads import download_response, stored_file
from meetops.core.filetypes import DOCUMENT_TYPES
from meetops.core.web import AuthedRequest, errors_onto, htmx_template
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user


def _load(request: AuthedRequest, pk: int, *, write: bool = False) -> Meeting:
    """404 for those who may not see the meeting, 403 for those who may see but not edit its agenda."""
    meeting = get_meeting_for_user(request.user, pk)
    if write and not can_edit_agenda(request.user, meeting):
        raise Forbidden
    return meeting


def _editor_context(
    request: AuthedRequest, meeting: Meeting, agenda: Agenda | None = None, **extra: Any
) -> dict[str, Any]:
    can_edit = can_edit_agenda(request.user, meeting)
    return {
        "meeting": meeting,
        "agenda": agenda or agenda_of(meeting),
        "conflicts": person_conflicts(meeting, viewer=request.user),
        "can_edit": can_edit,
        "form": extra.pop("form", None) or (AgendaItemForm(meeting=meeting) if can_edit else None),
        **extra,
    }


def _after_write(request: AuthedRequest, meeting: Meeting, **extra: Any) -> HttpResponse:
    """htmx: the refreshed editor fragment; a plain form post: back to the page.

    A refusal never gets here: it goes to the error boundary, or (adding and editing an
    item) back onto the form with what was typed.
    """
    fragment = htmx_template(request, "", "agenda/_editor.html")  # "" = a full page: redirect
    if fragment:
        return render(request, fragment, _editor_context(request, meeting, **extra))
    return redirect("agenda_editor", pk=meeting.pk)


@login_required
def agenda_editor(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    return render(request, "agenda/editor.html", _editor_context(request, meeting))


@login_required
@require_POST
def item_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    form = AgendaItemForm(request.POST, request.FILES, meeting=meeting)
    if form.is_valid():
        with errors_onto(form):
            services.add_item(meeting, actor=request.user, **form.service_fields())
            return _after_write(request, meeting)
    return _form_invalid(request, meeting, form)


def _form_invalid(
    request: AuthedRequest, meeting: Meeting, form: AgendaItemForm, item_id: int | None = None
) -> HttpResponse:
    template = htmx_template(request, "agenda/editor.html", "agenda/_editor.html")
    return render(request, template, _editor_context(request, meeting, form=form, editing=item_id))


@login_required
def item_edit(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    """GET: the edit form in the form panel. POST: save, then the refreshed editor."""
    meeting = _load(request, pk, write=True)
    item = get_item(meeting, item_id)
    if request.method != "POST":
        form = AgendaItemForm(meeting=meeting, item=item)
        template = htmx_template(request, "agenda/editor.html", "agenda/_item_form.html")
        return render(
            request, template, _editor_context(request, meeting, form=form, editing=item.pk)
        )
    form = AgendaItemForm(request.POST, request.FILES, meeting=meeting, item=item)
    if form.is_valid():
        with errors_onto(form):
            services.update_item(item, actor=request.user, **form.service_fields())
            return _after_write(request, meeting)
    return _form_invalid(request, meeting, form, item.pk)


@login_required
@require_POST
def item_delete(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    agenda = services.delete_item(get_item(meeting, item_id), actor=request.user)
    return _after_write(request, meeting, agenda=agenda)


@login_required
@require_POST
def item_move(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    offset = -1 if request.POST.get("direction") == "up" else 1
    agenda = services.move_item(get_item(meeting, item_id), offset=offset, actor=request.user)
    return _after_write(request, meeting, agenda=agenda)


@login_required
@require_POST
def agenda_reorder(request: AuthedRequest, pk: int) -> HttpResponse:
    """The drag-and-drop target: `order` is the comma-separated item ids in their new order."""
    meeting = _load(request, pk, write=True)
    try:
        ids = [int(v) for v in request.POST.get("order", "").split(",") if v.strip()]
    except ValueError:
        return _after_write(request, meeting)
    agenda = services.reorder_agenda(meeting, ordered_ids=ids, actor=request.user)
    return _after_write(request, meeting, agenda=agenda)


@login_required
def item_materials(request: AuthedRequest, pk: int, item_id: int) -> FileResponse:
    """Download an item's materials: whoever may see the meeting.

    The type comes from the extension, which the upload's content was checked against
    (files from before that check go out as bytes); browsers are told not to sniff.
    """
    item = get_item(_load(request, pk), item_id)
    if not item.materials:
        raise Http404
    name = (item.materials.name or "").rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return stored_file(
        item.materials.open("rb"),
        filename=name,
        content_type=DOCUMENT_TYPES.get(ext, "application/octet-stream"),
    )


@login_required
def meeting_plan(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    plan = build_plan(meeting, viewer=request.user)
    return render(request, "agenda/plan.html", {"plan": plan, "meeting": meeting})


def _download(content: bytes, meeting: Meeting, extension: str, content_type: str) -> HttpResponse:
    name = slugify(meeting.title, allow_unicode=True) or f"meeting-{meeting.pk}"
    return download_response(
        content, filename=f"{name}-plan.{extension}", content_type=content_type
    )


@login_required
def meeting_plan_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    pdf = exports.plan_pdf(build_plan(meeting, viewer=request.user))
    return _download(pdf, meeting, "pdf", "application/pdf")


@login_required
def meeting_plan_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    docx = exports.plan_docx(build_plan(meeting, viewer=request.user))
    return _download(
        docx,
        meeting,
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
