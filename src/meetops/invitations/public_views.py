"""Pages without login: the personal RSVP page, the public meeting page, QR images, calendar feeds."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from meetops.core.downloads import download_response
from meetops.core.web import errors_onto
from meetops.invitations import forms, ics, qr, selectors
from meetops.invitations.agenda import agenda_items
from meetops.invitations.models import InvitationSettings, RegistrationStatus, Response
from meetops.invitations.services import invitations as invites
from meetops.invitations.services import public
from meetops.meetings.models import MeetingRole


@never_cache
def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's mobile page: details, agenda, the answer form, and once accepted the sign-in QR."""
    invitation = invites.get_invitation_by_token(token)
    form = forms.RsvpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        substitute = {
            "name": data["substitute_name"],
            "email": data["substitute_email"],
            "phone": data["substitute_phone"],
        }
        with errors_onto(form):
            invites.respond(
                invitation, response=data["response"], reason=data["reason"], substitute=substitute
            )
            return redirect("invitations:rsvp_page", token=token)
    state = InvitationSettings.objects.filter(meeting=invitation.meeting).first()
    return render(
        request,
        "invitations/rsvp.html",
        {
            "invitation": invitation,
            "meeting": invitation.meeting,
            "participant": invitation.participant,
            "agenda": agenda_items(invitation.meeting),
            "form": form,
            "state": state,
            "accepted": invitation.response == Response.ACCEPT,
        },
    )


@require_GET
def rsvp_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The person's sign-in QR code (SVG)."""
    invitation = invites.get_invitation_by_token(token)
    response = HttpResponse(qr.svg(qr.checkin_url(invitation)), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def event(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page of a public meeting (P2.7) with its registration form."""
    meeting = public.get_public_meeting(pk)
    state = InvitationSettings.objects.filter(meeting=meeting).first()
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_onto(form):
            result = public.register(meeting, language=get_language() or "", **form.cleaned_data)
            text = (
                _(
                    "The meeting is full, so you are on the waiting list. We will write to "
                    "%(email)s if a place frees up."
                )
                if result.waitlisted
                else _(
                    "You are registered. Your personal link and sign-in code are on their way "
                    "to %(email)s."
                )
            )
            messages.success(request, text % {"email": result.registration.email})
            return redirect("invitations:event", pk=pk)
    confirmed = meeting.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return render(
        request,
        "invitations/event.html",
        {
            "meeting": meeting,
            "state": state,
            "form": form,
            "agenda": agenda_items(meeting, public_only=True),
            "speakers": meeting.participants.filter(
                role__in=[MeetingRole.SPEAKER, MeetingRole.HOST]
            ),
            "places_left": None
            if not state or state.capacity is None
            else max(state.capacity - confirmed, 0),
            "page_url": f"{settings.SITE_URL}/events/{meeting.pk}/",
        },
    )


@require_GET
def event_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """A QR code of the public page, to put on posters and share."""
    meeting = public.get_public_meeting(pk)
    return download_response(
        qr.svg(f"{settings.SITE_URL}/events/{meeting.pk}/", scale=10),
        filename=f"meeting-{meeting.pk}-qr.svg",
        content_type="image/svg+xml",
        inline=True,
    )


def _calendar_response(body: bytes, name: str) -> HttpResponse:
    response = download_response(
        body, filename=f"{name}.ics", content_type="text/calendar; charset=utf-8", inline=True
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def user_feed(request: HttpRequest, token: str) -> HttpResponse:
    user, meetings = selectors.user_feed_meetings(token)
    return _calendar_response(ics.feed(meetings, name=f"MeetOps · {user}"), "meetops")


@require_GET
def meeting_feed(request: HttpRequest, token: str) -> HttpResponse:
    meeting, state = selectors.meeting_feed(token)
    return _calendar_response(
        ics.feed([(meeting, state)], name=meeting.title), f"meeting-{meeting.pk}"
    )
