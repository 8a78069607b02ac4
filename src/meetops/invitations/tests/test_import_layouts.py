"""Importing the participant sheets offices make: a title row ("…参会人员名单"), a date line and
blank rows above the headers; headers found by their names; errors naming row and column as the
sheet shows them; nobody lost."""

from __future__ import annotations

import io

import openpyxl
import pytest

from meetops.core.errors import ValidationFailed
from meetops.invitations import spreadsheets
from meetops.invitations.services import participants as people

pytestmark = pytest.mark.django_db


def _xlsx(rows, merge_title=False):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge_title:
        sheet.merge_cells("A1:E1")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


OFFICE_SHEET = [
    ["2026年度工作会议参会人员名单"],
    ["填报单位：办公室（盖章）            日期：2026年10月20日"],
    [],
    ["序号", "姓名", "部门", "职务", "手机", "邮箱"],
    [1, "王芳", "财政局", "科长", "13800138000", "wangfang@example.org"],
    [2, "李强", "教育局", "副局长", "13900139000", "liqiang@example.org"],
    [],
    [3, "张伟", "办公室", "主任", "13700137000", ""],
]


def test_an_office_sheet_with_a_title_row_imports_everyone(make_meeting, organiser):
    rows = spreadsheets.read_rows(_xlsx(OFFICE_SHEET, merge_title=True), "参会人员名单.xlsx")
    assert [r["name"] for r in rows] == ["王芳", "李强", "张伟"]
    assert rows[0] == {
        "name": "王芳",
        "organisation": "财政局",
        "title": "科长",
        "phone": "13800138000",
        "email": "wangfang@example.org",
    }
    meeting = make_meeting()
    result = people.import_participants(meeting, actor=organiser, rows=rows)
    assert result.created == 3
    assert set(meeting.participants.values_list("name", flat=True)) >= {"王芳", "李强", "张伟"}


def test_a_csv_with_headers_in_another_row_and_english_names(make_meeting, organiser):
    data = (
        "Participants of the annual meeting,,\n"
        ",,\n"
        "Name,Department,E-mail\n"
        "Wang Fang,Finance,wf@example.org\n"
        "Li Qiang,Education,lq@example.org\n"
    ).encode("utf-8-sig")
    rows = spreadsheets.read_rows(data, "list.csv")
    assert [r["email"] for r in rows] == ["wf@example.org", "lq@example.org"]
    assert people.import_participants(make_meeting(), actor=organiser, rows=rows).created == 2


def test_errors_name_the_row_and_column_of_the_sheet(make_meeting, organiser):
    sheet = [
        *OFFICE_SHEET[:4],
        [1, "赵六", "财政局", "", "abc", "not-an-email"],
        [2, "", "", "", "", "x@example.org"],
    ]
    rows = spreadsheets.read_rows(_xlsx(sheet), "名单.xlsx")
    meeting = make_meeting()
    with pytest.raises(ValidationFailed) as exc:
        people.import_participants(meeting, actor=organiser, rows=rows)
    found = [(e["row"], e["column"], e["code"]) for e in exc.value.details["rows"]]
    assert found == [
        (5, "F", "invalid_email"),
        (5, "E", "invalid_phone"),
        (6, "B", "name_required"),
    ]
    messages = [e["message"] for e in exc.value.details["rows"]]
    assert messages[0].startswith("第 5 行") and messages[0].endswith("（F 列）")
    assert meeting.participants.count() == 1  # all or nothing: only the organiser


def test_a_sheet_without_a_name_column_says_so():
    data = _xlsx([["2026年度工作会议参会人员名单"], ["部门", "职务"], ["财政局", "科长"]])
    with pytest.raises(ValidationFailed) as exc:
        spreadsheets.read_rows(data, "名单.xlsx")
    assert exc.value.code == "no_name_column"
    assert "姓名" in exc.value.message
