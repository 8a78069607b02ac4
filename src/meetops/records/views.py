"""Archive pages: search, a meeting's dossier, document history and downloads, yearly review,
destruction, access log, classification scheme. Each view loads, authorises, calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meetops.core import textsearch
from meetops.core.downloads import download_response
from meetops.core.textsearch import with_snippets
from meetops.core.web import AuthedRequest, cleaned, errors_onto, htmx_template, paginated
from meetops.meetings.permissions import can_view_meeting
from meetops.meetings.selectors import get_meeting_for_user
from meetops.records import forms, inspection, registers, selectors, services
from meetops.records import search as text_index
from meetops.records.api import file_response
from meetops.records.decisions import DESTRUCTION
from meetops.records.models import (
    AccessAction,
    Category,
    DepartmentCode,
    Destruction,
    Dossier,
    DossierStatus,
    FilingStatus,
    PaperItem,
    YearReview,
)
from meetops.records.permissions import (
    can_change_dossier,
    can_file_meeting,
    is_archivist,
)

AREA = {"nav_area": "archive"}


def _archivist(request: AuthedRequest) -> None:
    if not is_archivist(request.user):
        raise Forbidden


@login_required
def search(request: AuthedRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {}
    documents = selectors.search_documents(request.user, **filters)
    page = paginated(request, documents, selectors.PAGE, count_up_to=textsearch.COUNT_UP_TO)
    context = {"form": form, **page, **AREA}
    with_snippets(context["page"].object_list, filters.get("q", ""), text_index.snippet_fields)
    context["archivist"] = is_archivist(request.user)
    return render(
        request, htmx_template(request, "records/search.html", "records/_results.html"), context
    )


@login_required
def meeting_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    """The meeting's dossier, or the button that files it; while the worker files it, how far
    it got (the request is recorded at once, the filing runs in the background)."""
    meeting = get_meeting_for_user(request.user, pk)
    if request.method == "POST":
        if not can_file_meeting(request.user, meeting):
            raise Forbidden
        services.request_filing(meeting, actor=request.user)
        messages.success(request, _asked())
        return redirect("records:meeting", pk=meeting.pk)
    dossier = Dossier.objects.filter(meeting=meeting).first()
    if dossier is not None:
        return redirect("records:dossier", pk=dossier.pk)
    run = selectors.filing_to_show(meeting.pk)
    context = {
        "meeting": meeting,
        "can_file": can_file_meeting(request.user, meeting) and not (run and run.is_open),
        "run": run,
        **AREA,
    }
    return render(request, "records/not_filed.html", context)


def _asked() -> str:
    return _(
        "Filing asked for: it runs in the background. This page shows how far it got; you are "
        "told when it is done."
    )


@login_required
@require_GET
def filing(request: AuthedRequest, pk: int) -> HttpResponse:
    """A filing request's progress, for the page that polls it; once it has ended, the page
    is shown again whole (the dossier, or the reason it failed)."""
    run = selectors.get_filing_for_user(request.user, pk)
    page = (
        reverse("records:dossier", args=[run.dossier_id])
        if run.dossier_id
        else reverse("records:meeting", args=[run.meeting_id])
    )
    if not request.htmx:
        return redirect(page)
    response = render(request, "records/_filing.html", {"run": run, "page_url": page})
    if not run.is_open:
        if run.status == FilingStatus.DONE:
            messages.success(request, _("Filed: the dossier holds the new documents."))
        response["HX-Refresh"] = "true"
    return response


@login_required
def dossier(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.get_dossier_for_user(request.user, pk)
    services.log_dossier_view(found, actor=request.user)
    user = request.user
    today = timezone.localdate()
    report = found.check_reports.select_related("run_by").first()
    run = selectors.filing_to_show(found.meeting_id)
    names = inspection.check_names()
    context = {
        "check_report": report,
        "check_rows": [
            {**r, "name": names.get(str(r["check"]), r["check"])} for r in report.results
        ]
        if report
        else [],
        "dossier": found,
        "meeting": found.meeting,
        "documents": selectors.documents_of(found),
        "missing": selectors.missing_categories(found),
        "paper_items": selectors.paper_items_of(found),
        "destructions": found.destructions.select_related("proposed_by", "decided_by"),
        "can_change": can_change_dossier(user, found),
        "can_file": found.status == DossierStatus.FILED
        and can_file_meeting(user, found.meeting)
        and not (run and run.is_open),
        # An open request shows its progress; a failed one its reason, until filed or asked again.
        "run": run,
        "archivist": is_archivist(user),
        # An archivist may read a dossier of a meeting they may not open: no link to a refusal.
        "can_view_meeting": can_view_meeting(user, found.meeting),
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
    d = cleaned(forms.UploadForm(request.POST, request.FILES))
    services.add_document(
        found, actor=request.user, category=d["category"], title=d["title"], upload=d["file"]
    )
    messages.success(request, _("The document is added to the dossier."))


def _paper(request: AuthedRequest, found: Dossier) -> None:
    fields = cleaned(forms.PaperForm(request.POST))
    services.register_paper_item(found, actor=request.user, fields=fields)
    messages.success(request, _("Paper item registered."))


def _item(request: AuthedRequest, found: Dossier) -> PaperItem:
    item = request.POST.get("item", "")
    return get_object_or_404(found.paper_items, pk=int(item) if item.isdigit() else 0)


def _lend(request: AuthedRequest, found: Dossier) -> None:
    item = _item(request, found)
    d = cleaned(forms.LendForm(request.POST))
    services.lend_item(item, actor=request.user, borrower=d["borrower"], due_back=d["due_back"])
    messages.success(request, _("The paper item is lent out."))


def _return(request: AuthedRequest, found: Dossier) -> None:
    item = _item(request, found)
    services.return_item(item, actor=request.user)
    messages.success(request, _("The paper item is back in the archive."))


def _gather(request: AuthedRequest, found: Dossier) -> None:
    services.request_filing(found.meeting, actor=request.user)
    messages.success(request, _asked())


def _finalise(request: AuthedRequest, found: Dossier) -> None:
    services.finalise_dossier(found, actor=request.user)
    messages.success(request, _("The dossier is finally filed."))


def _propose(request: AuthedRequest, found: Dossier) -> None:
    reason = cleaned(forms.ReasonForm(request.POST))["reason"]
    services.propose_destruction(found, actor=request.user, reason=reason)
    messages.success(request, _("Destruction proposed; a leader decides."))


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
    found = selectors.get_dossier_for_user(request.user, pk)
    if action not in DOSSIER_ACTIONS:
        raise Http404
    DOSSIER_ACTIONS[action](request, found)
    return redirect("records:dossier", pk=found.pk)


@login_required
def document(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.get_document_for_user(request.user, pk)
    can_change = can_change_dossier(request.user, found.dossier)
    form = forms.CorrectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_change:
            raise Forbidden
        if form.is_valid():
            d = form.cleaned_data
            with errors_onto(form):
                services.correct_document(
                    found, actor=request.user, upload=d["file"], reason=d["reason"]
                )
                messages.success(request, _("Correction archived as a new version."))
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
    found = selectors.get_document_for_user(request.user, pk)
    number = request.GET.get("version", "")
    version = selectors.version_of(found, int(number) if number.isdigit() else None)
    inline = request.GET.get("view") == "1"
    action = AccessAction.VIEW if inline else AccessAction.DOWNLOAD
    data = services.open_version(version, actor=request.user, action=action)
    return file_response(data, version, inline=inline)


@login_required
def review(request: AuthedRequest) -> HttpResponse:
    """The yearly review. Recording it finally files every complete dossier of the year, so it
    is asked twice: the first post shows how many will be filed, the second (`confirm`) files."""
    _archivist(request)
    year_text = request.GET.get("year") or request.POST.get("year") or ""
    year = (
        int(year_text)
        if year_text.isdigit() and 1900 <= int(year_text) <= 9999
        else timezone.localdate().year
    )
    dossiers = selectors.dossiers_of_year(request.user, year)
    form = forms.NoteForm(request.POST or None)
    confirming = False
    if request.method == "POST" and form.is_valid():
        expected = request.POST.get("expected", "")
        confirming = not (request.POST.get("confirm") and expected.isdigit())
        if not confirming:
            with errors_onto(form):
                services.record_year_review(
                    year, actor=request.user, note=form.cleaned_data["note"], expected=int(expected)
                )
                messages.success(
                    request, _("Review recorded; complete dossiers are finally filed.")
                )
                return redirect(f"{request.path}?year={year}")
            confirming = True  # the count changed meanwhile: ask again with today's number
            dossiers = selectors.dossiers_of_year(request.user, year)
    to_file = [d for d in dossiers if d.status == DossierStatus.FILED and not d.missing]
    context = {
        "year": year,
        "years": sorted(set(selectors.years_with_dossiers()) | {year}, reverse=True),
        "dossiers": dossiers,
        "review": YearReview.objects.filter(year=year).select_related("reviewed_by").first(),
        "form": form,
        "confirming": confirming,
        "to_file": len(to_file),
        "left_open": sum(1 for d in dossiers if d.status == DossierStatus.FILED and d.missing),
        **AREA,
    }
    return render(request, "records/review.html", context)


class _Decidable(TypedDict):
    can_decide: bool


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    _Proposal = WithAnnotations[Destruction, _Decidable]


@login_required
def destruction(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not (is_archivist(user) or user.has_role("leader")):
        raise Forbidden
    # Each row gets `can_decide` just below, for the template.
    proposals = cast("list[_Proposal]", list(selectors.open_proposals(user)))
    for p in proposals:
        p.can_decide = DESTRUCTION.can_decide(user, p)
    context = {
        "due": selectors.due_for_destruction(user) if is_archivist(user) else [],
        "proposals": proposals,
        "register": selectors.destruction_register()[:50] if is_archivist(user) else [],
        "form": forms.ApproveDestructionForm(),
        **AREA,
    }
    return render(request, "records/destruction.html", context)


@login_required
@require_POST
def destruction_decide(request: AuthedRequest, pk: int, decision: str) -> HttpResponse:
    found = selectors.get_destruction_for_user(request.user, pk)
    form = forms.ApproveDestructionForm(request.POST)
    valid = form.is_valid()
    text = form.cleaned_data["note"] if valid else ""
    if decision == "approve":
        supervisors = list(form.cleaned_data["supervisors"]) if valid else []
        services.approve_destruction(found, actor=request.user, supervisors=supervisors, note=text)
        messages.success(request, _("Approved: the files are destroyed and the register updated."))
    elif decision == "reject":
        services.reject_destruction(found, actor=request.user, note=text)
        messages.success(request, _("The destruction is rejected: the files are kept."))
    else:
        raise Http404
    return redirect("records:destruction")


def _export_response(export: registers.Export) -> HttpResponse:
    response = download_response(
        export.content, filename=export.file_name, content_type=export.media_type
    )
    response["X-Content-SHA256"] = export.sha256
    return response


@login_required
def register_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    _archivist(request)
    if fmt not in registers.FORMATS:
        raise Http404
    return _export_response(registers.export_register(actor=request.user, fmt=fmt))


@login_required
def catalogue_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The 归档文件目录 of ?year= (this year by default), optionally of one ?retention=."""
    _archivist(request)
    if fmt not in registers.FORMATS:
        raise Http404
    form = forms.CatalogueForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else None
    retention = form.cleaned_data.get("retention") if form.is_valid() else None
    return _export_response(
        registers.export_catalogue(actor=request.user, fmt=fmt, year=year, retention=retention)
    )


