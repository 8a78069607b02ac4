"""Demo archive: every demo meeting that reaches P4.1 is filed by its organiser (real PDFs from
the agenda, minutes, attendance and plan apps), and the oldest dossier gets a paper item on loan
and a correction, so the archive pages show real-looking data."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from meetops.core.demo import DemoContext, demo_evidence, demo_loader
from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.records import services
from meetops.records.models import Dossier


@demo_evidence("records.filed")
def file_for_demo(meeting: Meeting, actor: User) -> None:
    services.file_meeting(meeting, actor=actor)


@demo_loader("records", order=95)
def load_archive(ctx: DemoContext) -> None:
    archivist = ctx.users["zhaomin"]
    dossier = Dossier.objects.select_related("meeting").order_by("meeting__start").first()
    if dossier is None:
        return
    item = services.register_paper_item(
        dossier,
        actor=archivist,
        fields={
            "title": "签到表及会议记录原件",
            "pieces": 2,
            "room": "档案室101",
            "cabinet": "A-03",
            "shelf": "2",
            "box": f"{dossier.year}-001",
        },
    )
    services.lend_item(
        item,
        actor=archivist,
        borrower="王芳（办公室）",
        due_back=ctx.now.date() + timedelta(days=7),
    )
    services.add_document(
        dossier,
        actor=archivist,
        category=services.Category.objects.get(code="survey"),
        title="参会人员反馈问卷汇总",
        upload=SimpleUploadedFile(
            "survey.txt",
            "满意度：非常满意 62%，满意 31%，一般 7%。\n建议：会前提早发放材料。".encode(),
        ),
    )
    document = dossier.documents.order_by("seq").first()
    if document is not None and document.current is not None:
        with document.current.file.open("rb") as f:
            data = f.read()
        services.correct_document(
            document,
            actor=archivist,
            upload=SimpleUploadedFile(f"fix.{document.current.file_name.rsplit('.', 1)[-1]}", data),
            reason="补充归档：替换为盖章版本",
        )
    ctx.note(f"archive: {Dossier.objects.count()} dossiers")
