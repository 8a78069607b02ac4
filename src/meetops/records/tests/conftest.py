"""Archive fixtures: the minutes app's meeting, concluded, with real files from the other apps."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetops.minutes.tests.conftest import agenda_ids, host, meeting, recorder, written  # noqa: F401


def blank_pdf(pages: int = 1) -> bytes:
    """A real PDF that parses (the archive checks refuse one that does not)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _n in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = blank_pdf()


def docx_bytes(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def archivist(make_user: Callable[..., Any]) -> Any:
    return make_user("archivist", roles=("archivist",))


@pytest.fixture
def leader(make_user: Callable[..., Any]) -> Any:
    return make_user("leader", roles=("leader",))


def conclude(meeting: Any) -> Any:  # noqa: F811 - a plain function, not the fixture
    from meetops.meetings.models import Meeting

    Meeting.objects.filter(pk=meeting.pk).update(stage="concluded")
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def concluded(meeting: Any) -> Any:  # noqa: F811 - the minutes app's fixture
    """The meeting (agenda, host, recorder, member), after it took place, with nothing else yet."""
    return conclude(meeting)


@pytest.fixture
def full(
    written: Any,  # noqa: F811
    organiser: Any,
    host: Any,  # noqa: F811
    recorder: Any,  # noqa: F811
    leader: Any,
) -> Any:
    """A concluded meeting with approved minutes and report, a speech on the agenda, a budget
    with a receipt, an emergency plan and a signed-off step with an attachment."""
    from meetops.agenda import services as agenda
    from meetops.budget import services as budget
    from meetops.minutes import services as minutes
    from meetops.policy import services as process
    from meetops.reports import services as reports
    from meetops.risks import services as risks

    meeting = written.meeting  # noqa: F811
    minutes.submit_minutes(written, actor=recorder)
    minutes.approve_minutes(written, actor=host)
    agenda.add_item(
        meeting,
        actor=organiser,
        title="校长讲话",
        duration_minutes=20,
        materials=upload("讲话稿.docx", docx_bytes("全面推进数字校园建设")),
    )
    risks.save_plan(meeting, actor=organiser, sections={"evacuation": "东侧楼梯疏散"})
    b = budget.save_budget(meeting, lines=[{"category": "av", "planned": "1000"}], actor=organiser)
    from meetops.budget.models import Budget, BudgetStatus

    Budget.objects.filter(pk=b.pk).update(status=BudgetStatus.APPROVED)
    budget.add_expense(
        meeting,
        line_id=b.lines.get().pk,
        amount="300",
        spent_on=meeting.start.date(),
        payee="音响公司",
        actor=organiser,
        receipt=upload("fapiao.pdf", PDF),
    )
    step = meeting.steps.filter(status="open", completion="sign_off").order_by("order").first()
    process.complete_step(
        step, actor=organiser, note="见附件", attachment=upload("check.txt", "检查记录".encode())
    )
    report = reports.draft_report(meeting, actor=organiser)
    reports.submit_report(report, actor=organiser, leaders=[leader])
    reports.approve_report(report, actor=leader, instructions="同意")
    return conclude(meeting)
