"""The register's pages (P10.5). Each view loads with authorisation, calls one service, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.downloads import stored_file
from meetops.core.errors import NotFound
from meetops.core.schemas import MAX_DB_ID
from meetops.core.web import AuthedRequest, cleaned, errors_onto, paginated, say_saved
from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_manage_meeting
from meetops.meetings.selectors import get_meeting_for_user
from meetops.partners import forms, selectors, services
from meetops.partners import permissions as perms
from meetops.partners.models import (
    Contact,
    Contract,
    Kind,
    Manager,
    Qualification,
    Rating,
    Supplier,
)
from meetops.people.models import User

NAV = {"nav_area": "partners"}


def _supplier(request: AuthedRequest, supplier_id: int) -> Supplier:
    return selectors.get_supplier_for_user(request.user, supplier_id)


def _keeper(request: AuthedRequest) -> None:
    if not perms.can_manage_register(request.user):
        raise Forbidden


def _document(model: type[Any], request: AuthedRequest, pk: int) -> Any:
    """A contract or qualification, for those who may read the register (404 otherwise)."""
    found = model.objects.filter(pk=pk).first() if 0 < pk <= MAX_DB_ID else None
    if found is None:
        raise NotFound()
    _supplier(request, found.supplier_id)
    return found


# --- the register ------------------------------------------------------------------------


@login_required
def register(request: AuthedRequest) -> HttpResponse:
    if not perms.can_read_register(request.user):
        raise Forbidden
    g = request.GET
    filters = selectors.SupplierFilters(
        q=g.get("q", "")[:200].strip(),
        kind=g.get("kind", "") if g.get("kind") in Kind.values else "",
        expired=g.get("expired") == "1",
        include_inactive=g.get("inactive") == "1",
    )
    context = {
        **paginated(request, selectors.search_suppliers(request.user, filters), 50),
        "filters": filters,
        "kinds": Kind.choices,
        "can_keep": perms.can_manage_register(request.user),
        "can_appoint": perms.can_appoint_managers(request.user),
        **NAV,
    }
    return render(request, "partners/register.html", context)


def _supplier_form(request: AuthedRequest, supplier: Supplier | None) -> HttpResponse:
    _keeper(request)
    form = forms.SupplierForm.of(supplier, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_onto(form):
            saved = services.save_supplier(supplier, actor=request.user, **form.service_fields())
            say_saved(request, saved, _("The supplier is saved."))
            return redirect("partners:detail", saved.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "supplier": supplier, **NAV}
    return render(request, "partners/supplier_form.html", context, status=status)


@login_required
def supplier_new(request: AuthedRequest) -> HttpResponse:
    return _supplier_form(request, None)


@login_required
def supplier_edit(request: AuthedRequest, supplier_id: int) -> HttpResponse:
    return _supplier_form(request, _supplier(request, supplier_id))


@login_required
def supplier_detail(request: AuthedRequest, supplier_id: int) -> HttpResponse:
    supplier = _supplier(request, supplier_id)
    user = request.user
    can_keep = perms.can_manage_register(user)
    context = {
        "supplier": supplier,
        "contacts": supplier.contacts.order_by("pk"),
        "qualifications": selectors.qualifications_of(supplier),
        "contracts": selectors.contracts_of(supplier),
        "engagements": selectors.engagements_seen_by(user, supplier),
        "ratings": selectors.ratings_seen_by(user, supplier),
        "can_keep": can_keep,
        "contact_form": forms.ContactForm() if can_keep else None,
        "qualification_form": forms.QualificationForm() if can_keep else None,
        "contract_form": forms.ContractForm() if can_keep else None,
        **NAV,
    }
    return render(request, "partners/detail.html", context)


@login_required
@require_POST
def contact_add(request: AuthedRequest, supplier_id: int) -> HttpResponse:
    supplier = _supplier(request, supplier_id)
    data = cleaned(forms.ContactForm(request.POST))
    services.add_contact(supplier, actor=request.user, **data)
    messages.success(request, _("The contact is added."))
    return redirect("partners:detail", supplier.pk)


@login_required
@require_POST
def contact_remove(request: AuthedRequest, supplier_id: int, contact_id: int) -> HttpResponse:
    supplier = _supplier(request, supplier_id)
    contact = Contact.objects.filter(pk=contact_id, supplier=supplier).first()
    if contact is None:
        raise Http404
    services.remove_contact(contact, actor=request.user)
    messages.success(request, _("The contact is removed."))
    return redirect("partners:detail", supplier.pk)


@login_required
@require_POST
def qualification_add(request: AuthedRequest, supplier_id: int) -> HttpResponse:
    supplier = _supplier(request, supplier_id)
    data = cleaned(forms.QualificationForm(request.POST, request.FILES))
    services.add_qualification(supplier, actor=request.user, **data)
    messages.success(request, _("The qualification is recorded."))
    return redirect("partners:detail", supplier.pk)


@login_required
@require_POST
def contract_add(request: AuthedRequest, supplier_id: int) -> HttpResponse:
    supplier = _supplier(request, supplier_id)
    data = cleaned(forms.ContractForm(request.POST, request.FILES))
    services.add_contract(supplier, actor=request.user, **data)
    messages.success(request, _("The contract is recorded."))
    return redirect("partners:detail", supplier.pk)


def _document_edit(
    request: AuthedRequest, document: Qualification | Contract, form: Any, save: Any
) -> HttpResponse:
    _keeper(request)
    if request.method == "POST" and form.is_valid():
        with errors_onto(form):
            say_saved(
                request, save(document, actor=request.user, **form.service_fields()), _("Saved.")
            )
            return redirect("partners:detail", document.supplier_id)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "document": document, "supplier": document.supplier, **NAV}
    return render(request, "partners/document_form.html", context, status=status)


@login_required
def qualification_edit(request: AuthedRequest, qualification_id: int) -> HttpResponse:
    document = _document(Qualification, request, qualification_id)
    form = forms.QualificationForm.of(document, request.POST or None, request.FILES or None)
    return _document_edit(request, document, form, services.update_qualification)


@login_required
def contract_edit(request: AuthedRequest, contract_id: int) -> HttpResponse:
    contract = _document(Contract, request, contract_id)
    form = forms.ContractForm.of(contract, request.POST or None, request.FILES or None)
    return _document_edit(request, contract, form, services.update_contract)


def _file(field: FieldFile, media_type: str) -> FileResponse:
    """A stored document, typed by its checked content, never sniffed."""
    if not field:
        raise Http404
    return stored_file(
        field.open("rb"),
        filename=(field.name or "").rsplit("/", 1)[-1],
        content_type=media_type or "application/octet-stream",
        inline=media_type.startswith("image/"),
    )


@login_required
def qualification_file(request: AuthedRequest, qualification_id: int) -> FileResponse:
    document = _document(Qualification, request, qualification_id)
    return _file(document.file, document.file_type)


@login_required
def contract_file(request: AuthedRequest, contract_id: int) -> FileResponse:
    contract = _document(Contract, request, contract_id)
    return _file(contract.file, contract.file_type)


@login_required
def managers(request: AuthedRequest) -> HttpResponse:
    """The register's managers, appointed and dismissed by a system administrator."""
    if not perms.can_appoint_managers(request.user):
        raise Forbidden
    form = forms.ManagerForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove.isdigit() and len(remove) < 12:
            user = User.objects.filter(pk=int(remove)).first()
            if user is None:
                raise Http404
            services.dismiss_manager(user, actor=request.user)
            messages.success(request, _("%(name)s no longer keeps the register.") % {"name": user})
            return redirect("partners:managers")
        username = cleaned(form)["username"]
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            form.add_error("username", _("No active account has this user name."))
        else:
            services.appoint_manager(user, actor=request.user)
            messages.success(request, _("%(name)s now keeps the register.") % {"name": user})
            return redirect("partners:managers")
    context = {
        "form": form,
        "managers": Manager.objects.select_related("user", "appointed_by").order_by("pk"),
        **NAV,
    }
    return render(request, "partners/managers.html", context, status=422 if form.errors else 200)


