"""Writes for the process: instantiating steps, completing them, versioning the template."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.meetings.permissions import can_complete_step, can_manage_meeting
from meetops.notifications.services import enqueue
from meetops.people.models import User
from meetops.policy import rules
from meetops.policy.changes import (
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    changes_between,
    previous_version,
)
from meetops.policy.models import (
    Completion,
    MeetingStep,
    ProcessTemplate,
    StepDefinition,
    StepStatus,
    in_process_order,
)
from meetops.policy.permissions import can_edit_process

if TYPE_CHECKING:
    from meetops.meetings.models import Meeting
    from meetops.people.models import User

STEP_FIELDS = [
    "title_zh_hans",
    "title_zh_hant",
    "title_en",
    "stage",
    "order",
    "clause",
    "required",
    "owner_role",
    "completion",
    "rule",
]
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def current_template() -> ProcessTemplate | None:
    return ProcessTemplate.objects.filter(is_current=True).first()


def instantiate_steps(meeting: Meeting) -> list[MeetingStep]:
    """Copy the current process version's steps onto a new meeting (inside its create transaction)."""
    template = current_template()
    if template is None:
        return []
    meeting.process_version = template
    meeting.save(update_fields=["process_version"])
    steps = [
        MeetingStep(meeting=meeting, definition=d, **{f: getattr(d, f) for f in STEP_FIELDS})
        for d in in_process_order(template.steps.all())
    ]
    return MeetingStep.objects.bulk_create(steps)


def renumber(template: ProcessTemplate) -> None:
    """Number each stage's steps 1, 2, 3... in their present order (drafts copied from a
    version numbered across stages, or a stage with a gap after a removal)."""
    places: dict[str, int] = {}
    changed = []
    for step in in_process_order(template.steps.all()):
        places[step.stage] = places.get(step.stage, 0) + 1
        if step.order != places[step.stage]:
            step.order = places[step.stage]
            changed.append(step)
    StepDefinition.objects.bulk_update(changed, ["order"])


