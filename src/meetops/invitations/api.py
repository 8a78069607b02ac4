"""Participants, invitations and RSVP API.

Mounted twice: at `/meetings` next to the meetings router (participants,
invitations, the RSVP dashboard) and at `/rsvp` (the personal link, no login).
"""

from datetime import datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from meetops.core.errors import NotFound, ValidationFailed
from meetops.core.schemas import DbId, Pagination
from meetops.core.validation import SaneDatetime
from meetops.core.web import AuthedRequest
from meetops.invitations import selectors, spreadsheets
from meetops.invitations.agenda import agenda_items
from meetops.invitations.mail import qr_url
from meetops.invitations.models import Invitation, InvitationSettings, Response
from meetops.invitations.services import invitations as invites
from meetops.invitations.services import participants as people
from meetops.invitations.views_export import export_response
from meetops.meetings import services as meeting_services
from meetops.meetings.models import Attendance, DutyKind, MeetingRole, Participant
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import Department, ExternalContact, User

router = Router(tags=["participants and invitations"])
rsvp_router = Router(tags=["rsvp"], auth=None)


class ParticipantOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    organisation: str
    title: str
    role: str = Field(..., description="the primary role")
    roles: list[str] = Field(..., description="every role of the person, the primary one first")
    attendance: str
    duty_kinds: list[str] = Field(
        ..., description="kinds of duty: desk, security, recording, logistics, tech"
    )
    duties: str = Field(..., description="the duty note (free text)")
    seat_preference: str
    language: str
    status: str
    user_id: DbId | None
    contact_id: DbId | None
    substitute_for_id: DbId | None
    rsvp: str = Field(
        ..., description="uninvited, no_answer, accept, decline, substitute or substituted"
    )
    reason: str
    responded_at: datetime | None
    invited_at: datetime | None
    substitute: dict[str, str] | None

    @staticmethod
    def resolve_rsvp(obj: Participant) -> str:
        return selectors.rsvp_state(obj)

    @staticmethod
    def resolve_reason(obj: Participant) -> str:
        inv = getattr(obj, "invitation", None)
        return inv.reason if inv else ""

    @staticmethod
    def resolve_responded_at(obj: Participant) -> datetime | None:
        inv = getattr(obj, "invitation", None)
        return inv.responded_at if inv else None

    @staticmethod
    def resolve_invited_at(obj: Participant) -> datetime | None:
        inv = getattr(obj, "invitation", None)
        return inv.first_sent_at if inv else None

    @staticmethod
    def resolve_substitute(obj: Participant) -> dict[str, str] | None:
        inv = getattr(obj, "invitation", None)
        if inv is None or not inv.substitute_status:
            return None
        return {
            "name": inv.substitute_name,
            "email": inv.substitute_email,
            "phone": inv.substitute_phone,
            "title": inv.substitute_title,
            "status": inv.substitute_status,
        }


class ParticipantIn(Schema):
    user_id: DbId | None = None
    contact_id: DbId | None = None
    name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    organisation: str = Field("", max_length=200)
    title: str = Field("", max_length=150)
    language: str = Field("", max_length=10)
    seat_preference: str = Field("", max_length=200)
    role: MeetingRole = MeetingRole.PARTICIPANT
    attendance: Attendance = Attendance.REQUIRED
    duties: str = Field("", max_length=5000)


class ParticipantPatch(Schema):
    role: MeetingRole | None = None
    attendance: Attendance | None = None
    duty_kinds: list[DutyKind] | None = None
    duties: str | None = Field(None, max_length=5000)
    seat_preference: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    title: str | None = Field(None, max_length=150)
    organisation: str | None = Field(None, max_length=200)


class BulkIn(Schema):
    user_ids: list[DbId] = Field(default_factory=list, max_length=10000)
    contact_ids: list[DbId] = Field(default_factory=list, max_length=10000)
    department_id: DbId | None = None
    group_id: DbId | None = None
    role: MeetingRole = MeetingRole.PARTICIPANT
    attendance: Attendance = Attendance.REQUIRED


class BulkOut(Schema):
    added: int
    skipped: int


class ImportOut(Schema):
    created: int
    merged: int


class InvitationsIn(Schema):
    to: Literal["all", "uninvited"] | list[int] = Field(..., max_length=100000)


class QueuedOut(Schema):
    queued: int
    invited: int
    without_email: int


class SummaryOut(Schema):
    participants: int
    invited: int
    uninvited: int
    accepted: int
    declined: int
    substitutes: int
    substitutes_pending: int
    no_answer: int
    rsvp_deadline: datetime | None
    non_responders: list[ParticipantOut]


class DeadlineIn(Schema):
    deadline: SaneDatetime | None


class DecisionIn(Schema):
    accept: bool


def department_or_422(department_id: int | None) -> Department | None:
    """The department named in a body, or `unknown_department` (422)."""
    if not department_id:
        return None
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise ValidationFailed(
            _("Unknown department."), "unknown_department", field="department_id"
        )
    return department


