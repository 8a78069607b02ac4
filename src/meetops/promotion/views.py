"""Announcement pages: publish and reach (managers), poster, notice board, tracked link."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meetops.core.web import AuthedRequest, errors_onto
from meetops.invitations import qr
from meetops.invitations.mail import rsvp_url
from meetops.invitations.models import Invitation
from meetops.invitations.services.public import is_public
from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_view_meeting
from meetops.meetings.selectors import get_meeting_for_user
from meetops.promotion import selectors, services
from meetops.promotion.forms import AnnouncementForm
from meetops.promotion.models import Announcement
from meetops.promotion.permissions import can_announce, can_read_reach


def _load(request: AuthedRequest, pk: int) -> Meeting:
    """404 for who may not see the meeting, 403 for who sees it but does not manage it."""
    meeting = get_meeting_for_user(request.user, pk)
    if not can_read_reach(request.user, meeting):
        raise Forbidden
    return meeting


def _announcement(meeting: Meeting, aid: int) -> Announcement:
    return get_object_or_404(
        Announcement.objects.select_related("meeting").prefetch_related("departments", "groups"),
        meeting=meeting,
        pk=aid,
        published_at__isnull=False,
    )


@login_required
def announcements(request: AuthedRequest, pk: int) -> HttpResponse:
    """The meeting's announcements with their reach, and the form to publish one."""
    meeting = _load(request, pk)
    form = AnnouncementForm(request.POST or None, user=request.user, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        with errors_onto(form):
            made = services.publish_announcement(meeting, actor=request.user, **form.service_args())
            messages.success(request, _("The announcement is published."))
            return redirect("promotion:announcement", pk=pk, aid=made.pk)
    items = list(selectors.announcements_of(meeting))
    return render(
        request,
        "promotion/announcements.html",
        {
            "meeting": meeting,
            "items": items,
            "form": form,
            "can_announce": can_announce(request.user, meeting),
        },
        status=422 if form.errors else 200,
    )


@login_required
def announcement(request: AuthedRequest, pk: int, aid: int) -> HttpResponse:
    """One announcement: its reach by channel, and publishing it again to more people."""
    meeting = _load(request, pk)
    item = _announcement(meeting, aid)
    form = AnnouncementForm(
        request.POST or None, user=request.user, meeting=meeting, announcement=item
    )
    if request.method == "POST" and form.is_valid():
        with errors_onto(form):
            services.republish_announcement(item, actor=request.user, **form.service_args())
            messages.success(
                request, _("Published again; only people not reached before were told.")
            )
            return redirect("promotion:announcement", pk=pk, aid=aid)
    return render(
        request,
        "promotion/announcement.html",
        {
            "meeting": meeting,
            "item": item,
            "reach": selectors.reach_of(item),
            "form": form,
            "can_announce": can_announce(request.user, meeting),
        },
        status=422 if form.errors else 200,
    )


def poster_target(item: Announcement) -> str:
    """Where the poster's QR code leads: the public page with its registration for a public
    meeting, else the announcement inside MeetOps, where invitees find their RSVP link."""
    if is_public(item.meeting):
        return f"{settings.SITE_URL}/events/{item.meeting_id}/"
    return f"{settings.SITE_URL}{item.link_prefix}"


@login_required
def poster(request: AuthedRequest, pk: int, aid: int) -> HttpResponse:
    """A printable A4 poster with a QR code."""
    meeting = _load(request, pk)
    item = _announcement(meeting, aid)
    target = poster_target(item)
    image = "data:image/svg+xml;base64," + base64.b64encode(qr.svg(target, scale=8)).decode()
    return render(
        request,
        "promotion/poster.html",
        {
            "meeting": meeting,
            "item": item,
            "target": target,
            "qr": image,
            "public": is_public(meeting),
        },
    )


@login_required
def board(request: AuthedRequest) -> HttpResponse:
    """The notice board: upcoming meetings announced to this person."""
    notices = list(selectors.notices_for(request.user)[:100])
    return render(request, "promotion/board.html", {"notices": notices, "nav_area": "notices"})


@login_required
def notice(request: AuthedRequest, aid: int) -> HttpResponse:
    """One announcement as its reader sees it, with the way to answer or register."""
    item = selectors.get_announcement_for_user(request.user, aid)
    meeting = item.meeting
    invitation = (
        Invitation.objects.filter(meeting=meeting, participant__user=request.user, revoked_at=None)
        .only("token")
        .first()
    )
    context: dict[str, Any] = {
        "item": item,
        "meeting": meeting,
        "can_open_meeting": can_view_meeting(request.user, meeting),
        "rsvp": rsvp_url(invitation.token) if invitation else "",
        "public": is_public(meeting),
        "nav_area": "notices",
    }
    return render(request, "promotion/notice.html", context)


@require_GET
def go(request: HttpRequest, aid: int, token: str) -> HttpResponseRedirect:
    """The tracked link in a person's message: counts the first opening, then shows the notice."""
    recipient = selectors.recipient_by_token(token)
    if recipient is None or recipient.announcement_id != aid:
        raise Http404  # the token is the credential: a wrong one finds nothing
    services.record_opening(recipient)
    return redirect("promotion:notice", aid=aid)
