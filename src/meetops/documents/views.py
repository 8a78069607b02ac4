"""Downloads of the official documents and the issuing body's settings page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meetops.core.downloads import download_response
from meetops.core.errors import DomainError
from meetops.core.web import AuthedRequest, say_saved
from meetops.documents import render as documents
from meetops.documents import services
from meetops.documents.forms import IssuerForm, TemplateForm
from meetops.documents.models import Issuer, Kind, OfficeTemplate
from meetops.documents.permissions import can_manage_documents
from meetops.documents.templates import placeholder_names
from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_manage_meeting
from meetops.meetings.selectors import get_meeting_for_user
from meetops.minutes.selectors import readable_document
from meetops.reports.selectors import load_for_report, report_of

TYPES = {
    documents.PDF: "application/pdf",
    documents.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _download(content: bytes, meeting: Meeting, what: str, fmt: str) -> HttpResponse:
    name = slugify(meeting.title, allow_unicode=True) or f"meeting-{meeting.pk}"
    return download_response(content, filename=f"{name}-{what}.{fmt}", content_type=TYPES[fmt])


def _minutes(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    doc = readable_document(request.user, meeting)
    if doc is None or doc.minutes is None:
        raise Http404
    rendered = documents.minutes_file(doc, fmt=fmt, actor=request.user)
    return _download(rendered.content, meeting, "minutes", fmt)


def _report(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    report = report_of(load_for_report(request.user, pk))
    if report is None:
        raise Http404
    rendered = documents.report_file(report, fmt=fmt, actor=request.user)
    return _download(rendered.content, report.meeting, "report", fmt)


def _notice(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    if not can_manage_meeting(request.user, meeting):
        raise Forbidden
    rendered = documents.notice_file(meeting, fmt=fmt, actor=request.user)
    return _download(rendered.content, meeting, "notice", fmt)


@login_required
def minutes_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _minutes(request, pk, documents.PDF)


@login_required
def minutes_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    return _minutes(request, pk, documents.DOCX)


@login_required
def report_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _report(request, pk, documents.PDF)


@login_required
def report_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    return _report(request, pk, documents.DOCX)


@login_required
def notice_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _notice(request, pk, documents.PDF)


@login_required
def notice_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    return _notice(request, pk, documents.DOCX)


def _page(request: AuthedRequest, form: IssuerForm, upload: TemplateForm) -> HttpResponse:
    issuer = form.instance
    templates = OfficeTemplate.objects.filter(issuer=issuer).defer("content").order_by("kind")
    context = {
        "form": form,
        "upload": upload,
        "templates": templates,
        "placeholders": placeholder_names(),
        "nav_area": "document_settings",
    }
    return render(request, "documents/settings.html", context)


def _post(request: AuthedRequest, issuer: Issuer) -> HttpResponse:
    """Save the settings, upload a template or remove one; the page again with any error."""
    action = request.POST.get("action", "")
    form, upload = IssuerForm(instance=issuer), TemplateForm()
    try:
        if action == "settings":
            form = IssuerForm(request.POST, instance=services.default_issuer())
            if form.is_valid():
                saved = services.update_issuer(issuer, actor=request.user, **form.cleaned_data)
                say_saved(request, saved, _("The settings were saved."))
                return redirect("document_settings")
        elif action == "upload":
            upload = TemplateForm(request.POST, request.FILES)
            if upload.is_valid():
                file = upload.cleaned_data["file"]
                kind = upload.cleaned_data["kind"]
                services.upload_template(
                    issuer, kind=kind, filename=file.name, content=file.read(), actor=request.user
                )
                messages.success(request, _("The template is used from now on."))
                return redirect("document_settings")
        elif action == "remove" and request.POST.get("kind") in Kind.values:
            services.remove_template(issuer, kind=request.POST["kind"], actor=request.user)
            messages.success(request, _("MeetOps's own layout is used again."))
            return redirect("document_settings")
    except DomainError as exc:
        (form if action == "settings" else upload).add_error(None, str(exc.message))
    return _page(request, form, upload)


@login_required
def document_settings(request: AuthedRequest) -> HttpResponse:
    """The issuing body's name, 文号 prefix, 版记 defaults and the offices' templates."""
    if not can_manage_documents(request.user):
        raise Forbidden
    issuer = services.default_issuer()
    if request.method == "POST":
        return _post(request, issuer)
    return _page(request, IssuerForm(instance=issuer), TemplateForm())
