"""The administrators' page of departments and their heads (部门负责人, P8.8, ADR 0022)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from meetops.core.web import AuthedRequest, cleaned
from meetops.people import services
from meetops.people.models import Department, DepartmentHead, User
from meetops.people.permissions import can_manage_roles
from meetops.people.selectors import by_name


class HeadsForm(forms.Form):
    heads = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Heads"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: object, department: Department, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["heads"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        # The department's people (and those below it), and whoever heads it now.
        field.queryset = by_name(
            User.objects.filter(is_active=True, department__path__startswith=department.path)
            | User.objects.filter(is_active=True, headships__department=department)
        ).distinct()


@login_required
@require_GET
def departments(request: AuthedRequest) -> HttpResponse:
    """Every department with its heads and where each came from."""
    if not can_manage_roles(request.user):
        raise Forbidden
    rows = Department.objects.prefetch_related(
        Prefetch(
            "head_links",
            queryset=DepartmentHead.objects.select_related("user").order_by(
                "user__name_pinyin", "user__username"
            ),
        )
    )
    return render(request, "people/departments.html", {"departments": rows})


@login_required
def department_heads(request: AuthedRequest, department_id: int) -> HttpResponse:
    """Choose the heads of one department."""
    if not can_manage_roles(request.user):
        raise Forbidden
    department = get_object_or_404(Department, pk=department_id)
    if request.method == "POST":
        data = cleaned(HeadsForm(request.POST, department=department))
        services.set_department_heads(department, heads=list(data["heads"]), actor=request.user)
        messages.success(request, _("Heads saved."))
        return redirect("department_list")
    current = list(department.head_links.values_list("user_id", flat=True))
    form = HeadsForm(initial={"heads": current}, department=department)
    return render(request, "people/department_heads.html", {"department": department, "form": form})
