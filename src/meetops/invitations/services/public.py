"""The public page of a public meeting (P2.7): registration with places and a waiting list."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from meetops.invitations import outbox
from meetops.invitations.models import (
    Invitation,
    InvitationSettings,
    PublicRegistration,
    RegistrationStatus,
    Response,
    new_short_codes,
)
from meetops.invitations.permissions import can_manage_invitations
from meetops.invitations.services.invitations import (
    SENDABLE_STAGES,
    _locked_settings,
    queue_invitations,
)
from meetops.meetings.models import (
    Attendance,
    Confidentiality,
    Meeting,
    MeetingRole,
    Participant,
    Stage,
)
from meetops.meetings.services import NewParticipant, add_participants
from meetops.people.models import User


def is_public(meeting: Meeting) -> bool:
    return meeting.confidentiality == Confidentiality.PUBLIC and meeting.stage not in (Stage.DRAFT,)


def set_registration(
    meeting: Meeting, *, actor: User, open: bool, capacity: int | None
) -> InvitationSettings:
    """Open or close public registration and set the number of places (None: unlimited).
    The same settings again write nothing (`audit.nothing_changed(settings)`)."""
    if not can_manage_invitations(actor, meeting):
        raise PermissionDenied()
    if open and meeting.confidentiality != Confidentiality.PUBLIC:
        raise DomainError(_("Only public meetings take registrations."), "not_public")
    if capacity is not None and capacity < 0:
        raise ValidationFailed(
            _("The number of places cannot be negative."), "invalid_number", field="capacity"
        )
    with transaction.atomic():
        state = _locked_settings(meeting)
        before = {"open": state.registration_open, "capacity": state.capacity}
        changes = audit.record_changes(
            "invitations.registration.configured",
            meeting,
            actor=actor,
            before=before,
            after={"open": open, "capacity": capacity},
        )
        audit.note_outcome(state, changes)
        if not changes:  # the same settings again: nothing to write, no one to promote
            return state
        state.registration_open, state.capacity = open, capacity
        state.save(update_fields=["registration_open", "capacity"])
        _promote_waiting(meeting, state)
    return state


@dataclass
class RegistrationResult:
    registration: PublicRegistration
    waitlisted: bool


def register(
    meeting: Meeting,
    *,
    name: str,
    email: str,
    phone: str = "",
    organisation: str = "",
    language: str = "",
) -> RegistrationResult:
    """Register a member of the public. Within the places they are confirmed (and get their personal
    link and QR code by mail); beyond them they join the waiting list."""
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise ValidationFailed(_("A name is required."), "name_required", field="name")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed(
            _("Not a valid e-mail address."), "invalid_email", field="email"
        ) from exc
    with transaction.atomic():
        state = _locked_settings(meeting)
        if not (
            state.registration_open
            and is_public(meeting)
            and meeting.stage in SENDABLE_STAGES
            and meeting.start > timezone.now()
        ):
            raise DomainError(_("Registration for this meeting is closed."), "registration_closed")
        if (
            PublicRegistration.objects.filter(meeting=meeting, email=email)
            .exclude(status=RegistrationStatus.CANCELLED)
            .exists()
        ):
            raise DomainError(
                _("This e-mail address is already registered."), "already_registered", field="email"
            )
        full = state.capacity is not None and _confirmed(meeting) >= state.capacity
        registration = PublicRegistration.objects.create(
            meeting=meeting,
            name=name[:150],
            email=email,
            phone=phone.strip()[:40],
            organisation=organisation.strip()[:200],
            language=language[:10],
            status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.CONFIRMED,
        )
        audit.record(
            "invitations.registration.created",
            meeting,
            actor=None,
            data={"registration": registration.pk, "status": registration.status},
        )
        if full:
            _mail_waitlisted(registration)
        else:
            _confirm(registration)
    return RegistrationResult(registration=registration, waitlisted=full)


def _confirmed(meeting: Meeting) -> int:
    return PublicRegistration.objects.filter(
        meeting=meeting, status=RegistrationStatus.CONFIRMED
    ).count()


def _confirm(registration: PublicRegistration) -> None:
    """Make the registrant a participant who has accepted, and send them their invitation."""
    meeting = registration.meeting
    [participant] = add_participants(
        meeting,
        entries=[
            NewParticipant(
                role=MeetingRole.PARTICIPANT,
                attendance=Attendance.OPTIONAL,
                snapshot={
                    "name": registration.name,
                    "email": registration.email,
                    "phone": registration.phone,
                    "organisation": registration.organisation,
                    "language": registration.language,
                },
            )
        ],
        actor=None,
        audit_as=None,  # audited as the registration
        refuse_present=True,
    )
    taken = Invitation.objects.filter(meeting=meeting).values_list("short_code", flat=True)
    Invitation.objects.create(
        participant=participant,
        meeting=meeting,
        short_code=new_short_codes(taken, 1)[0],
        response=Response.ACCEPT,
        responded_at=timezone.now(),
    )
    registration.status, registration.participant = RegistrationStatus.CONFIRMED, participant
    registration.save(update_fields=["status", "participant"])
    queue_invitations(
        meeting, Participant.objects.filter(pk=participant.pk), actor=None, label="registration"
    )


def _mail_waitlisted(registration: PublicRegistration) -> None:
    with translation.override(registration.language or None):
        text = _(
            "Thank you, %(name)s. “%(title)s” is full; you are on the waiting list and will hear from us "
            "as soon as a place frees up."
        ) % {"name": registration.name, "title": registration.meeting.title}
        subject = _("Waiting list: %(title)s") % {"title": registration.meeting.title}
    outbox.queue(
        [
            outbox.Mail(
                to=registration.email,
                subject=subject,
                text=text,
                html=linebreaks(text),
                dedupe_key=f"invitations:waitlisted:{registration.pk}",
            )
        ],
        meeting=registration.meeting,
    )


def _promote_waiting(meeting: Meeting, state: InvitationSettings) -> None:
    """Confirm people from the waiting list, first come first served, while places are free."""
    if not state.registration_open:
        return
    waiting = PublicRegistration.objects.filter(
        meeting=meeting, status=RegistrationStatus.WAITLISTED
    ).order_by("created_at", "pk")
    free = None if state.capacity is None else state.capacity - _confirmed(meeting)
    for registration in waiting[: free if free is not None else None]:
        _confirm(registration)
        audit.record(
            "invitations.registration.promoted",
            meeting,
            actor=None,
            data={"registration": registration.pk},
        )


def release_registration(participant: Participant) -> None:
    """A registrant declined: free their place and give it to the next on the waiting list."""
    registration = PublicRegistration.objects.filter(
        participant=participant, status=RegistrationStatus.CONFIRMED
    ).first()
    if registration is None:
        return
    state = _locked_settings(participant.meeting)
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    _promote_waiting(participant.meeting, state)


def get_public_meeting(pk: int) -> Meeting:
    meeting = Meeting.objects.select_related("kind", "created_by").filter(pk=pk).first()
    if meeting is None or not is_public(meeting):
        raise NotFound()
    return meeting
