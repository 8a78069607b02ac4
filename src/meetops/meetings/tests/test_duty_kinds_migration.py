"""meetings 0008: the duties people typed (协助签到台, 安保巡查, 会议记录, 会务保障) get their kinds,
so whoever was at the desk before the kinds existed still opens it; the text stays as the note."""

from __future__ import annotations

from typing import Any

import pytest

from meetops.core.tests.migrating import migrate, migrate_to_latest
from meetops.meetings.models import Participant

BEFORE = [("meetings", "0007_one_row_per_person")]
AFTER = [("meetings", "0008_duty_kinds")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_free_text_duties_get_their_kinds(make_meeting: Any) -> None:
    meeting = make_meeting()
    typed = {
        "desk": "协助签到台",
        "both": "安保巡查、會務保障",
        "minutes": "会议记录",
        "tech": "音响与投影",
        "none": "致辞",
        "empty": "",
    }
    try:
        old = migrate(BEFORE).loader.project_state(BEFORE).apps
        OldParticipant = old.get_model("meetings", "Participant")
        for name, duties in typed.items():
            OldParticipant.objects.create(
                meeting_id=meeting.pk, role="staff", name=name, duties=duties
            )
        migrate(AFTER)
    finally:
        migrate_to_latest()
    rows = Participant.objects.filter(meeting=meeting, name__in=typed)
    found = {p.name: (p.duty_kinds, p.duties) for p in rows}
    assert found == {
        "desk": (["desk"], "协助签到台"),
        "both": (["security", "logistics"], "安保巡查、會務保障"),
        "minutes": (["recording"], "会议记录"),
        "tech": (["tech"], "音响与投影"),
        "none": ([], "致辞"),
        "empty": ([], ""),
    }
