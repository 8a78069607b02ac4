"""meetings 0007: a person listed twice on a meeting (主持人 and 参会人员) becomes one row with
both roles; the sign-in, the answered invitation and the duties of the duplicate are kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from meetops.core.tests.migrating import migrate, migrate_to_latest
from meetops.meetings import services
from meetops.meetings.models import Participant

BEFORE = [("meetings", "0006_name_keys")]
AFTER = [("meetings", "0007_one_row_per_person")]
OTHERS = [
    ("attendance", "0002_signin_step"),
    ("invitations", "0004_short_codes"),
]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = migrate(targets)
    # The state the other apps' models had then: their latest migrations, meetings at `targets`.
    return executor.loader.project_state([*targets, *OTHERS]).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_duplicates_are_merged_keeping_sign_ins_answers_and_duties(
    make_meeting: Any, organiser: Any, make_user: Any
) -> None:
    meeting = make_meeting()
    wang = make_user("wangfang", email="wangfang@example.org")
    host = services.add_participant(
        meeting, actor=organiser, user=wang, role="host", duties="主持会议"
    )
    alone = services.add_participant(meeting, actor=organiser, name="李强", email="li@example.org")
    old = _migrate(BEFORE)
    try:
        OldParticipant = old.get_model("meetings", "Participant")
        SignIn = old.get_model("attendance", "SignIn")
        Invitation = old.get_model("invitations", "Invitation")
        twin = OldParticipant.objects.create(
            meeting_id=meeting.pk,
            user_id=wang.pk,
            role="participant",
            duties="汇报预算",
            name=str(wang),
            email=wang.email,
        )
        guest_twin = OldParticipant.objects.create(
            meeting_id=meeting.pk, role="speaker", name="李强", email="LI@example.org"
        )
        SignIn.objects.create(
            meeting_id=meeting.pk,
            participant_id=twin.pk,
            signed_in_at=timezone.now(),
            method="desk_manual",
        )
        Invitation.objects.create(participant_id=host.pk, meeting_id=meeting.pk)
        Invitation.objects.create(
            participant_id=twin.pk,
            meeting_id=meeting.pk,
            response="accept",
            responded_at=timezone.now(),
        )
    finally:
        _migrate(AFTER)
        migrate_to_latest()  # and the other apps' migrations that depend on meetings 0007

    rows = Participant.objects.filter(meeting=meeting, user=wang)
    assert rows.count() == 1
    kept = rows.get()
    assert kept.pk == host.pk  # 主持人 outranks 参会人员: the host's row is kept
    assert kept.roles == ["host", "participant"]
    assert kept.duties == "主持会议；汇报预算"
    assert kept.signins.count() == 1  # the duplicate's sign-in moved
    assert kept.invitation.response == "accept"  # the answered invitation wins
    guest = Participant.objects.filter(meeting=meeting, email__iexact="li@example.org")
    assert guest.count() == 1 and guest.get().roles == ["speaker", "participant"]
    assert guest.get().pk == guest_twin.pk != alone.pk  # speaker outranks participant
