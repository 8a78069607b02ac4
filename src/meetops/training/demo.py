"""Demo training: a course held as the new-staff training, and two external trainings (one
verified, one waiting for the administrator)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from meetops.core.demo import DemoContext, demo_loader
from meetops.training import services
from meetops.training.models import TrainingNeed

CERTIFICATE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, CERTIFICATE, content_type="application/pdf")


@demo_loader("training", order=95)
def load_training(ctx: DemoContext) -> None:
    admin, wangfang, chenjing = (ctx.users[k] for k in ("admin", "wangfang", "chenjing"))
    needs = {n.duty: n for n in TrainingNeed.objects.all()}
    if not needs:
        return
    course = services.create_course(
        actor=admin,
        title="会务工作规范与签到接待",
        description="会议筹备流程、签到台操作、来宾接待礼仪。",
        needs=[needs["organiser"], needs["desk"]],
        hours="3",
    )
    services.add_material(
        course,
        actor=admin,
        title="会务工作手册",
        upload=SimpleUploadedFile("会务工作手册.txt", "会前、会中、会后工作要点。\n".encode()),
    )
    training = ctx.meetings.get("new_staff_training")
    if training is not None:
        services.link_session(course, meeting=training, actor=admin)
    today = ctx.now.date()
    verified = services.record_external(
        actor=wangfang,
        person=wangfang,
        title="机关会务管理专题培训",
        issuer="市委党校",
        completed_on=today - timedelta(days=90),
        hours="12",
        needs=[needs["organiser"]],
        certificate=_pdf("结业证书.pdf"),
    )
    services.verify_external(verified, actor=admin, accept=True)
    services.record_external(
        actor=chenjing,
        person=chenjing,
        title="大型活动安保与应急处置",
        issuer="市公安局",
        completed_on=today - timedelta(days=20),
        hours="6",
        needs=[needs["security"]],
        certificate=_pdf("培训证明.pdf"),
    )
    ctx.note("training: a course with a material, one external training verified, one waiting")
