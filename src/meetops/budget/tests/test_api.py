"""The budget API: the whole life of a budget, its errors in the one error shape, and personas."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetops.budget.models import Expense
from meetops.budget.tests.conftest import LINES

pytestmark = pytest.mark.django_db


def test_budget_life_through_the_api(api_as, meeting, organiser, leader):
    base = f"/api/v1/meetings/{meeting.pk}"
    org, boss = api_as(organiser), api_as(leader)
    assert org.get(f"{base}/budget").json()["lines"] == []
    body = org.put(f"{base}/budget", {"lines": LINES}).json()
    assert body["status"] == "draft" and body["planned_total"] == "4200.50"
    assert [line["planned"] for line in body["lines"]] == ["3000.00", "1200.50"]
    assert org.post(f"{base}/budget/submit").json()["status"] == "submitted"
    response = boss.post(f"{base}/budget/return", {"comment": ""})
    assert response.status_code == 422 and response.json()["error"]["code"] == "comment_required"
    assert boss.post(f"{base}/budget/approve", {"comment": "同意"}).json()["status"] == "approved"

    venue = body["lines"][0]["id"]
    expense = {"line_id": venue, "amount": "3100.00", "spent_on": "2026-11-20", "payee": "酒店"}
    response = org.post(f"{base}/expenses", expense)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "over_budget_reason_required"
    response = org.post(f"{base}/expenses", {**expense, "over_budget_reason": "多订一间"})
    assert response.status_code == 201, response.content
    assert response.json()["warnings"] == ["line_over_budget"]
    listed = org.get(f"{base}/expenses").json()
    assert listed["total"] == "3100.00" and len(listed["items"]) == 1
    budget = org.get(f"{base}/budget").json()
    assert [w["code"] for w in budget["warnings"]] == ["line_over_budget"]
    assert budget["lines"][0]["remaining"] == "-100.00"

    assert (
        org.post(f"{base}/settlement/submit", {"note": "附发票"}).json()["settlement_status"]
        == "submitted"
    )
    response = org.post(f"{base}/settlement/approve", {})
    assert response.status_code == 403
    assert boss.post(f"{base}/settlement/approve", {}).json()["settlement_status"] == "settled"


def test_changing_an_approved_budget_needs_a_reason(api_as, approved, meeting, organiser):
    client = api_as(organiser)
    lines = client.get(f"/api/v1/meetings/{meeting.pk}/budget").json()["lines"]
    rows = [{"id": line["id"], "category": line["category"], "planned": "10.00"} for line in lines]
    response = client.put(f"/api/v1/meetings/{meeting.pk}/budget", {"lines": rows})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "revision_reason_required"
    body = client.put(
        f"/api/v1/meetings/{meeting.pk}/budget", {"lines": rows, "reason": "缩减"}
    ).json()
    assert (body["status"], body["revision"]) == ("draft", 2)


def test_invalid_rows_are_named(api_as, meeting, organiser):
    response = api_as(organiser).put(
        f"/api/v1/meetings/{meeting.pk}/budget",
        {"lines": [{"category": "venue", "planned": "12.345"}]},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_rows"
    assert error["details"]["rows"][0]["code"] == "invalid_amount"


@pytest.mark.parametrize(
    ("persona", "confidentiality", "read", "write"),
    [
        ("organiser", "internal", 200, 200),
        ("leader", "internal", 200, 403),
        ("member", "internal", 200, 403),  # on the meeting as a participant
        ("outsider", "internal", 403, 403),  # sees the meeting, not its money
        ("outsider", "confidential", 404, 404),
    ],
)
def test_personas(
    api_as, make_meeting, organiser, member, outsider, leader, persona, confidentiality, read, write
):
    from meetops.meetings.services import add_participant

    meeting = make_meeting(confidentiality=confidentiality)
    add_participant(meeting, actor=organiser, user=member, role="participant")
    client = api_as(
        {"organiser": organiser, "member": member, "outsider": outsider, "leader": leader}[persona]
    )
    base = f"/api/v1/meetings/{meeting.pk}"
    assert client.get(f"{base}/budget").status_code == read
    assert client.put(f"{base}/budget", {"lines": LINES}).status_code == write
    assert client.put(f"{base}/supplies", {"items": [{"name": "笔"}]}).status_code == write
    if write != 200:
        assert client.post(f"{base}/budget/submit").json()["error"]["code"] in (
            "forbidden",
            "not_found",
        )


def test_receipt_upload_refuses_an_executable(api_as, approved, meeting, organiser, spend, client):
    expense = spend(meeting, "100.00")
    api = api_as(organiser)
    url = f"/api/v1/meetings/{meeting.pk}/expenses/{expense.pk}/receipt"
    exe = SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/pdf")
    response = client.post(url, {"file": exe}, headers=api.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_receipt"
    exe2 = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", "application/octet-stream")
    assert client.post(url, {"file": exe2}, headers=api.headers).status_code == 422
    assert not Expense.objects.get(pk=expense.pk).receipt

    pdf = SimpleUploadedFile(
        "发票.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF", "application/pdf"
    )
    body = client.post(url, {"file": pdf}, headers=api.headers).json()
    assert body["receipt_url"].endswith(f"/budget/expenses/{expense.pk}/receipt")
    client.force_login(organiser)
    download = client.get(body["receipt_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_supplies_checklist_and_its_rules(api_as, meeting, organiser):
    from meetops.policy.rules import is_met

    client = api_as(organiser)
    url = f"/api/v1/meetings/{meeting.pk}/supplies"
    items = [
        {"name": "会议材料", "quantity": 30, "unit": "份", "prepared": True},
        {
            "name": "签字笔",
            "quantity": 30,
            "unit": "支",
            "reusable": True,
            "responsible_id": organiser.pk,
        },
    ]
    body = client.put(url, {"items": items}).json()
    assert [i["name"] for i in body["items"]] == ["会议材料", "签字笔"]
    assert not is_met("budget.supplies_ready", meeting)
    rows = [
        {**i, "id": b["id"], "prepared": True} for i, b in zip(items, body["items"], strict=True)
    ]
    client.put(url, {"items": rows})
    assert is_met("budget.supplies_ready", meeting)
    assert not is_met("budget.supplies_recovered", meeting)
    rows[1]["recovered_quantity"] = 31
    response = client.put(url, {"items": rows})
    assert response.json()["error"]["details"]["rows"][0]["code"] == "invalid_recovered"
    rows[1]["recovered_quantity"] = 25
    assert client.put(url, {"items": rows}).json()["items"][1]["recovered_quantity"] == 25
    assert is_met("budget.supplies_recovered", meeting)


def test_excel_export_opens_and_neutralises_formulas(approved, meeting, organiser, spend, client):
    from openpyxl import load_workbook

    spend(meeting, "88.80", payee='=HYPERLINK("http://x")', description="@SUM(A1)")
    client.force_login(organiser)
    response = client.get(f"/meetings/{meeting.pk}/budget/statement.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    lines, expenses = wb.worksheets
    assert lines["C3"].value == 3000 and lines["D3"].value == 88.8
    assert [c.value for c in lines[5]][2:] == [4200.5, 88.8, 4111.7]
    assert expenses["C2"].value == '\'=HYPERLINK("http://x")'
    assert expenses["D2"].value == "'@SUM(A1)"
    assert expenses["C2"].data_type == "s"


def test_the_statement_downloads_under_the_meetings_chinese_title(
    approved, meeting, organiser, client
):
    from urllib.parse import unquote

    meeting.title = "年度预算会议"
    meeting.save(update_fields=["title"])
    client.force_login(organiser)
    header = client.get(f"/meetings/{meeting.pk}/budget/statement.xlsx")["Content-Disposition"]
    assert header.startswith('attachment; filename="budget.xlsx"; ')
    assert unquote(header.split("filename*=UTF-8''")[1]) == "年度预算会议-budget.xlsx"


def test_void_an_expense_through_the_api(api_as, approved, meeting, organiser, member, spend):
    from meetops.meetings.services import add_participant

    expense = spend(meeting, "50.00")
    add_participant(meeting, actor=organiser, user=member, role="participant")
    url = f"/api/v1/meetings/{meeting.pk}/expenses/{expense.pk}/void"
    assert api_as(member).post(url, {"reason": "x"}).status_code == 403
    body = api_as(organiser).post(url, {"reason": "重复录入"}).json()
    assert body["voided"] is True and body["void_reason"] == "重复录入"
    listed = api_as(organiser).get(f"/api/v1/meetings/{meeting.pk}/expenses").json()
    assert listed["total"] == "0.00" and [i["voided"] for i in listed["items"]] == [True]
