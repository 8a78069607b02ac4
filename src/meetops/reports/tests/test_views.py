"""The report page by persona: the organiser drafts, edits, submits; a chosen leader decides; members 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetops.reports.models import SummaryReport

pytestmark = pytest.mark.django_db


def test_organiser_drafts_edits_and_submits_on_the_page(client, recorded, organiser, leader):
    client.force_login(organiser)
    detail = client.get(reverse("meeting_detail", args=[recorded.pk])).content.decode()
    assert reverse("summary_report", args=[recorded.pk]) in detail
    page = client.get(reverse("summary_report", args=[recorded.pk])).content.decode()
    assert "根据会议记录起草报告" in page
    client.post(reverse("summary_report_move", args=[recorded.pk, "draft"]))
    report = SummaryReport.objects.get(meeting=recorded)
    fields = {**report.content(), "summary": "页面上改写的总结", "revision": "1"}
    client.post(reverse("summary_report", args=[recorded.pk]), fields)
    report.refresh_from_db()
    assert report.summary == "页面上改写的总结" and report.revision == 2
    page = client.get(reverse("summary_report", args=[recorded.pk])).content.decode()
    assert f'value="{leader.pk}"' in page
    client.post(
        reverse("summary_report_move", args=[recorded.pk, "submit"]), {"leaders": [leader.pk]}
    )
    report.refresh_from_db()
    assert report.state == "submitted"


def test_leader_approves_and_organiser_plans_on_the_page(
    client, submitted, organiser, leader, member
):
    meeting = submitted.meeting
    client.force_login(leader)
    page = client.get(reverse("summary_report", args=[meeting.pk])).content.decode()
    assert 'id="report-decide"' in page and "同意" in page
    response = client.post(
        reverse("summary_report_move", args=[meeting.pk, "approve"]),
        {"instructions": "抓紧落实预算"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("approvals")
    client.force_login(organiser)
    client.post(
        reverse("summary_report_move", args=[meeting.pk, "plan"]),
        {"owner_1": str(member.pk), "due_1": "2030-03-01"},
    )
    line = submitted.instructions.get(number=1)
    # Planning may start before the last leader has decided.
    assert line.action.owner == member and str(line.action.due_date) == "2030-03-01"
    page = client.get(reverse("summary_report", args=[meeting.pk])).content.decode()
    assert "抓紧落实预算" in page


def test_member_gets_403_and_outsider_404(client, drafted, member, outsider):
    meeting = drafted.meeting
    client.force_login(member)
    assert client.get(reverse("summary_report", args=[meeting.pk])).status_code == 403
    assert (
        client.post(reverse("summary_report_move", args=[meeting.pk, "draft"])).status_code == 403
    )
    meeting.confidentiality = "confidential"
    meeting.save(update_fields=["confidentiality"])
    client.force_login(outsider)
    assert client.get(reverse("summary_report", args=[meeting.pk])).status_code == 404
