"""Sending invitations, answering them (RSVP), substitutes, reminders, updates and cancellations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from meetops.core.validation import check_datetime
from meetops.invitations import outbox, signals
from meetops.invitations.ics import uid_for
from meetops.invitations.leave import leave_requested
from meetops.invitations.mail import (
    CANCEL,
    INVITE,
    REMIND,
    REMOVED,
    UPDATE,
    Composer,
    recipient_language,
    rsvp_url,
)
from meetops.invitations.models import (
    Invitation,
    InvitationSettings,
    Response,
    SubstituteStatus,
    new_short_codes,
)
from meetops.invitations.permissions import can_manage_invitations
from meetops.meetings.models import (
    Attendance,
    Meeting,
    MeetingRole,
    Participant,
    ParticipantStatus,
    Stage,
)
from meetops.meetings.services import NewParticipant, add_participants
from meetops.people.models import User

# Invitations go out while the meeting is still ahead.
SENDABLE_STAGES = {Stage.DRAFT, Stage.PREPARING, Stage.READY, Stage.IN_PROGRESS}
# A change to one of these is news for the invitees (and their calendars).
CALENDAR_FIELDS = {"title", "start", "end", "location", "online_url", "format", "description"}


def ensure_settings(meeting: Meeting) -> InvitationSettings:
    state, _created = InvitationSettings.objects.get_or_create(
        meeting=meeting, defaults={"ical_uid": uid_for(meeting)}
    )
    return state


def _locked_settings(meeting: Meeting) -> InvitationSettings:
    ensure_settings(meeting)
    return InvitationSettings.objects.select_for_update().get(meeting=meeting)


def invitees(meeting: Meeting) -> QuerySet[Participant]:
    """Who receives invitations: everyone active on the meeting except its organisers."""
    return Participant.objects.filter(meeting=meeting, status=ParticipantStatus.ACTIVE).exclude(
        role=MeetingRole.ORGANISER
    )


@dataclass
class SendResult:
    """`queued`: messages queued (e-mail, or the bell and work IM for an account without an
    address); `without_email`: the invited whom nothing reaches (no address, no account)."""

    queued: int
    invited: int
    without_email: int


def _ensure_invitations(meeting: Meeting, participants: Sequence[Participant]) -> None:
    """Give every participant an invitation (personal token) if they have none yet."""
    missing = [p for p in participants if not hasattr(p, "invitation")]
    taken = Invitation.objects.filter(meeting=meeting).values_list("short_code", flat=True)
    codes = new_short_codes(taken, len(missing)) if missing else []
    created = Invitation.objects.bulk_create(
        [
            Invitation(participant=p, meeting=meeting, short_code=code)
            for p, code in zip(missing, codes, strict=True)
        ],
        batch_size=1000,
    )
    for participant, invitation in zip(missing, created, strict=True):
        participant.invitation = invitation


def send_invitations(meeting: Meeting, *, actor: User, to: str | Sequence[int]) -> SendResult:
    """Queue personalised invitations (with .ics) to "all", the "uninvited", or the given participant ids.

    Preconditions: the actor manages the meeting; it has not concluded or been cancelled.
    """
    if not can_manage_invitations(actor, meeting):
        raise PermissionDenied()
    if meeting.stage not in SENDABLE_STAGES:
        raise DomainError(
            _("Invitations can only be sent before the meeting is over."), "meeting_closed"
        )
    people = invitees(meeting)
    if to == "uninvited":
        people = people.filter(
            Q(invitation__isnull=True) | Q(invitation__first_sent_at__isnull=True)
        )
    elif isinstance(to, str):
        if to != "all":
            raise ValidationFailed(
                _("Send to “all”, “uninvited” or a list of participants."),
                "invalid_recipients",
                field="to",
            )
    else:
        ids = {int(i) for i in to}
        people = people.filter(pk__in=ids)
        unknown = ids - set(people.values_list("pk", flat=True))
        if unknown:
            raise ValidationFailed(
                _("Some participants are not on this meeting."),
                "unknown_participant",
                ids=sorted(unknown),
            )
    return queue_invitations(
        meeting, people, actor=actor, label=to if isinstance(to, str) else "chosen"
    )


def queue_invitations(
    meeting: Meeting, people: QuerySet[Participant], *, actor: User | None, label: str
) -> SendResult:
    """Create missing invitations and queue one personalised mail each (no permission check: callers do it)."""
    with transaction.atomic():
        state = _locked_settings(meeting)
        participants = list(people.select_related("user", "invitation").order_by("pk"))
        _ensure_invitations(meeting, participants)
        composer = Composer(meeting, state, INVITE)
        mails = []
        reached = []
        for p in participants:
            invitation = p.invitation
            mail = composer.compose(
                invitation,
                p,
                dedupe_key=f"invitations:invite:{invitation.pk}:{invitation.sent_count + 1}",
            )
            if mail is not None:
                mails.append(mail)
            # Invited: mailed, or an account holder, whose "Waiting for me" lists the invitation.
            # Nobody else was told: they stay uninvited until handed their link (handout page).
            if mail is not None or p.user_id is not None:
                reached.append(p.pk)
        now = timezone.now()
        sent = Invitation.objects.filter(participant__in=reached)
        sent.update(last_sent_at=now, sent_count=F("sent_count") + 1)
        sent.filter(first_sent_at__isnull=True).update(first_sent_at=now)
        outbox.queue(mails, meeting=meeting)
        if reached:
            signals.invitations_sent.send(
                Invitation, meeting=meeting, actor=actor, participant_ids=reached
            )
        audit.record(
            "invitations.invitations.sent",
            meeting,
            actor=actor,
            data={"to": label, "invited": len(participants), "queued": len(mails)},
        )
    return SendResult(
        queued=len(mails), invited=len(participants), without_email=len(participants) - len(mails)
    )


def get_invitation_by_token(token: str) -> Invitation:
    """The live invitation for a personal link: unknown, revoked or withdrawn links are all 404."""
    invitation = (
        Invitation.objects.select_related(
            "participant", "participant__user", "meeting", "meeting__kind", "meeting__created_by"
        )
        .filter(token=token, revoked_at__isnull=True)
        .first()
        if token and len(token) <= 64
        else None
    )
    if invitation is None:
        raise NotFound()
    return invitation


def respond(
    invitation: Invitation,
    *,
    response: str,
    reason: str = "",
    substitute: dict[str, str] | None = None,
    source_mail: dict[str, str] | None = None,
) -> Invitation:
    """Record the invitee's answer. The personal link is the authority; there is no user actor.

    `source_mail` names the mail an answer came in (a calendar reply, ADR 0020): its
    Message-ID, digest and sender go into the audit entry with the answer.

    Preconditions: the invitation is live; the meeting has not started, been
    cancelled or closed; the answer deadline (if any) has not passed. A
    substitute may be sent only by a required participant and needs a name.
    """
    if response not in (Response.ACCEPT, Response.DECLINE, Response.SUBSTITUTE):
        raise ValidationFailed(
            _("Answer “accept”, “decline” or “substitute”."), "invalid_response", field="response"
        )
    meeting = invitation.meeting
    if (
        meeting.stage not in SENDABLE_STAGES - {Stage.IN_PROGRESS}
        or meeting.start <= timezone.now()
    ):
        raise DomainError(_("This meeting no longer takes answers."), "rsvp_closed")
    substitute = {k: (v or "").strip() for k, v in (substitute or {}).items()}
    if response == Response.SUBSTITUTE:
        if invitation.participant.attendance != Attendance.REQUIRED:
            raise ValidationFailed(
                _("Only required participants may send a substitute."), "substitute_not_allowed"
            )
        if not substitute.get("name"):
            raise ValidationFailed(
                _("Give the substitute's name."), "substitute_required", field="substitute.name"
            )
    with transaction.atomic():
        state = ensure_settings(meeting)
        if state.rsvp_deadline and state.rsvp_deadline < timezone.now():
            raise DomainError(_("The deadline for answers has passed."), "deadline_passed")
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related(
                "participant",
                "participant__user",
                "meeting",
                "meeting__kind",
                "meeting__created_by",
            )
            .get(pk=invitation.pk)
        )
        if invitation.revoked_at or invitation.participant.status != ParticipantStatus.ACTIVE:
            raise NotFound()
        # The answer's page shows the deadline: spare it a second read of the settings.
        invitation.meeting.__dict__["_invitation_settings"] = state
        before = invitation.response
        invitation.response = response
        invitation.reason = reason.strip()[:2000] if response != Response.ACCEPT else ""
        invitation.responded_at = timezone.now()
        is_sub = response == Response.SUBSTITUTE
        invitation.substitute_name = substitute.get("name", "")[:150] if is_sub else ""
        invitation.substitute_email = substitute.get("email", "")[:254] if is_sub else ""
        invitation.substitute_phone = substitute.get("phone", "")[:40] if is_sub else ""
        invitation.substitute_title = substitute.get("title", "")[:150] if is_sub else ""
        invitation.substitute_status = SubstituteStatus.PENDING if is_sub else SubstituteStatus.NONE
        invitation.save(
            update_fields=[
                "response",
                "reason",
                "responded_at",
                "substitute_name",
                "substitute_email",
                "substitute_phone",
                "substitute_title",
                "substitute_status",
            ]
        )
        audit.record(
            "invitations.rsvp.answered",
            meeting,
            actor=None,
            changes={"response": [before, response]},
            data={
                "participant": invitation.participant_id,
                "person": invitation.participant.display_name,
                "reason": invitation.reason,
                "substitute": invitation.substitute_name,
                **({"mail": source_mail} if source_mail else {}),
            },
        )
        if is_sub:
            leave_requested(invitation)
        if response == Response.DECLINE:
            # a cycle: public registration builds on this module's invitations
            from meetops.invitations.services.public import release_registration

            release_registration(invitation.participant)
    return invitation


def decide_substitute(invitation: Invitation, *, actor: User, accept: bool) -> Participant | None:
    """Accept or refuse the substitute an invitee proposed. Accepting puts the substitute on the meeting
    in the invitee's place and invites them; the invitee is told either way."""
    meeting = invitation.meeting
    if not can_manage_invitations(actor, meeting):
        raise PermissionDenied()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("participant", "participant__user")
            .get(pk=invitation.pk)
        )
        if invitation.substitute_status != SubstituteStatus.PENDING:
            raise DomainError(
                _("There is no substitute waiting for a decision."), "no_pending_substitute"
            )
        original = invitation.participant
        invitation.substitute_status = (
            SubstituteStatus.ACCEPTED if accept else SubstituteStatus.REFUSED
        )
        invitation.substitute_decided_at = timezone.now()
        invitation.substitute_decided_by = actor
        invitation.save(
            update_fields=["substitute_status", "substitute_decided_at", "substitute_decided_by"]
        )
        substitute = None
        if accept:
            user = (
                User.objects.filter(
                    email__iexact=invitation.substitute_email, is_active=True
                ).first()
                if invitation.substitute_email
                else None
            )
            snapshot = {**Participant.snapshot_of(user=user)} if user else {}
            snapshot.update(
                {
                    k: v
                    for k, v in {
                        "name": invitation.substitute_name,
                        "email": invitation.substitute_email,
                        "phone": invitation.substitute_phone,
                        "title": invitation.substitute_title,
                        "organisation": original.organisation,
                        "language": original.language,
                    }.items()
                    if v
                }
            )
            [substitute] = add_participants(
                meeting,
                entries=[
                    NewParticipant(
                        role=original.role,
                        attendance=original.attendance,
                        user=user,
                        substitute_for=original,
                        snapshot=snapshot,
                    )
                ],
                actor=actor,
                audit_as=None,  # audited below as the substitute's acceptance
                refuse_present=True,
            )
            original.status = ParticipantStatus.SUBSTITUTED
            original.save(update_fields=["status"])
        audit.record(
            "invitations.substitute.accepted" if accept else "invitations.substitute.refused",
            meeting,
            actor=actor,
            data={
                "participant": original.pk,
                "substitute": invitation.substitute_name,
                "new_participant": substitute.pk if substitute else None,
            },
        )
        _tell_invitee_about_substitute(invitation, original, accepted=accept)
        if substitute is not None and meeting.stage in SENDABLE_STAGES:
            send_invitations(meeting, actor=actor, to=[substitute.pk])
    meeting.__dict__.pop("_roles_cache", None)
    return substitute


