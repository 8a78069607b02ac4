"""The real URL map plus page views that fail on purpose, for test_error_boundary."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template import engines
from django.urls import path
from django.utils.translation import gettext as _

from meetops.config import urls as real
from meetops.core.errors import DomainError, ValidationFailed


@login_required
def refuse(request: HttpRequest) -> HttpResponse:
    raise DomainError(_("A closed or cancelled meeting cannot be changed."), "meeting_frozen")


@login_required
def rows(request: HttpRequest) -> HttpResponse:
    raise ValidationFailed(
        _("Some rows are not valid."),
        "invalid_rows",
        rows=[{"row": 2, "message": "第 2 行：缺少姓名"}],
    )


@login_required
def forbid(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("not for you")


@login_required
def missing(request: HttpRequest) -> HttpResponse:
    raise Http404("no such thing")


# A public page's form, as anonymous visitors see them (registration, feedback).
PUBLIC_FORM = """{% extends "base.html" %}{% block content %}
<form method="post" action="/boundary/public/send/">{% csrf_token %}
<input type="text" name="name"><input type="password" name="password">
<textarea name="note"></textarea><button type="submit">Send</button></form>
{% endblock %}"""


def public_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(engines["django"].from_string(PUBLIC_FORM).render({}, request))


def public_send(request: HttpRequest) -> HttpResponse:
    raise ValidationFailed(_("Say what should change."), "comment_required", field="note")


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("boundary/refuse/", refuse),
    path("boundary/rows/", rows),
    path("boundary/forbid/", forbid),
    path("boundary/missing/", missing),
    path("boundary/crash/", crash),
    path("boundary/public/", public_page),
    path("boundary/public/send/", public_send),
    *real.urlpatterns,
]

handler403 = real.handler403
handler404 = real.handler404
handler500 = real.handler500
