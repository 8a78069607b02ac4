"""The periodic review of the process in force (P9.8, P9.10).

The process is due for review `MEETOPS_PROCESS_REVIEW_MONTHS` after it was
last looked at: its publication, or the latest recorded review, whichever is
later. An administrator records each review with its finding; while a review
is overdue the worker reminds the administrators once a week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.scheduler import periodic
from meetops.notifications.services import enqueue
from meetops.people.models import Role, User
from meetops.policy.models import ProcessReview, ProcessTemplate, ReviewOutcome
from meetops.policy.services import current_template


@dataclass
class ReviewStatus:
    template: ProcessTemplate
    last: datetime
    due_on: date
    latest: ProcessReview | None

    @property
    def overdue(self) -> bool:
        return timezone.localdate() > self.due_on


def review_status(template: ProcessTemplate | None = None) -> ReviewStatus | None:
    template = template or current_template()
    if template is None:
        return None
    latest = ProcessReview.objects.filter(template=template).select_related("reviewed_by").first()
    moments = [m for m in (template.published_at, latest.reviewed_at if latest else None) if m]
    last = max(moments) if moments else template.created_at
    due_on = timezone.localdate(last) + relativedelta(months=settings.MEETOPS_PROCESS_REVIEW_MONTHS)
    return ReviewStatus(template=template, last=last, due_on=due_on, latest=latest)


def record_review(
    template: ProcessTemplate, *, actor: User, outcome: str, note: str
) -> ProcessReview:
    """Record that the process in force was reviewed, and what was found. Administrators only."""
    if not actor.is_system_admin:
        raise PermissionDenied()
    note = note.strip()
    problems = [
        k
        for k, bad in (("outcome", outcome not in ReviewOutcome.values), ("note", not note))
        if bad
    ]
    if problems:
        raise ValidationFailed(
            _("Say what the review found and what was looked at."),
            "invalid_review",
            fields=problems,
        )
    if not template.is_current:
        raise ValidationFailed(_("Only the process in force is reviewed."), "not_current_process")
    with transaction.atomic():
        review = ProcessReview.objects.create(
            template=template,
            reviewed_by=actor,
            reviewed_at=timezone.now(),
            outcome=outcome,
            note=note[:5000],
        )
        audit.record(
            "policy.template.reviewed",
            template,
            actor=actor,
            data={"finding": outcome, "note": review.note},
        )
    return review


@periodic(every_seconds=24 * 3600, name="policy.review_reminder")
def remind_overdue_review() -> int:
    """Tell the administrators, once a week, that the review of the process is overdue."""
    status = review_status()
    if status is None or not status.overdue:
        return 0
    year, week, _day = timezone.localdate().isocalendar()
    admins = User.objects.filter(is_active=True, role_assignments__role=Role.ADMIN).distinct()
    with transaction.atomic():
        return enqueue(
            event="policy.review_due",
            recipients=admins.order_by("pk"),
            context={
                "template": status.template,
                "due_on": status.due_on,
                "url": f"/process/v{status.template.version}/#review",
            },
            dedupe_key=f"policy.review_due:{status.template.pk}:{year}-W{week}",
        )