def _tell_invitee_about_substitute(
    invitation: Invitation, participant: Participant, *, accepted: bool
) -> None:
    if not participant.email:
        return
    with translation.override(recipient_language(participant)):
        values = {"name": invitation.substitute_name, "title": invitation.meeting.title}
        text = (
            _("The organiser accepted %(name)s as your substitute for “%(title)s”.")
            if accepted
            else _(
                "The organiser did not accept %(name)s as your substitute for “%(title)s”. Please attend or answer again."
            )
        ) % values
        subject = _("Your substitute for “%(title)s”") % values
        text = f"{text}\n\n{rsvp_url(invitation.token)}"
    decided = (
        int(invitation.substitute_decided_at.timestamp()) if invitation.substitute_decided_at else 0
    )
    outbox.queue(
        [
            outbox.Mail(
                to=participant.email,
                subject=subject,
                text=text,
                html=linebreaks(text),
                dedupe_key=f"invitations:substitute:{invitation.pk}:{decided}",
            )
        ],
        meeting=invitation.meeting,
    )


def set_deadline(meeting: Meeting, *, actor: User, deadline: datetime | None) -> InvitationSettings:
    """Set (or clear) the date by which invitees answer."""
    if not can_manage_invitations(actor, meeting):
        raise PermissionDenied()
    if deadline is not None and timezone.is_naive(deadline):
        raise ValidationFailed(
            _("Times need a time zone offset."), "naive_datetime", field="deadline"
        )
    check_datetime(deadline, field="deadline")
    if deadline is not None and deadline > meeting.start:
        raise ValidationFailed(
            _("The deadline must be before the meeting starts."),
            "deadline_after_start",
            field="deadline",
        )
    with transaction.atomic():
        state = _locked_settings(meeting)
        changes = audit.record_changes(
            "invitations.deadline.set",
            meeting,
            actor=actor,
            before={"rsvp_deadline": state.rsvp_deadline},
            after={"rsvp_deadline": deadline},
        )
        audit.note_outcome(state, changes)
        if changes:
            state.rsvp_deadline = deadline
            state.save(update_fields=["rsvp_deadline"])
    return state


