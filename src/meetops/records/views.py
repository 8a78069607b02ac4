"""Archive pages: search, a meeting's dossier, document history and downloads, yearly review,
destruction, access log, classification scheme. Each view loads, authorises, calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.errors import DomainError, NotFound
from meetops.core.web import AuthedRequest, htmx_template, paginated
from meetops.meetings.selectors import get_meeting_for_user
from meetops.records import exports, forms, selectors, services
from meetops.records.api import file_response
from meetops.records.decisions import DESTRUCTION
from meetops.records.models import AccessAction, Category, Dossier, DossierStatus, PaperItem
from meetops.records.permissions import (
    can_change_dossier,
    can_file_meeting,
    is_archivist,
)

AREA = {"nav_area": "archive"}


def _found(load: Callable[[], Any]) -> Any:
    try:
        return load()
    except NotFound as exc:
        raise Http404 from exc


def _archivist(request: AuthedRequest) -> None:
    if not is_archivist(request.user):
        raise Forbidden


def _run(request: AuthedRequest, call: Callable[[], Any], done: str) -> None:
    try:
        call()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)


def _invalid(request: AuthedRequest, form: Any) -> None:
    errors = "; ".join(
        f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip()
        for f, e in form.errors.items()
    )
    messages.error(request, errors)


@login_required
def search(request: AuthedRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {}
    documents = selectors.search_documents(request.user, **filters)
    context = {"form": form, **paginated(request, documents, selectors.PAGE), **AREA}
    context["archivist"] = is_archivist(request.user)
    return render(
        request, htmx_template(request, "records/search.html", "records/_results.html"), context
    )


@login_required
def meeting_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    """The meeting's dossier, or the button that files it."""
    meeting = _found(lambda: get_meeting_for_user(request.user, pk))
    dossier = Dossier.objects.filter(meeting=meeting).first()
    if request.method == "POST":
        if not can_file_meeting(request.user, meeting):
            raise Forbidden
        _run(request, lambda: services.file_meeting(meeting, actor=request.user), _("Filed."))
        dossier = Dossier.objects.filter(meeting=meeting).first()
    if dossier is not None:
        return redirect("records:dossier", pk=dossier.pk)
    can_file = can_file_meeting(request.user, meeting)
    return render(
        request, "records/not_filed.html", {"meeting": meeting, "can_file": can_file, **AREA}
    )


@login_required
def dossier(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _found(lambda: selectors.get_dossier_for_user(request.user, pk))
    services.log_dossier_view(found, actor=request.user)
    user = request.user
    today = timezone.localdate()
    context = {
        "dossier": found,
        "meeting": found.meeting,
        "documents": selectors.documents_of(found),
        "missing": selectors.missing_categories(found),
        "paper_items": selectors.paper_items_of(found),
        "destructions": found.destructions.select_related("proposed_by", "decided_by"),
        "can_change": can_change_dossier(user, found),
        "can_file": found.status == DossierStatus.FILED and can_file_meeting(user, found.meeting),
        "archivist": is_archivist(user),
        "due": found.retain_until is not None
        and found.retain_until < today
        and found.status != DossierStatus.DESTROYED,
        "upload_form": forms.UploadForm(),
        "paper_form": forms.PaperForm(),
        "lend_form": forms.LendForm(),
        "reason_form": forms.ReasonForm(),
        **AREA,
    }
    return render(request, "records/dossier.html", context)


def _upload(request: AuthedRequest, found: Dossier) -> None:
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, form)
    d = form.cleaned_data
    _run(
        request,
        lambda: services.add_document(
            found, actor=request.user, category=d["category"], title=d["title"], upload=d["file"]
        ),
        _("Archived."),
    )


def _paper(request: AuthedRequest, found: Dossier) -> None:
    form = forms.PaperForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    _run(
        request,
        lambda: services.register_paper_item(found, actor=request.user, fields=form.cleaned_data),
        _("Paper item registered."),
    )


def _item(request: AuthedRequest, found: Dossier) -> PaperItem:
    item = (
        found.paper_items.filter(pk=request.POST.get("item") or 0).first()
        if str(request.POST.get("item", "")).isdigit()
        else None
    )
    if item is None:
        raise Http404
    return item


def _lend(request: AuthedRequest, found: Dossier) -> None:
    item = _item(request, found)
    form = forms.LendForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    d = form.cleaned_data
    _run(
        request,
        lambda: services.lend_item(
            item, actor=request.user, borrower=d["borrower"], due_back=d["due_back"]
        ),
        _("Lent out."),
    )


def _return(request: AuthedRequest, found: Dossier) -> None:
    item = _item(request, found)
    _run(request, lambda: services.return_item(item, actor=request.user), _("Returned."))


def _gather(request: AuthedRequest, found: Dossier) -> None:
    _run(
        request,
        lambda: services.file_meeting(found.meeting, actor=request.user),
        _("Gathered what is new."),
    )


def _finalise(request: AuthedRequest, found: Dossier) -> None:
    _run(request, lambda: services.finalise_dossier(found, actor=request.user), _("Finally filed."))


