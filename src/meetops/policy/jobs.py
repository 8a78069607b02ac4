"""Record automatic steps as done once their evidence exists: a periodic job of the worker.

Pages judge automatic steps live (`services.effective_status`), but lists over
many meetings (the dashboard's "blocked" list) count stored statuses, which
must not cost queries per row. This job keeps the stored status close to the
evidence: every few minutes each open automatic step of a live meeting's
current stage is judged once, and recorded as done from evidence (audited,
as at a stage change).
"""

from __future__ import annotations

from django.db import transaction

from meetops.core.scheduler import periodic
from meetops.meetings.models import STARTED_STAGES, Meeting, frozen_q
from meetops.policy import rules
from meetops.policy.models import Completion, MeetingStep, StepStatus
from meetops.policy.services import _mark_done_by_evidence, rejudge_evidence

SYNC_SECONDS = 300


@periodic(every_seconds=SYNC_SECONDS, name="policy.sync_automatic_steps")
def sync_automatic_steps() -> int:
    """Mark the open automatic steps whose evidence now exists. Returns how many."""
    from django.db.models import F

    candidates = (
        MeetingStep.objects.filter(
            status=StepStatus.OPEN,
            completion=Completion.AUTOMATIC,
            stage=F("meeting__stage"),
        )
        .exclude(rule="")
        .exclude(frozen_q("meeting__"))
        .select_related("meeting")
        .order_by("meeting_id", "order", "id")
    )
    done = 0
    for step in candidates.iterator(chunk_size=200):
        if not rules.is_met(step.rule, step.meeting):
            continue
        with transaction.atomic():
            locked = (
                MeetingStep.objects.select_for_update(of=("self",))
                .select_related("meeting")
                .filter(pk=step.pk, status=StepStatus.OPEN)
                .first()
            )
            if locked is not None:  # nobody signed or waived it meanwhile
                _mark_done_by_evidence(locked)
                done += 1
    reopen_lost_evidence()
    return done


def reopen_lost_evidence() -> int:
    """Steps completed from evidence that is gone (a cancelled booking, a moved meeting) open
    again while their meeting has not started. Returns how many."""
    meetings = (
        Meeting.objects.filter(
            steps__status=StepStatus.DONE,
            steps__completion=Completion.AUTOMATIC,
            steps__completed_by__isnull=True,
        )
        .exclude(stage__in=STARTED_STAGES)
        .exclude(frozen_q())
        .distinct()
        .order_by("pk")
    )
    reopened = 0
    for meeting in meetings.iterator(chunk_size=200):
        with transaction.atomic():
            reopened += len(rejudge_evidence(meeting, actor=None))
    return reopened