def non_responders(meeting: Meeting) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        meeting=meeting,
        first_sent_at__isnull=False,
        revoked_at__isnull=True,
        response=Response.NONE,
        participant__status=ParticipantStatus.ACTIVE,
    )


def remind_non_responders(meeting: Meeting, *, actor: User | None) -> int:
    """Queue a reminder to everyone invited who has not answered. actor=None: the scheduler."""
    if actor is not None and not can_manage_invitations(actor, meeting):
        raise PermissionDenied()
    if meeting.stage not in SENDABLE_STAGES or meeting.start <= timezone.now():
        raise DomainError(_("This meeting no longer takes answers."), "rsvp_closed")
    with transaction.atomic():
        state = _locked_settings(meeting)
        invitations = list(
            non_responders(meeting).select_related("participant", "participant__user")
        )
        composer = Composer(meeting, state, REMIND)
        mails = _compose_all(
            composer,
            invitations,
            lambda inv: f"invitations:remind:{inv.pk}:{inv.reminder_count + 1}",
        )
        now = timezone.now()
        Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
            reminder_count=F("reminder_count") + 1, last_reminded_at=now
        )
        state.last_reminder_at = now
        state.save(update_fields=["last_reminder_at"])
        outbox.queue(mails, meeting=meeting)
        audit.record(
            "invitations.reminders.sent", meeting, actor=actor, data={"queued": len(mails)}
        )
    return len(mails)