# --- a meeting's suppliers -----------------------------------------------------------------


def _meeting(request: AuthedRequest, pk: int) -> Meeting:
    """404 for who may not see the meeting; 403 for who sees it but neither manages it nor
    reads the register."""
    meeting = get_meeting_for_user(request.user, pk)
    if not (perms.can_read_register(request.user) or can_manage_meeting(request.user, meeting)):
        raise Forbidden
    return meeting


def _meeting_page(
    request: AuthedRequest, meeting: Meeting, link_form: Any = None, status: int = 200
) -> HttpResponse:
    user = request.user
    used = selectors.suppliers_of(meeting)
    can_link = perms.can_link_suppliers(user, meeting)
    can_rate = perms.can_rate_suppliers(user, meeting)
    rows = []
    for link in used.links:
        rating = used.ratings.get(link.supplier_id)
        editable = can_rate and (rating is None or rating.author_id == user.pk)
        initial = (
            {n: getattr(rating, n) for n in ("quality", "punctuality", "price", "comment")}
            if rating
            else None
        )
        rows.append(
            {
                "link": link,
                "rating": rating,
                "form": forms.RatingForm(initial=initial, prefix=f"s{link.supplier_id}")
                if editable
                else None,
            }
        )
    if can_link and link_form is None:
        link_form = forms.LinkForm(choices=selectors.supplier_choices())
    context = {
        "meeting": meeting,
        "rows": rows,
        "link_form": link_form if can_link else None,
        "can_link": can_link,
        "can_rate": can_rate,
        "can_read": perms.can_read_register(user),
    }
    return render(request, "partners/meeting.html", context, status=status)


