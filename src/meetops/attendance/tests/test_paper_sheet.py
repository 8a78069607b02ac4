"""The paper fallback: export the sheet, type the written times in, upload it; all or nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from meetops.attendance import services
from meetops.attendance.models import Method, SignIn
from meetops.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _filled_sheet(client, meeting, times: dict[str, str]) -> SimpleUploadedFile:
    """The exported Excel file with the given names' "Signed in at" cells typed in."""
    exported = client.get(f"/meetings/{meeting.pk}/signin/attendance.xlsx").content
    book = load_workbook(io.BytesIO(exported))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    time_col = (
        header.index("签到时间") + 1 if "签到时间" in header else header.index("Signed in at") + 1
    )
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in times:
            row[time_col - 1].value = times[row[0].value]
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("sheet.xlsx", out.getvalue())


def _clock(meeting, minutes: int) -> str:
    return timezone.localtime(meeting.start + timedelta(minutes=minutes)).strftime("%H:%M")


def test_written_times_become_sign_ins_at_those_times(client, desk_meeting, guest, organiser):
    meeting = desk_meeting(3, starts_in=timedelta(minutes=-50))
    services.sign_in(meeting, participant=guest(meeting, 3), actor=organiser)
    client.force_login(organiser)
    upload = _filled_sheet(
        client, meeting, {"嘉宾1": _clock(meeting, -10), "嘉宾2": _clock(meeting, 12)}
    )
    response = client.post(
        f"/meetings/{meeting.pk}/signin/sheet/import/", {"file": upload}, follow=True
    )
    assert response.status_code == 200
    first = SignIn.objects.get(participant=guest(meeting, 1))
    second = SignIn.objects.get(participant=guest(meeting, 2))
    assert (first.method, first.late, first.by) == (Method.IMPORT, False, organiser)
    assert second.late
    assert timezone.localtime(first.signed_in_at).strftime("%H:%M") == _clock(meeting, -10)
    assert SignIn.objects.filter(participant=guest(meeting, 3)).count() == 1  # kept, not doubled
    assert AuditEntry.objects.filter(action="attendance.signin.created").count() == 3


def test_a_sheet_with_a_bad_line_records_nothing(client, desk_meeting, guest, organiser):
    meeting = desk_meeting(2, starts_in=timedelta(minutes=-30))
    client.force_login(organiser)
    upload = _filled_sheet(client, meeting, {"嘉宾1": _clock(meeting, 0), "嘉宾2": "九点"})
    response = client.post(
        f"/meetings/{meeting.pk}/signin/sheet/import/", {"file": upload}, follow=True
    )
    assert not SignIn.objects.exists()
    assert "3" in response.content.decode()  # the row number of 嘉宾2's line is reported


def test_service_reports_each_bad_row(desk_meeting, guest, organiser):
    from meetops.core.errors import ValidationFailed

    meeting = desk_meeting(1, starts_in=timedelta(minutes=-30))
    rows = [
        services.PaperRow(row=2, participant_id=guest(meeting, 1).pk, time="23:61"),
        services.PaperRow(row=3, participant_id=999999, time="09:00"),
        services.PaperRow(row=4, participant_id=guest(meeting, 1).pk, time=_clock(meeting, 600)),
        services.PaperRow(row=5, participant_id=guest(meeting, 1).pk, time=""),
    ]
    with pytest.raises(ValidationFailed) as exc:
        services.record_paper_sheet(meeting, actor=organiser, rows=rows)
    assert exc.value.code == "sheet_errors"
    assert [(r["row"], r["code"]) for r in exc.value.details["rows"]] == [
        (2, "unreadable_time"),
        (3, "unknown_participant"),
        (4, "time_outside_meeting"),
    ]


def test_a_file_that_is_not_the_sheet_is_refused(client, desk_meeting, organiser):
    meeting = desk_meeting(1)
    client.force_login(organiser)
    upload = SimpleUploadedFile("x.xlsx", b"not a spreadsheet")
    client.post(f"/meetings/{meeting.pk}/signin/sheet/import/", {"file": upload})
    assert not SignIn.objects.exists()
