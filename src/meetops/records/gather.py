"""What filing a meeting collects from the other apps (P4.1): each source returns the files it
has for the meeting, nothing when it has none. Other apps are only read, through their exports.

Only final versions are taken: minutes once approved, the summary report once approved.
Filing again later adds what has appeared since (each source is taken once per dossier).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from meetops.meetings.models import Meeting
from meetops.people.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gathered:
    source: str  # stable key, e.g. "minutes.pdf", "agenda.material:12"
    category: str  # Category.code
    title: str
    ext: str
    data: bytes


@dataclass(frozen=True)
class Found:
    """A file a source has; `make` renders or reads it (None when the stored file is missing),
    only called for what the dossier does not hold yet."""

    source: str
    category: str
    title: str
    ext: str
    make: Callable[[], bytes | None]


def _read(field: FieldFile) -> bytes | None:
    try:
        with field.open("rb") as f:
            return f.read()  # type: ignore[no-any-return]
    except OSError:
        logger.warning("archive: %s is missing from storage", field.name)
        return None


def _ext(name: str | None) -> str:
    name = name or ""
    return name.rsplit(".", 1)[-1].lower() if "." in name else "bin"


def _pdf(html: str, stylesheet: str | None = None) -> bytes:
    from weasyprint import CSS, HTML

    sheets = [CSS(filename=finders.find(stylesheet))] if stylesheet else []
    return HTML(string=html).write_pdf(stylesheets=sheets)  # type: ignore[no-any-return]


def agenda(meeting: Meeting, actor: User) -> Iterator[Found]:
    from meetops.agenda.exports import plan_pdf
    from meetops.agenda.plan import build_plan

    items = list(meeting.agenda_items.order_by("order", "id"))
    if items:
        yield Found(
            "agenda.plan",
            "agenda",
            _("Meeting plan and agenda"),
            "pdf",
            lambda: plan_pdf(build_plan(meeting, viewer=actor)),
        )
    for item in items:
        if item.materials:
            field = item.materials
            yield Found(
                f"agenda.material:{item.pk}",
                "speech",
                item.title,
                _ext(field.name),
                lambda field=field: _read(field),  # type: ignore[misc]
            )


def minutes(meeting: Meeting, actor: User) -> Iterator[Found]:
    from meetops.minutes.attendance import attendance_of
    from meetops.minutes.exports import minutes_pdf
    from meetops.minutes.models import MinutesState
    from meetops.minutes.selectors import actions_of, document_of, minutes_of

    found = minutes_of(meeting)
    if found is not None and found.state in (MinutesState.APPROVED, MinutesState.PUBLISHED):
        yield Found(
            "minutes.pdf",
            "minutes",
            _("Meeting minutes"),
            "pdf",
            lambda: minutes_pdf(
                document_of(meeting), attendance_of(meeting), list(actions_of(meeting))
            ),
        )


def report(meeting: Meeting, actor: User) -> Iterator[Found]:
    from meetops.reports.exports import report_pdf
    from meetops.reports.models import ReportState
    from meetops.reports.selectors import report_of

    found = report_of(meeting)
    if found is not None and found.state == ReportState.APPROVED:
        yield Found("reports.pdf", "report", _("Summary report"), "pdf", lambda: report_pdf(found))


def attendance(meeting: Meeting, actor: User) -> Iterator[Found]:
    from meetops.attendance.exports import sheet_pdf

    if meeting.participants.exists():
        yield Found(
            "attendance.sheet", "signin", _("Attendance sheet"), "pdf", lambda: sheet_pdf(meeting)
        )


def budget(meeting: Meeting, actor: User) -> Iterator[Found]:
    from meetops.budget.exports import statement_xlsx
    from meetops.budget.selectors import budget_of, statement_of

    found = budget_of(meeting)
    if found is None:
        return
    yield Found(
        "budget.statement",
        "finance",
        _("Budget and expense statement"),
        "xlsx",
        lambda: statement_xlsx(meeting, statement_of(meeting)),
    )
    for expense in found.expenses.filter(voided_at__isnull=True).exclude(receipt=""):
        title = _("Receipt: %(payee)s") % {"payee": expense.payee}
        field = expense.receipt
        yield Found(
            f"budget.receipt:{expense.pk}",
            "finance",
            title,
            _ext(field.name),
            lambda field=field: _read(field),  # type: ignore[misc]
        )


def emergency_plan(meeting: Meeting, actor: User) -> Iterator[Found]:
    from meetops.risks.models import EmergencyPlan

    plan = EmergencyPlan.objects.filter(meeting=meeting).select_related("decided_by").first()
    if plan is not None:
        context = {"meeting": meeting, "plan": plan}
        yield Found(
            "risks.emergency_plan",
            "other",
            _("Emergency plan"),
            "pdf",
            lambda: _pdf(render_to_string("risks/plan_print.html", context)),
        )


def step_attachments(meeting: Meeting, actor: User) -> Iterator[Found]:
    for step in meeting.steps.exclude(attachment="").order_by("order", "id"):
        field = step.attachment
        yield Found(
            f"policy.step:{step.pk}",
            "other",
            f"{step.clause} {step.title}",
            _ext(field.name),
            lambda field=field: _read(field),  # type: ignore[misc]
        )


SOURCES: list[Callable[[Meeting, User], Iterator[Found]]] = [
    agenda,
    minutes,
    report,
    attendance,
    budget,
    emergency_plan,
    step_attachments,
]


def gather(meeting: Meeting, actor: User, *, skip: set[str]) -> list[Gathered]:
    """Every file the meeting has produced so far, except the sources in `skip` (not rendered)."""
    gathered: list[Gathered] = []
    # Titles and generated documents in the organisation's language, whoever files.
    with translation.override(settings.LANGUAGE_CODE):
        for source in SOURCES:
            for f in source(meeting, actor):
                if f.source in skip:
                    continue
                data = f.make()
                if data is not None:
                    gathered.append(Gathered(f.source, f.category, f.title, f.ext, data))
    return gathered
