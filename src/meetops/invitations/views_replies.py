"""The calendar replies received by mail (ADR 0020): what came in, and what became of it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from meetops.core.web import AuthedRequest, htmx_template, paginated
from meetops.invitations import forms, selectors
from meetops.invitations.permissions import can_read_calendar_replies

PAGE_SIZE = 50


@login_required
def calendar_replies(request: AuthedRequest) -> HttpResponse:
    """Admins see every reply; organisers those of meetings they manage; others nothing (404)."""
    if not can_read_calendar_replies(request.user):
        raise Http404
    form = forms.CalendarReplyFilterForm(request.GET)
    replies = selectors.calendar_replies_for(request.user, **form.filters())
    context = {"form": form, "nav_area": "groups", **paginated(request, replies, PAGE_SIZE)}
    template = htmx_template(
        request, "invitations/calendar_replies.html", "invitations/_calendar_replies.html"
    )
    return render(request, template, context)
