"""Training pages (P9.4): coverage and records, needs, courses. Load with authorisation, call one
service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.downloads import stored_file
from meetops.core.web import AuthedRequest, cleaned, errors_onto, say_saved
from meetops.meetings.selectors import meetings_visible_to
from meetops.people.models import Department
from meetops.people.selectors import headed_department_ids
from meetops.training import forms, selectors, services
from meetops.training import permissions as perms
from meetops.training.models import CourseMaterial, TrainingNeed


def _submit(
    request: AuthedRequest,
    form: Any,
    call: Callable[[dict[str, Any]], Any],
    done: str,
    then: Callable[[Any], HttpResponse],
) -> HttpResponse | None:
    """On a valid POST call the service; on success go to `then(result)`, else None (the
    service's refusal is on the form, beside its field)."""
    if request.method != "POST" or not form.is_valid():
        return None
    with errors_onto(form):
        result = call(
            form.service_fields() if hasattr(form, "service_fields") else form.cleaned_data
        )
        say_saved(request, result, done)
        return then(result)
    return None


def _file(field: FieldFile, media_type: str) -> FileResponse:
    """A stored file typed by its checked content, never sniffed."""
    if not field:
        raise Http404
    return stored_file(
        field.open("rb"),
        filename=(field.name or "").rsplit("/", 1)[-1],
        content_type=media_type or "application/octet-stream",
        inline=media_type.startswith("image/"),
    )


def _department(request: AuthedRequest) -> Department | None:
    raw = request.GET.get("department", "")
    if not raw.isdigit() or len(raw) > 12:
        return None
    return Department.objects.filter(pk=int(raw)).first()


@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    """Coverage per department for those who may see it; everyone's own records."""
    user = request.user
    context: dict[str, Any] = {
        "records": selectors.records_of(user),
        "can_manage": perms.can_manage_training(user),
        "nav_area": "training",
    }
    if perms.can_see_coverage(user):
        department = _department(request)
        context["coverage"] = selectors.coverage_for(user, department=department)
        context["department"] = department
        if perms.sees_every_department(user):
            context["departments"] = Department.objects.order_by("path")
        else:
            context["departments"] = Department.objects.filter(
                pk__in=headed_department_ids(user)
            ).order_by("path")
        try:
            months = min(max(int(request.GET.get("months", 12)), 1), 60)
        except ValueError:
            months = 12
        context["months"] = months
        context["trainings"] = selectors.training_meetings(user, months=months)
    if context["can_manage"]:
        context["pending"] = list(selectors.pending_external())
    return render(request, "training/overview.html", context)


@login_required
def record_new(request: AuthedRequest) -> HttpResponse:
    """Enter a training taken elsewhere, with its certificate (administrators: for anyone)."""
    user = request.user
    for_anyone = perms.can_manage_training(user)
    form = forms.ExternalTrainingForm(
        request.POST or None, request.FILES or None, for_anyone=for_anyone
    )

    def enter(data: dict[str, Any]) -> Any:
        person = form.cleaned_data.get("person") or user
        return services.record_external(actor=user, person=person, **data)

    saved = _submit(
        request,
        form,
        enter,
        _("Training entered. It counts once an administrator verified it."),
        lambda _record: redirect("training:overview"),
    )
    if saved is not None:
        return saved
    return render(request, "training/record_form.html", {"form": form, "nav_area": "training"})


@login_required
def certificate(request: AuthedRequest, record_id: int) -> FileResponse:
    record = selectors.get_external_for_user(request.user, record_id)
    return _file(record.certificate, record.certificate_type)


@login_required
@require_POST
def verify(request: AuthedRequest, record_id: int) -> HttpResponse:
    record = selectors.get_external_for_user(request.user, record_id)
    if not perms.can_manage_training(request.user):
        raise Forbidden
    data = cleaned(forms.VerifyForm(request.POST))
    services.verify_external(record, actor=request.user, accept=data["accept"], note=data["note"])
    messages.success(request, _("Verified.") if data["accept"] else _("Not accepted."))
    return redirect("training:overview")


@login_required
def needs(request: AuthedRequest) -> HttpResponse:
    """The training needs per duty; administrators add and change them."""
    user = request.user
    can_manage = perms.can_manage_training(user)
    form = forms.NeedForm(request.POST or None)
    if request.method == "POST" and not can_manage:
        raise Forbidden
    saved = _submit(
        request,
        form,
        lambda data: services.create_need(actor=user, **data),
        _("Training need added."),
        lambda _need: redirect("training:needs"),
    )
    if saved is not None:
        return saved
    context = {
        "needs": TrainingNeed.objects.order_by("order", "pk"),
        "form": form if can_manage else None,
        "nav_area": "training",
    }
    return render(request, "training/needs.html", context)


@login_required
def need_edit(request: AuthedRequest, need_id: int) -> HttpResponse:
    if not perms.can_manage_training(request.user):
        raise Forbidden
    need = get_object_or_404(TrainingNeed, pk=need_id)
    form = forms.NeedForm(request.POST or None, instance=need)
    saved = _submit(
        request,
        form,
        lambda data: services.update_need(need, actor=request.user, **data),
        _("Training need changed."),
        lambda _need: redirect("training:needs"),
    )
    if saved is not None:
        return saved
    context = {"form": form, "need": need, "nav_area": "training"}
    return render(request, "training/need_form.html", context)


@login_required
def courses(request: AuthedRequest) -> HttpResponse:
    """Courses with the needs they meet; administrators add them."""
    user = request.user
    can_manage = perms.can_manage_training(user)
    form = forms.CourseForm(request.POST or None)
    if request.method == "POST" and not can_manage:
        raise Forbidden
    saved = _submit(
        request,
        form,
        lambda data: services.create_course(actor=user, **data),
        _("Course added."),
        lambda course: redirect("training:course", course_id=course.pk),
    )
    if saved is not None:
        return saved
    context = {
        "courses": selectors.courses_visible(),
        "form": form if can_manage else None,
        "nav_area": "training",
    }
    return render(request, "training/courses.html", context)


@login_required
def course(request: AuthedRequest, course_id: int) -> HttpResponse:
    """A course: its needs, materials and training meetings; administrators change them."""
    found = selectors.get_course(course_id)
    user = request.user
    can_manage = perms.can_manage_training(user)
    if request.method == "POST" and not can_manage:
        raise Forbidden
    form = forms.CourseForm(request.POST or None, instance=found)
    saved = _submit(
        request,
        form,
        lambda data: services.update_course(found, actor=user, **data),
        _("Course changed."),
        lambda _c: redirect("training:course", course_id=found.pk),
    )
    if saved is not None:
        return saved
    context = {
        "course": found,
        "materials": found.materials.order_by("title", "pk"),
        "sessions": found.sessions.filter(meeting__in=meetings_visible_to(user))
        .select_related("meeting")
        .order_by("-meeting__start"),
        "can_manage": can_manage,
        "form": form if can_manage else None,
        "material_form": forms.MaterialForm() if can_manage else None,
        "session_form": forms.SessionForm() if can_manage else None,
        "nav_area": "training",
    }
    return render(request, "training/course.html", context)


@login_required
@require_POST
def material_add(request: AuthedRequest, course_id: int) -> HttpResponse:
    found = selectors.get_course(course_id)
    if not perms.can_manage_training(request.user):
        raise Forbidden
    data = cleaned(forms.MaterialForm(request.POST, request.FILES))
    services.add_material(found, actor=request.user, title=data["title"], upload=data["file"])
    messages.success(request, _("Material added."))
    return redirect("training:course", course_id=found.pk)


@login_required
@require_POST
def material_remove(request: AuthedRequest, course_id: int, material_id: int) -> HttpResponse:
    found = selectors.get_course(course_id)
    if not perms.can_manage_training(request.user):
        raise Forbidden
    material = get_object_or_404(CourseMaterial, course=found, pk=material_id)
    services.remove_material(material, actor=request.user)
    messages.success(request, _("Material removed."))
    return redirect("training:course", course_id=found.pk)


@login_required
def material(request: AuthedRequest, course_id: int, material_id: int) -> FileResponse:
    """A course's material, for every signed-in person (courses are there to learn from)."""
    found = selectors.get_course(course_id)
    item = get_object_or_404(CourseMaterial, course=found, pk=material_id)
    return _file(item.file, item.media_type)


@login_required
@require_POST
def session_link(request: AuthedRequest, course_id: int) -> HttpResponse:
    found = selectors.get_course(course_id)
    if not perms.can_manage_training(request.user):
        raise Forbidden
    data = cleaned(forms.SessionForm(request.POST))
    services.link_session(found, meeting=data["meeting"], actor=request.user)
    messages.success(request, _("The training meeting is held as this course."))
    return redirect("training:course", course_id=found.pk)
