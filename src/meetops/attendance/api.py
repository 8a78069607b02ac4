"""Sign-in API: list, sign in (by participant or by code), undo, the attendance summary.

Mounted at `/meetings` next to the meetings router.
"""

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from meetops.attendance import selectors, services
from meetops.attendance.models import SignIn
from meetops.attendance.permissions import can_run_desk
from meetops.core.errors import NotFound, PermissionDenied, ValidationFailed
from meetops.core.schemas import DbId, Input, Pagination
from meetops.core.web import AuthedRequest
from meetops.meetings.models import Meeting, Participant
from meetops.meetings.selectors import get_meeting_for_user

router = Router(tags=["sign-in and attendance"])


class PersonOut(Schema):
    id: int
    name: str
    organisation: str
    role: str
    roles: list[str]
    attendance: str

    @staticmethod
    def resolve_name(obj: Participant) -> str:
        return obj.display_name


class SignInOut(Schema):
    id: int
    participant: PersonOut
    signed_in_at: datetime
    method: str = Field(..., description="qr_scan, desk_manual, self_link or import")
    by_id: DbId | None
    late: bool
    walk_in: bool
    substitute_for_id: DbId | None = Field(
        ..., description="The participant this person attends for (代参会), if any"
    )
    note: str
    undone_at: datetime | None
    undo_reason: str


class SignInIn(Input):
    participant_id: DbId | None = None
    code: str | None = Field(
        None, max_length=500, description="A sign-in code or its /checkin/ URL"
    )
    note: str = Field("", max_length=300)


class UndoIn(Input):
    reason: str = Field(..., min_length=1, max_length=300)


class AttendanceSummaryOut(Schema):
    expected: int
    signed_in: int
    not_yet: int
    late: int
    walk_ins: int
    self_signin: bool
    opens_at: datetime
    late_after: datetime


def _desk(request: AuthedRequest, meeting_id: int) -> Meeting:
    meeting = get_meeting_for_user(request.user, meeting_id)
    if not can_run_desk(request.user, meeting):
        raise PermissionDenied()
    return meeting


@router.get(
    "/{int:meeting_id}/signins", response=list[SignInOut], summary="Sign-ins, earliest first"
)
@paginate(Pagination)
def list_signins(
    request: AuthedRequest, meeting_id: int, include_undone: bool = False
) -> QuerySet[SignIn]:
    meeting = _desk(request, meeting_id)
    return selectors.signins_of(meeting, include_undone=include_undone)


@router.post(
    "/{int:meeting_id}/signins",
    response={200: SignInOut, 201: SignInOut},
    summary="Sign a participant in (201), or get their sign-in if already signed in (200)",
)
def create_signin(request: AuthedRequest, meeting_id: int, payload: SignInIn) -> Status:
    meeting = selectors.get_meeting_for_desk(request.user, meeting_id, code=payload.code)
    if (payload.participant_id is None) == (payload.code is None):
        raise ValidationFailed(
            _("Give either participant_id or code."), "participant_or_code", field="participant_id"
        )
    actor = request.user
    if payload.code is not None:
        result = services.sign_in_by_code(meeting, code=payload.code, actor=actor)
    else:
        participant = Participant.objects.filter(
            meeting=meeting, pk=payload.participant_id or 0
        ).first()
        if participant is None:
            raise NotFound()
        result = services.sign_in(meeting, participant=participant, actor=actor, note=payload.note)
    # The answer is the row just written (or the one that won), not read back.
    return Status(201 if result.created else 200, result.signin)


@router.delete(
    "/{int:meeting_id}/signins/{int:signin_id}",
    response=SignInOut,
    summary="Undo a sign-in (with a reason); the record stays, marked undone",
)
def undo_signin(request: AuthedRequest, meeting_id: int, signin_id: int, payload: UndoIn) -> SignIn:
    meeting = _desk(request, meeting_id)
    signin = SignIn.objects.filter(meeting=meeting, pk=signin_id).first()
    if signin is None:
        raise NotFound()
    services.undo_sign_in(signin, actor=request.user, reason=payload.reason)
    return selectors.signins_of(meeting, include_undone=True).get(pk=signin.pk)


@router.get(
    "/{int:meeting_id}/attendance", response=AttendanceSummaryOut, summary="Attendance counts"
)
def attendance_summary(request: AuthedRequest, meeting_id: int) -> dict[str, object]:
    meeting = get_meeting_for_user(request.user, meeting_id)
    summary = selectors.summary(meeting)
    return {
        **summary.__dict__,
        "self_signin": selectors.settings_of(meeting).self_signin,
        "opens_at": selectors.opens_at(meeting),
        "late_after": selectors.late_after(meeting),
    }