def fingerprint(template: ProcessTemplate) -> str:
    """What a version's steps say now, in 16 hex digits: a publication names the preview it
    was decided on, so an edit made meanwhile by someone else is not published unseen."""
    rows = in_process_order(template.steps.all()).values_list("pk", *STEP_FIELDS)
    text = json.dumps([list(row) for row in rows], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _mark_done_by_evidence(step: MeetingStep) -> None:
    step.status = StepStatus.DONE
    step.completed_at = timezone.now()
    rule = rules.get_rule(step.rule)
    step.note = str(
        _("Completed from evidence: %(rule)s") % {"rule": rule.label if rule else step.rule}
    )
    step.save(update_fields=["status", "completed_at", "note"])
    audit.record(
        "policy.step.completed",
        step.meeting,
        actor=None,
        data={"step": step.pk, "clause": step.clause, "rule": step.rule, "automatic": True},
    )


def open_required_steps(meeting: Meeting, *, stage: str, actor: User | None) -> list[MeetingStep]:
    """The required steps of a stage still open, after recording any that evidence now completes.

    Call inside the transaction that holds the meeting's row lock.
    """
    open_steps = []
    for step in meeting.steps.select_for_update().filter(
        stage=stage, required=True, status=StepStatus.OPEN
    ):
        if (
            step.completion == Completion.AUTOMATIC
            and step.rule
            and rules.is_met(step.rule, meeting)
        ):
            _mark_done_by_evidence(step)
            continue
        open_steps.append(step)
    return open_steps


def rejudge_evidence(meeting: Meeting, *, actor: User | None) -> list[MeetingStep]:
    """Open again the steps completed from evidence whose evidence is gone (a booking no longer
    covers a moved meeting). Only before the meeting starts: after that the record stands.

    Call inside a transaction; the steps are locked. Signed-off and waived steps are a
    person's word and stay as they are.
    """
    if meeting.has_started or meeting.is_frozen:
        return []
    reopened = []
    for step in (
        meeting.steps.select_for_update()
        .filter(status=StepStatus.DONE, completion=Completion.AUTOMATIC, completed_by__isnull=True)
        .exclude(rule="")
    ):
        if rules.is_met(step.rule, meeting):
            continue
        step.status, step.completed_at = StepStatus.OPEN, None
        rule = rules.get_rule(step.rule)
        step.note = str(
            _("Open again: no longer true: %(rule)s") % {"rule": rule.label if rule else step.rule}
        )
        step.save(update_fields=["status", "completed_at", "note"])
        audit.record(
            "policy.step.reopened",
            meeting,
            actor=actor,
            changes={"status": [StepStatus.DONE, StepStatus.OPEN]},
            data={"step": step.pk, "clause": step.clause, "rule": step.rule, "automatic": True},
        )
        reopened.append(step)
    return reopened


def effective_status(step: MeetingStep) -> str:
    """What a reader should see: an open automatic step whose evidence exists counts as done."""
    automatic = step.completion == Completion.AUTOMATIC and step.rule
    if step.status == StepStatus.OPEN and automatic and rules.is_met(step.rule, step.meeting):
        return StepStatus.DONE
    return step.status


def _check_attachment(attachment: UploadedFile | None) -> None:
    if attachment is not None and attachment.size and attachment.size > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(_("The attachment is larger than 20 MB."), "attachment_too_large")


def complete_step(
    step: MeetingStep, *, actor: User, note: str = "", attachment: UploadedFile | None = None
) -> MeetingStep:
    """Sign a step off with a note or an attachment as evidence."""
    if not can_complete_step(actor, step.meeting, step.owner_role):
        raise PermissionDenied()
    _check_attachment(attachment)
    with transaction.atomic():
        step = MeetingStep.objects.select_for_update().select_related("meeting").get(pk=step.pk)
        if step.status != StepStatus.OPEN:
            raise DomainError(
                _("This step is already done or waived."), "step_not_open", status=step.status
            )
        step.status = StepStatus.DONE
        step.note = note.strip()
        step.completed_by = actor
        step.completed_at = timezone.now()
        fields = ["status", "note", "completed_by", "completed_at"]
        if attachment is not None:
            step.attachment = attachment
            fields.append("attachment")
        step.save(update_fields=fields)
        audit.record(
            "policy.step.completed",
            step.meeting,
            actor=actor,
            data={
                "step": step.pk,
                "clause": step.clause,
                "note": step.note,
                "attachment": step.attachment.name if step.attachment else "",
            },
        )
    return step


def waive_step(step: MeetingStep, *, actor: User, reason: str) -> MeetingStep:
    """Mark a step as not applicable to this meeting, with a reason. Managers only."""
    if not can_manage_meeting(actor, step.meeting):
        raise PermissionDenied()
    if not reason.strip():
        raise ValidationFailed(
            _("Say why the step does not apply."), "reason_required", field="reason"
        )
    with transaction.atomic():
        step = MeetingStep.objects.select_for_update().select_related("meeting").get(pk=step.pk)
        if step.status != StepStatus.OPEN:
            raise DomainError(
                _("This step is already done or waived."), "step_not_open", status=step.status
            )
        step.status = StepStatus.WAIVED
        step.note = reason.strip()
        step.completed_by = actor
        step.completed_at = timezone.now()
        step.save(update_fields=["status", "note", "completed_by", "completed_at"])
        audit.record(
            "policy.step.waived",
            step.meeting,
            actor=actor,
            data={"step": step.pk, "clause": step.clause, "reason": step.note},
        )
    return step


def reopen_step(step: MeetingStep, *, actor: User, reason: str = "") -> MeetingStep:
    if not can_manage_meeting(actor, step.meeting):
        raise PermissionDenied()
    with transaction.atomic():
        step = MeetingStep.objects.select_for_update().select_related("meeting").get(pk=step.pk)
        before = step.status
        step.status = StepStatus.OPEN
        step.completed_by = None
        step.completed_at = None
        step.save(update_fields=["status", "completed_by", "completed_at"])
        audit.record(
            "policy.step.reopened",
            step.meeting,
            actor=actor,
            changes={"status": [before, StepStatus.OPEN]},
            data={"step": step.pk, "clause": step.clause, "reason": reason},
        )
    return step


def draft_new_version(*, actor: User | None, name: str = "", notes: str = "") -> ProcessTemplate:
    """Copy the current template into a new, unpublished version to edit."""
    if actor is not None and not can_edit_process(actor):
        raise PermissionDenied()
    with transaction.atomic():
        base = current_template()
        version = (ProcessTemplate.objects.aggregate(m=Max("version"))["m"] or 0) + 1
        template = ProcessTemplate.objects.create(
            name=name or (base.name if base else str(_("Meeting process"))),
            version=version,
            notes=notes,
        )
        if base is not None:
            StepDefinition.objects.bulk_create(
                [
                    StepDefinition(template=template, **{f: getattr(d, f) for f in STEP_FIELDS})
                    for d in in_process_order(base.steps.all())
                ]
            )
            renumber(template)
        audit.record(
            "policy.template.drafted",
            template,
            actor=actor,
            data={"from_version": base.version if base else None},
        )
    return template


def publish_version(
    template: ProcessTemplate, *, actor: User | None, seen: str | None = None
) -> ProcessTemplate:
    """Make this draft current. Meetings created from now on use it; running ones keep theirs.

    `seen`: the `fingerprint` of the draft as previewed; refused (`draft_changed`) when the
    draft changed since."""
    if actor is not None and not can_edit_process(actor):
        raise PermissionDenied()
    unknown = [
        d.rule
        for d in template.steps.all()
        if d.completion == Completion.AUTOMATIC and not rules.get_rule(d.rule)
    ]
    if unknown:
        raise ValidationFailed(
            _("A step names an unknown completion rule."), "unknown_rule", rules=unknown
        )
    with transaction.atomic():
        locked = ProcessTemplate.objects.select_for_update().filter(pk=template.pk).first()
        if locked is None or locked.published_at is not None:
            # Published twice (two administrators, or a second press): once is the rule.
            raise DomainError(
                _("This version is already published."),
                "version_published",
                version=template.version,
            )
        if seen is not None and seen != fingerprint(locked):
            raise DomainError(
                _("The draft changed after your preview: look at the preview again, then publish."),
                "draft_changed",
            )
        previous = current_template()
        ProcessTemplate.objects.filter(is_current=True).update(is_current=False)
        template.is_current = True
        template.published_at = timezone.now()
        template.save(update_fields=["is_current", "published_at"])
        audit.record(
            "policy.template.published",
            template,
            actor=actor,
            data={"previous_version": previous.version if previous else None},
        )
        _announce_version(template, actor=actor)
    return template


# Who hears of a new process version (P10.4): the people who run meetings in
# every department. Members read it on the process page when they need it.
ANNOUNCED_TO = ("admin", "organiser", "leader", "archivist", "staff")


def _announce_version(template: ProcessTemplate, *, actor: User | None) -> None:
    kinds = [c.kind for c in changes_between(previous_version(template), template)]
    people = User.objects.filter(is_active=True, role_assignments__role__in=ANNOUNCED_TO)
    enqueue(
        event="policy.version_published",
        recipients=people.distinct().order_by("pk"),
        context={
            "template": template,
            "added": kinds.count(ADDED),
            "changed": kinds.count(CHANGED),
            "removed": kinds.count(REMOVED),
            "moved": kinds.count(MOVED),
            "url": f"/process/v{template.version}/",
        },
        dedupe_key=f"policy.version_published:{template.pk}",
        actor=actor,
    )