@login_required
def meeting_suppliers(request: AuthedRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request, pk))


@login_required
@require_POST
def meeting_link(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not perms.can_link_suppliers(request.user, meeting):
        raise Forbidden
    form = forms.LinkForm(request.POST, choices=selectors.supplier_choices())
    if form.is_valid():
        with errors_onto(form):
            supplier = Supplier.objects.get(pk=form.cleaned_data["supplier"])
            services.link_supplier(
                meeting,
                supplier=supplier,
                supplied=form.cleaned_data["supplied"],
                actor=request.user,
            )
            messages.success(request, _("The supplier is linked to the meeting."))
            return redirect("partners:meeting", meeting.pk)
    return _meeting_page(request, meeting, form, status=422)


@login_required
@require_POST
def meeting_unlink(request: AuthedRequest, pk: int, link_id: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    services.unlink_supplier(selectors.get_link(meeting, link_id), actor=request.user)
    messages.success(request, _("The supplier is taken off the meeting."))
    return redirect("partners:meeting", meeting.pk)


@login_required
@require_POST
def meeting_rate(request: AuthedRequest, pk: int, link_id: int) -> HttpResponse:
    """Rate the supplier of this link, or change one's own rating of it."""
    meeting = _meeting(request, pk)
    link = selectors.get_link(meeting, link_id)
    data = cleaned(forms.RatingForm(request.POST, prefix=f"s{link.supplier_id}"))
    existing = Rating.objects.filter(meeting=meeting, supplier_id=link.supplier_id).first()
    if existing is None:
        saved = services.rate_supplier(meeting, supplier=link.supplier, actor=request.user, **data)
    else:
        existing.meeting = meeting
        saved = services.update_rating(existing, actor=request.user, **data)
    say_saved(request, saved, _("The rating is saved."))
    return redirect("partners:meeting", meeting.pk)