def _compose_all(
    composer: Composer, invitations: Sequence[Invitation], dedupe_key: Callable[[Invitation], str]
) -> list[Any]:
    """One personal message per invitation (skipping people nothing reaches)."""
    return [
        mail
        for inv in invitations
        if (mail := composer.compose(inv, inv.participant, dedupe_key=dedupe_key(inv)))
    ]


def revoke_invitation(invitation: Invitation, *, actor: User) -> Invitation:
    """Withdraw a personal link: it answers 404 from now on."""
    if not can_manage_invitations(actor, invitation.meeting):
        raise PermissionDenied()
    with transaction.atomic():
        updated = Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            audit.record(
                "invitations.invitation.revoked",
                invitation.meeting,
                actor=actor,
                data={"participant": invitation.participant_id},
            )
    invitation.refresh_from_db()
    return invitation


def _announce(meeting: Meeting, kind: str) -> int:
    """Bump the calendar SEQUENCE and queue an update or cancellation to everyone already invited."""
    with transaction.atomic():
        state = _locked_settings(meeting)
        sent = Invitation.objects.filter(
            meeting=meeting, first_sent_at__isnull=False, revoked_at__isnull=True
        )
        if kind == UPDATE:
            sent = sent.exclude(response=Response.DECLINE).filter(
                participant__status=ParticipantStatus.ACTIVE
            )
        invitations = list(sent.select_related("participant", "participant__user"))
        if not invitations:
            return 0
        state.ical_sequence += 1
        state.save(update_fields=["ical_sequence"])
        composer = Composer(meeting, state, kind)
        sequence = state.ical_sequence
        mails = _compose_all(
            composer,
            invitations,
            lambda inv: f"invitations:{kind}:{meeting.pk}:{sequence}:{inv.pk}",
        )
        outbox.queue(mails, meeting=meeting)
        audit.record(
            f"invitations.{'update' if kind == UPDATE else 'cancellation'}.sent",
            meeting,
            actor=None,
            data={"sequence": state.ical_sequence, "queued": len(mails)},
        )
    return len(mails)