def _participant(meeting_id: int, participant_id: int, request: AuthedRequest) -> Participant:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    participant = selectors.participants_of(meeting).filter(pk=participant_id).first()
    if participant is None:
        raise NotFound()
    return participant


@router.get(
    "/{int:meeting_id}/participants",
    response=list[ParticipantOut],
    summary="People on the meeting with their RSVP state",
)
@paginate(Pagination)
def list_participants(
    request: AuthedRequest,
    meeting_id: int,
    ordering: Literal["role", "pinyin", "strokes"] = "role",
) -> QuerySet[Participant]:
    """`ordering`: by role then name (pinyin), by name (pinyin), or by surname strokes (姓氏笔画)."""
    meeting = get_meeting_for_user(request.user, meeting_id)
    return selectors.participants_of(meeting, ordering=ordering)


@router.post(
    "/{int:meeting_id}/participants",
    response={201: ParticipantOut},
    summary="Put a person on the meeting",
)
def add_participant(request: AuthedRequest, meeting_id: int, payload: ParticipantIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    data = payload.dict()
    user = (
        User.objects.filter(pk=data.pop("user_id"), is_active=True).first()
        if payload.user_id
        else None
    )
    contact = (
        ExternalContact.objects.filter(pk=data.pop("contact_id")).first()
        if payload.contact_id
        else None
    )
    data.pop("user_id", None), data.pop("contact_id", None)
    if (payload.user_id and user is None) or (payload.contact_id and contact is None):
        raise ValidationFailed(
            _("Unknown person."),
            "unknown_person",
            field="user_id" if payload.user_id else "contact_id",
        )
    if data["email"]:
        people._valid_email(data["email"])
    role, attendance, duties = (
        str(data.pop("role").value),
        str(data.pop("attendance").value),
        data.pop("duties"),
    )
    participant = meeting_services.add_participant(
        meeting,
        actor=request.user,
        user=user,
        contact=contact,
        role=role,
        attendance=attendance,
        duties=duties,
        **data,
    )
    return Status(201, selectors.participants_of(meeting).get(pk=participant.pk))


@router.patch("/{int:meeting_id}/participants/{int:participant_id}", response=ParticipantOut)
def update_participant(
    request: AuthedRequest, meeting_id: int, participant_id: int, payload: ParticipantPatch
) -> Participant:
    participant = _participant(meeting_id, participant_id, request)
    fields = {
        k: getattr(v, "value", v)
        for k, v in payload.dict(exclude_unset=True).items()
        if v is not None
    }
    people.update_participant(participant, actor=request.user, **fields)
    return selectors.participants_of(participant.meeting).get(pk=participant.pk)


@router.delete("/{int:meeting_id}/participants/{int:participant_id}", response={204: None})
def remove_participant(request: AuthedRequest, meeting_id: int, participant_id: int) -> Status:
    participant = _participant(meeting_id, participant_id, request)
    meeting_services.remove_participant(participant, actor=request.user)
    return Status(204, None)


@router.post(
    "/{int:meeting_id}/participants/bulk",
    response=BulkOut,
    summary="Add users, a department subtree, a saved group, contacts",
)
def add_many(request: AuthedRequest, meeting_id: int, payload: BulkIn) -> people.AddResult:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    department = department_or_422(payload.department_id)
    group = (
        selectors.groups_for(request.user).filter(pk=payload.group_id).first()
        if payload.group_id
        else None
    )
    if payload.group_id and group is None:
        raise ValidationFailed(_("Unknown group."), "unknown_group", field="group_id")
    return people.add_people(
        meeting,
        actor=request.user,
        users=User.objects.filter(pk__in=payload.user_ids, is_active=True),
        contacts=ExternalContact.objects.filter(pk__in=payload.contact_ids),
        department=department,
        group=group,
        role=payload.role.value,
        attendance=payload.attendance.value,
    )


@router.post(
    "/{int:meeting_id}/participants/import",
    response=ImportOut,
    summary="Import .xlsx/.csv: all rows or none",
)
def import_list(
    request: AuthedRequest, meeting_id: int, file: File[UploadedFile], merge: Form[bool] = False
) -> people.ImportResult:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    rows = spreadsheets.read_rows(file.read(), file.name or "")
    return people.import_participants(meeting, actor=request.user, rows=rows, merge=merge)


@router.get("/{int:meeting_id}/participants/export", summary="The participant list as .xlsx")
def export_list(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    return export_response(meeting)


@router.post(
    "/{int:meeting_id}/participants/{int:participant_id}/substitute",
    response=ParticipantOut,
    summary="Accept or refuse a proposed substitute",
)
def decide_substitute(
    request: AuthedRequest, meeting_id: int, participant_id: int, payload: DecisionIn
) -> Participant:
    participant = _participant(meeting_id, participant_id, request)
    invitation = selectors.invitation_of(participant.meeting, participant.pk)
    new = invites.decide_substitute(invitation, actor=request.user, accept=payload.accept)
    return selectors.participants_of(participant.meeting).get(pk=new.pk if new else participant.pk)


@router.post(
    "/{int:meeting_id}/invitations", response={202: QueuedOut}, summary="Queue invitations"
)
def send_invitations(request: AuthedRequest, meeting_id: int, payload: InvitationsIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    result = invites.send_invitations(meeting, actor=request.user, to=payload.to)
    return Status(202, result)


@router.get(
    "/{int:meeting_id}/rsvp",
    response=SummaryOut,
    summary="RSVP dashboard: counts and who has not answered",
)
def rsvp_dashboard(request: AuthedRequest, meeting_id: int) -> dict[str, object]:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    state = InvitationSettings.objects.filter(meeting=meeting).first()
    pending = selectors.participants_of(meeting).filter(
        pk__in=invites.non_responders(meeting).values("participant_id")
    )
    return {
        **selectors.rsvp_summary(meeting).__dict__,
        "rsvp_deadline": state.rsvp_deadline if state else None,
        "non_responders": list(pending),
    }


@router.put(
    "/{int:meeting_id}/rsvp/deadline", response=DeadlineIn, summary="Set the date to answer by"
)
def set_deadline(request: AuthedRequest, meeting_id: int, payload: DeadlineIn) -> DeadlineIn:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    state = invites.set_deadline(meeting, actor=request.user, deadline=payload.deadline)
    return DeadlineIn(deadline=state.rsvp_deadline)


@router.post(
    "/{int:meeting_id}/rsvp/reminders",
    response={202: QueuedOut},
    summary="Remind everyone who has not answered",
)
def remind(request: AuthedRequest, meeting_id: int) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    queued = invites.remind_non_responders(meeting, actor=request.user)
    return Status(202, {"queued": queued, "invited": queued, "without_email": 0})


# ------------------------------------------------------------------ the personal link


class RsvpMeetingOut(Schema):
    id: int
    title: str
    kind: str
    start: datetime
    end: datetime
    location: str
    online_url: str
    description: str
    stage: str
    agenda: list[str]


class RsvpOut(Schema):
    meeting: RsvpMeetingOut
    name: str
    role: str
    attendance: str
    response: str
    reason: str
    responded_at: datetime | None
    substitute: dict[str, str] | None
    rsvp_deadline: datetime | None
    can_send_substitute: bool
    qr_url: str | None


class SubstituteIn(Schema):
    name: str = Field(..., max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    title: str = Field("", max_length=150)


class RsvpIn(Schema):
    response: Literal["accept", "decline", "substitute"]
    reason: str = Field("", max_length=2000)
    substitute: SubstituteIn | None = None


def rsvp_payload(invitation: Invitation) -> dict[str, object]:
    meeting, participant = invitation.meeting, invitation.participant
    state = (
        meeting.__dict__.get("_invitation_settings")
        or InvitationSettings.objects.filter(meeting=meeting).first()
    )
    return {
        "meeting": {
            "id": meeting.pk,
            "title": meeting.title,
            "kind": meeting.kind.code,
            "start": meeting.start,
            "end": meeting.end,
            "location": meeting.location,
            "online_url": meeting.online_url,
            "description": meeting.description,
            "stage": meeting.stage,
            "agenda": agenda_items(meeting),
        },
        "name": participant.display_name,
        "role": participant.role,
        "attendance": participant.attendance,
        "response": invitation.response,
        "reason": invitation.reason,
        "responded_at": invitation.responded_at,
        "substitute": {
            "name": invitation.substitute_name,
            "email": invitation.substitute_email,
            "phone": invitation.substitute_phone,
            "status": invitation.substitute_status,
        }
        if invitation.substitute_status
        else None,
        "rsvp_deadline": state.rsvp_deadline if state else None,
        "can_send_substitute": participant.attendance == Attendance.REQUIRED,
        "qr_url": qr_url(invitation.token) if invitation.response == Response.ACCEPT else None,
    }


@rsvp_router.get(
    "/{token}", response=RsvpOut, summary="The meeting and the person's answer (no login)"
)
def read_rsvp(request: HttpRequest, token: str) -> dict[str, object]:
    return rsvp_payload(invites.get_invitation_by_token(token))


@rsvp_router.post("/{token}", response=RsvpOut, summary="Answer the invitation (no login)")
def answer_rsvp(request: HttpRequest, token: str, payload: RsvpIn) -> dict[str, object]:
    invitation = invites.get_invitation_by_token(token)
    invitation = invites.respond(
        invitation,
        response=payload.response,
        reason=payload.reason,
        substitute=payload.substitute.dict() if payload.substitute else None,
    )
    # `respond` hands back the row it locked and wrote, with what the answer shows.
    return rsvp_payload(invitation)
