"""The sign-in desk, the QR target `/checkin/<code>`, and the attendance sheet."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from meetops.attendance import exports, forms, selectors, services
from meetops.attendance.models import SignIn
from meetops.attendance.permissions import (
    can_admit_walk_ins,
    can_change_desk_settings,
    can_run_desk,
)
from meetops.core import refill
from meetops.core.downloads import download_response
from meetops.core.errors import DomainError
from meetops.core.web import AuthedRequest, cleaned, say_saved
from meetops.meetings.models import Meeting, Participant, ParticipantStatus
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import User


def _desk_meeting(request: AuthedRequest, pk: int) -> Meeting:
    """Load the meeting for desk staff: 404 if unseen, 403 if seen but not on the desk."""
    meeting = get_meeting_for_user(request.user, pk)
    if not can_run_desk(request.user, meeting):
        raise DjangoPermissionDenied
    return meeting


def _actor(request: AuthedRequest) -> User:
    return request.user


def _live_context(meeting: Meeting) -> dict[str, Any]:
    people = selectors.people_at_desk(meeting)
    return {
        "meeting": meeting,
        "summary": selectors.summary(meeting),
        "pending": [p for p in people if p.signin is None and p.status == ParticipantStatus.ACTIVE],
        "arrived": sorted(
            (p for p in people if p.signin is not None),
            key=lambda p: p.signin.signed_in_at,
            reverse=True,
        ),
    }


def _live(request: AuthedRequest, meeting: Meeting, **extra: Any) -> HttpResponse:
    """The part of the desk that changes: result banner, counts, who is missing, who arrived."""
    return render(request, "attendance/_live.html", {**_live_context(meeting), **extra})


def _outcome(
    request: AuthedRequest, meeting: Meeting, call: Any, *, shown: str = "result"
) -> HttpResponse:
    """Run a sign-in service; show what happened in the banner (htmx) or as a message.

    The one refusal kept out of the error boundary: at the desk a refused scan (unknown
    code, already signed in elsewhere) is an outcome like a success, shown in the same
    result banner the staff watch, in place, while the next person steps up. `shown` names
    what the call returns for the banner: a sign-in's `result`, or the `undone` sign-in.
    """
    try:
        result = call()
    except DomainError as exc:
        context: dict[str, Any] = {"error": exc}
    else:
        context = {shown: result}
    if request.htmx:
        return _live(request, meeting, **context)
    if "error" in context:
        # Without JavaScript the typed code or name comes back in its box (core.refill).
        refill.keep(request, context["error"], reverse("attendance:desk", args=[meeting.pk]))
        messages.error(request, str(context["error"].message))
    elif shown == "undone":
        messages.success(request, undone_message(result))
    return redirect("attendance:desk", pk=meeting.pk)


@login_required
def desk(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _desk_meeting(request, pk)
    if request.htmx:
        return _live(request, meeting)  # the polling refresh
    user = request.user
    desk = selectors.settings_of(meeting)
    return render(
        request,
        "attendance/desk.html",
        {
            **_live_context(meeting),
            "desk": desk,
            "scan_form": forms.ScanForm(),
            "can_walk_in": can_admit_walk_ins(user, meeting),
            "can_configure": can_change_desk_settings(user, meeting),
            "walk_in_form": forms.WalkInForm(),
            "settings_form": forms.DeskSettingsForm(
                initial={
                    "self_signin": desk.self_signin,
                    "grace_minutes": desk.grace_minutes,
                    "opens_minutes": desk.opens_minutes,
                }
            ),
        },
    )


@login_required
@require_POST
def scan(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _desk_meeting(request, pk)
    form = forms.ScanForm(request.POST)
    if not form.is_valid():
        return _live(request, meeting)
    code = form.cleaned_data["code"]
    return _outcome(
        request,
        meeting,
        lambda: services.sign_in_by_code(meeting, code=code, actor=_actor(request)),
    )


@login_required
@require_GET
def search(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _desk_meeting(request, pk)
    q = request.GET.get("q", "").strip()
    rows = selectors.people_at_desk(meeting, q=q)[:30] if q else []
    return render(request, "attendance/_search.html", {"meeting": meeting, "rows": rows, "q": q})


@login_required
@require_POST
def sign_in_person(request: AuthedRequest, pk: int, participant_id: int) -> HttpResponse:
    meeting = _desk_meeting(request, pk)
    participant = get_object_or_404(Participant, meeting=meeting, pk=participant_id)
    return _outcome(
        request,
        meeting,
        lambda: services.sign_in(meeting, participant=participant, actor=_actor(request)),
    )


@login_required
@require_POST
def walk_in(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _desk_meeting(request, pk)
    data = dict(cleaned(forms.WalkInForm(request.POST)))
    original_id = data.pop("substitute_for")
    original = (
        Participant.objects.filter(meeting=meeting, pk=original_id).first() if original_id else None
    )
    return _outcome(
        request,
        meeting,
        lambda: services.admit_walk_in(
            meeting, actor=_actor(request), substitute_for=original, **data
        ),
    )


@login_required
@require_POST
def undo(request: AuthedRequest, pk: int, signin_id: int) -> HttpResponse:
    meeting = _desk_meeting(request, pk)
    signin = get_object_or_404(SignIn, meeting=meeting, pk=signin_id)
    form = forms.UndoForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _outcome(
        request,
        meeting,
        lambda: services.undo_sign_in(signin, actor=_actor(request), reason=reason),
        shown="undone",
    )


def undone_message(signin: SignIn) -> str:
    return _("The sign-in of %(name)s is undone: they are back among those not yet signed in.") % {
        "name": signin.participant.display_name
    }


@login_required
@require_POST
def desk_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _desk_meeting(request, pk)
    fields = cleaned(forms.DeskSettingsForm(request.POST))
    say_saved(request, services.update_desk_settings(meeting, actor=_actor(request), **fields))
    return redirect("attendance:desk", pk=pk)


# --- the QR target -------------------------------------------------------------


@never_cache
def checkin(request: HttpRequest, code: str) -> HttpResponse:
    """What the personal QR code opens. Desk staff sign the person in with one tap;
    the person (or anyone else) learns what the code is and, when allowed, signs themself in.

    GET never writes: link previews in chat apps and browser prefetch open URLs too.
    """
    invitation = selectors.get_invitation_by_code(code)
    meeting, participant = invitation.meeting, invitation.participant
    staff = request.user.is_authenticated and can_run_desk(request.user, meeting)
    if request.method == "POST":
        if staff:
            # `staff` holds only for a signed-in user (checked above).
            actor = cast(User, request.user)
            result = services.sign_in(meeting, participant=participant, actor=actor)
        else:
            result = services.self_sign_in(invitation)
        if result.created:
            messages.success(request, str(_signed_in_message(result.signin)))
        return redirect("attendance:checkin", code=invitation.checkin_code)
    signin = SignIn.objects.filter(participant=participant, undone_at__isnull=True).first()
    return render(
        request,
        "attendance/checkin.html",
        {
            "meeting": meeting,
            "participant": participant,
            "invitation": invitation,
            "signin": signin,
            "staff": staff,
            "self_open": selectors.self_signin_open(meeting),
        },
    )


def _signed_in_message(signin: SignIn) -> str:
    return _("%(name)s signed in at %(time)s.") % {
        "name": signin.participant.display_name,
        "time": formats.time_format(timezone.localtime(signin.signed_in_at), "H:i"),
    }


# --- the attendance sheet --------------------------------------------------------


@login_required
def sheet(request: AuthedRequest, pk: int) -> HttpResponse:
    """The paper sign-in sheet (and attendance record): print it, or keep it as the fallback."""
    meeting = _desk_meeting(request, pk)
    return render(
        request,
        "attendance/sheet.html",
        {**exports.sheet_context(meeting), "import_form": forms.PaperSheetForm()},
    )


@login_required
@require_POST
def import_sheet(request: AuthedRequest, pk: int) -> HttpResponse:
    """Enter the times written on the paper sheet (typed into the exported Excel file)."""
    meeting = _desk_meeting(request, pk)
    upload = cleaned(forms.PaperSheetForm(request.POST, request.FILES))["file"]
    rows = exports.read_paper_sheet(upload.read())
    result = services.record_paper_sheet(meeting, actor=_actor(request), rows=rows)
    messages.success(
        request,
        _("%(recorded)d sign-ins recorded, %(already)d already signed in.") % result.__dict__,
    )
    return redirect("attendance:sheet", pk=pk)


@login_required
def sheet_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _desk_meeting(request, pk)
    return download_response(
        exports.sheet_pdf(meeting),
        filename=f"signin-sheet-{meeting.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
def sheet_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _desk_meeting(request, pk)
    return exports.xlsx_response(meeting)