def _propose(request: AuthedRequest, found: Dossier) -> None:
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    _run(
        request,
        lambda: services.propose_destruction(
            found, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Destruction proposed; a leader decides."),
    )


DOSSIER_ACTIONS: dict[str, Callable[[AuthedRequest, Dossier], None]] = {
    "gather": _gather,
    "upload": _upload,
    "finalise": _finalise,
    "paper": _paper,
    "lend": _lend,
    "return": _return,
    "propose": _propose,
}


@login_required
@require_POST
def dossier_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    found = _found(lambda: selectors.get_dossier_for_user(request.user, pk))
    if action not in DOSSIER_ACTIONS:
        raise Http404
    DOSSIER_ACTIONS[action](request, found)
    return redirect("records:dossier", pk=found.pk)


@login_required
def document(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _found(lambda: selectors.get_document_for_user(request.user, pk))
    can_change = can_change_dossier(request.user, found.dossier)
    form = forms.CorrectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_change:
            raise Forbidden
        if form.is_valid():
            d = form.cleaned_data
            _run(
                request,
                lambda: services.correct_document(
                    found, actor=request.user, upload=d["file"], reason=d["reason"]
                ),
                _("Correction archived as a new version."),
            )
            return redirect("records:document", pk=found.pk)
    context = {
        "document": found,
        "dossier": found.dossier,
        "versions": selectors.versions_of(found),
        "form": form,
        "can_change": can_change,
        **AREA,
    }
    return render(request, "records/document.html", context)


@login_required
def download(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _found(lambda: selectors.get_document_for_user(request.user, pk))
    number = request.GET.get("version", "")
    version = _found(lambda: selectors.version_of(found, int(number) if number.isdigit() else None))
    inline = request.GET.get("view") == "1"
    action = AccessAction.VIEW if inline else AccessAction.DOWNLOAD
    try:
        data = services.open_version(version, actor=request.user, action=action)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("records:document", pk=found.pk)
    return file_response(data, version, inline=inline)


@login_required
def review(request: AuthedRequest) -> HttpResponse:
    _archivist(request)
    year_text = request.GET.get("year") or request.POST.get("year") or ""
    year = (
        int(year_text)
        if year_text.isdigit() and 1900 <= int(year_text) <= 9999
        else timezone.localdate().year
    )
    if request.method == "POST":
        form = forms.NoteForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.record_year_review(
                    year, actor=request.user, note=form.cleaned_data["note"]
                ),
                _("Review recorded; complete dossiers are finally filed."),
            )
        return redirect(f"{request.path}?year={year}")
    from meetops.records.models import YearReview

    context = {
        "year": year,
        "years": sorted(set(selectors.years_with_dossiers()) | {year}, reverse=True),
        "dossiers": selectors.dossiers_of_year(request.user, year),
        "review": YearReview.objects.filter(year=year).select_related("reviewed_by").first(),
        "form": forms.NoteForm(),
        **AREA,
    }
    return render(request, "records/review.html", context)


@login_required
def destruction(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not (is_archivist(user) or user.has_role("leader")):
        raise Forbidden
    proposals = list(selectors.open_proposals(user))
    for p in proposals:
        p.can_decide = DESTRUCTION.can_decide(user, p)  # type: ignore[attr-defined]
    context = {
        "due": selectors.due_for_destruction(user) if is_archivist(user) else [],
        "proposals": proposals,
        "register": selectors.destruction_register()[:50] if is_archivist(user) else [],
        "form": forms.NoteForm(),
        **AREA,
    }
    return render(request, "records/destruction.html", context)


@login_required
@require_POST
def destruction_decide(request: AuthedRequest, pk: int, decision: str) -> HttpResponse:
    found = _found(lambda: selectors.get_destruction_for_user(request.user, pk))
    note = forms.NoteForm(request.POST)
    text = note.cleaned_data["note"] if note.is_valid() else ""
    if decision == "approve":
        _run(
            request,
            lambda: services.approve_destruction(found, actor=request.user, note=text),
            _("Approved: the files are destroyed and the register updated."),
        )
    elif decision == "reject":
        _run(
            request,
            lambda: services.reject_destruction(found, actor=request.user, note=text),
            _("Rejected."),
        )
    else:
        raise Http404
    return redirect("records:destruction")


@login_required
def register_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    _archivist(request)
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    rows = list(selectors.destruction_register())
    if fmt == "xlsx":
        content, media = exports.register_xlsx(rows), exports.XLSX
    else:
        content, media = exports.register_pdf(rows), "application/pdf"
    response = HttpResponse(content, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="destruction-register.{fmt}"'
    return response


@login_required
def access_log(request: AuthedRequest) -> HttpResponse:
    _archivist(request)
    context = {**paginated(request, selectors.access_log(), 50), **AREA}
    return render(request, "records/access_log.html", context)


@login_required
def scheme(request: AuthedRequest) -> HttpResponse:
    _archivist(request)
    current = services.scheme()
    if request.method == "POST":
        _save_scheme_or_category(request)
        return redirect("records:scheme")
    context = {
        "categories": Category.objects.select_related("retention").prefetch_related("required_for"),
        "scheme": current,
        "scheme_form": forms.SchemeForm(
            initial={
                "file_name_pattern": current.file_name_pattern,
                "number_pattern": current.number_pattern,
            }
        ),
        "new_form": forms.CategoryForm(),
        **AREA,
    }
    return render(request, "records/scheme.html", context)


def _save_scheme_or_category(request: AuthedRequest) -> None:
    if "number_pattern" in request.POST:
        form: Any = forms.SchemeForm(request.POST)
        if not form.is_valid():
            return _invalid(request, form)
        _run(
            request,
            lambda: services.save_scheme(actor=request.user, **form.cleaned_data),
            _("Naming rules saved."),
        )
        return None
    pk = request.POST.get("category", "")
    existing = Category.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    form = forms.CategoryForm(
        request.POST, instance=Category.objects.filter(pk=existing.pk).first() if existing else None
    )
    if not form.is_valid():
        return _invalid(request, form)
    fields = {k: v for k, v in form.cleaned_data.items() if k != "required_for"}
    kinds = form.cleaned_data["required_for"]
    _run(
        request,
        lambda: services.save_category(
            existing, actor=request.user, fields=fields, required_for=kinds
        ),
        _("Category saved."),
    )
    return None
