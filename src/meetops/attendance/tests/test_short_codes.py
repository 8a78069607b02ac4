"""Issue 16 finding 17(b): a six-digit code the desk can type, unique per meeting, accepted by
the desk's code field, with wrong guesses limited."""

from __future__ import annotations

import pytest

from meetops.attendance import services
from meetops.attendance.models import Method, ShortCodeMiss
from meetops.core.errors import DomainError, NotFound
from meetops.invitations.models import Invitation

pytestmark = pytest.mark.django_db


def _short(participant):
    return Invitation.objects.get(participant=participant).short_code


def test_every_invitation_has_a_distinct_six_digit_code(desk_meeting):
    meeting = desk_meeting(40)
    codes = list(Invitation.objects.filter(meeting=meeting).values_list("short_code", flat=True))
    assert len(codes) == 40 and len(set(codes)) == 40
    assert all(len(c) == 6 and c.isdigit() for c in codes)


def test_the_desk_types_the_short_code_with_or_without_a_space(
    client, desk_meeting, guest, organiser
):
    meeting = desk_meeting(2)
    code = _short(guest(meeting, 1))
    result = services.sign_in_by_code(meeting, code=f"{code[:3]} {code[3:]}", actor=organiser)
    assert result.created and result.signin.participant == guest(meeting, 1)
    assert result.signin.method == Method.DESK_MANUAL
    client.force_login(organiser)
    response = client.post(
        f"/meetings/{meeting.pk}/signin/scan/",
        {"code": _short(guest(meeting, 2))},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "嘉宾2" in response.content.decode()
    assert meeting.signins.filter(participant=guest(meeting, 2)).exists()


def test_a_code_of_another_meeting_is_unknown_here(desk_meeting, guest, organiser):
    meeting, other = desk_meeting(1), desk_meeting(1)
    code = _short(guest(other, 1))
    if Invitation.objects.filter(meeting=meeting, short_code=code).exists():
        pytest.skip("the two meetings drew the same code")
    with pytest.raises(NotFound) as refused:
        services.sign_in_by_code(meeting, code=code, actor=organiser)
    assert refused.value.code == "unknown_code"
    assert not meeting.signins.exists() and not other.signins.exists()


def test_wrong_codes_are_limited_per_person(desk_meeting, guest, organiser):
    meeting = desk_meeting(1)
    taken = set(Invitation.objects.filter(meeting=meeting).values_list("short_code", flat=True))
    wrong = [f"{n:06d}" for n in range(100) if f"{n:06d}" not in taken]
    for code in wrong[: services.SHORT_CODE_MISSES]:
        with pytest.raises(NotFound):
            services.sign_in_by_code(meeting, code=code, actor=organiser)
    assert ShortCodeMiss.objects.filter(meeting=meeting, by=organiser).count() == 10
    with pytest.raises(DomainError) as stopped:  # even the right code, until the window passes
        services.sign_in_by_code(meeting, code=_short(guest(meeting, 1)), actor=organiser)
    assert stopped.value.code == "too_many_wrong_codes"
    assert not meeting.signins.exists()


def test_the_personal_code_page_shows_the_short_code(client, desk_meeting, guest, code_of):
    meeting = desk_meeting(1)
    short = _short(guest(meeting, 1))
    page = client.get(f"/checkin/{code_of(guest(meeting, 1))}").content.decode()
    assert f"{short[:3]} {short[3:]}" in page.split('id="short-code"')[1]