def announce_change(meeting: Meeting, *, changes: dict[str, object]) -> int:
    """After the meeting's time, place or description changed: send calendar updates (SEQUENCE+1)."""
    if not CALENDAR_FIELDS & set(changes) or meeting.stage not in SENDABLE_STAGES:
        return 0
    return _announce(meeting, UPDATE)


def announce_cancellation(meeting: Meeting) -> int:
    """After the meeting was cancelled: METHOD:CANCEL to everyone invited."""
    return _announce(meeting, CANCEL)


def announce_removal(participant: Participant) -> int:
    """Before an invited participant is taken off the meeting: METHOD:CANCEL to them alone.

    Called inside the removal's transaction, while the invitation still exists.
    The SEQUENCE grows, so their calendar takes the cancellation as newer than
    the invitation it holds. Returns the number of mails queued (0 or 1).
    """
    invitation = (
        Invitation.objects.filter(
            participant=participant, first_sent_at__isnull=False, revoked_at__isnull=True
        )
        .select_related("meeting", "meeting__kind", "meeting__created_by")
        .first()
    )
    if invitation is None:
        return 0
    meeting = invitation.meeting
    with transaction.atomic():
        state = _locked_settings(meeting)
        state.ical_sequence += 1
        state.save(update_fields=["ical_sequence"])
        mail = Composer(meeting, state, REMOVED).compose(
            invitation,
            participant,
            dedupe_key=f"invitations:removed:{meeting.pk}:{state.ical_sequence}:{invitation.pk}",
        )
        queued = outbox.queue([mail], meeting=meeting) if mail else 0
        audit.record(
            "invitations.cancellation.sent",
            meeting,
            actor=None,
            data={
                "sequence": state.ical_sequence,
                "queued": queued,
                "participant": participant.pk,
                "reason": "participant_removed",
            },
        )
    return queued