@login_required
def access_log(request: AuthedRequest) -> HttpResponse:
    _archivist(request)
    context = {**paginated(request, selectors.access_log(), 50), **AREA}
    return render(request, "records/access_log.html", context)


@login_required
def scheme(request: AuthedRequest) -> HttpResponse:
    _archivist(request)
    current = services.scheme()
    refused: forms.SchemeForm | None = None
    if request.method == "POST":
        if "number_pattern" not in request.POST:
            _save_code_or_category(request)
            return redirect("records:scheme")
        refused = forms.SchemeForm(request.POST)
        if _save_scheme(request, refused):
            return redirect("records:scheme")
    context = {
        "categories": Category.objects.select_related("retention").prefetch_related("required_for"),
        "scheme": current,
        "scheme_form": refused
        or forms.SchemeForm(
            initial={name: getattr(current, name) for name in services.SCHEME_FIELDS}
        ),
        "department_codes": DepartmentCode.objects.select_related("department").order_by(
            "department__path"
        ),
        "code_form": forms.DepartmentCodeForm(),
        "new_form": forms.CategoryForm(),
        **AREA,
    }
    return render(request, "records/scheme.html", context, status=422 if refused else 200)


def _save_scheme(request: AuthedRequest, form: forms.SchemeForm) -> bool:
    """Save the naming rules; a refusal stays on the form, beside the field it names."""
    if not form.is_valid():
        return False
    d = dict(form.cleaned_data)
    # A part the form did not send stays as it is (older forms do not send the 档号 parts);
    # a part sent empty is the service's to judge (an empty 门类代码 is refused there).
    for name in ("item_pattern", "class_code", "fonds_code", "fonds_name"):
        if name not in request.POST:
            d[name] = None
    d["item_pattern"] = d["item_pattern"] or None
    with errors_onto(form):
        services.save_scheme(actor=request.user, **d)
        messages.success(request, _("Naming rules saved."))
        return True
    return False


def _save_code_or_category(request: AuthedRequest) -> None:
    if "department" in request.POST:
        d = cleaned(forms.DepartmentCodeForm(request.POST))
        services.save_department_code(d["department"], actor=request.user, code=d["code"])
        messages.success(request, _("Department code saved."))
        return
    pk = request.POST.get("category", "")
    existing = Category.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    form = forms.CategoryForm(
        request.POST, instance=Category.objects.filter(pk=existing.pk).first() if existing else None
    )
    data = cleaned(form)
    fields = {k: v for k, v in data.items() if k != "required_for"}
    services.save_category(
        existing, actor=request.user, fields=fields, required_for=data["required_for"]
    )
    messages.success(request, _("Category saved."))
