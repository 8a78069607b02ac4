"""The evaluation: targets (P6.1), conclusion and lessons (P4.10, P4.8), done, results shared (P6.9)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.evaluation import notify
from meetops.evaluation.indicators import as_snapshot, indicators_now
from meetops.evaluation.models import Evaluation, EvaluationState
from meetops.evaluation.permissions import can_manage_feedback
from meetops.meetings.models import Meeting, Participant, ParticipantStatus
from meetops.meetings.permissions import can_view_meeting
from meetops.people.models import Role, User

FIELDS = [
    "target_attendance",
    "target_satisfaction",
    "target_response_rate",
    "target_reach",
    "target_departments",
    "conclusion",
    "lessons",
]
AUDIENCES = ("participants", "leaders")


def _locked(meeting: Meeting) -> Evaluation:
    """The meeting's evaluation row, created with the plan's defaults on first write, locked."""
    evaluation, _created = Evaluation.objects.get_or_create(
        meeting=meeting, defaults={"target_reach": meeting.expected_attendance}
    )
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    evaluation.meeting = meeting
    return evaluation


def _check(values: dict[str, Any]) -> None:
    for name in ("target_attendance", "target_response_rate"):
        if name in values and not 0 <= int(values[name]) <= 100:
            raise ValidationFailed(
                _("A rate is between 0 and 100 %."), "invalid_target", field=name
            )
    if "target_satisfaction" in values and not (
        Decimal("1") <= Decimal(str(values["target_satisfaction"])) <= Decimal("5")
    ):
        raise ValidationFailed(
            _("Satisfaction is between 1 and 5."), "invalid_target", field="target_satisfaction"
        )
    for name in ("target_reach", "target_departments"):
        if values.get(name) is not None and int(values[name]) < 0:
            raise ValidationFailed(_("A target cannot be negative."), "invalid_target", field=name)


def update_evaluation(meeting: Meeting, *, actor: User, **values: Any) -> Evaluation:
    """Change targets, conclusion or lessons (only the keywords given). Refused once done."""
    if not can_manage_feedback(actor, meeting):
        raise PermissionDenied()
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), "invalid_field", fields=sorted(unknown))
    _check(values)
    with transaction.atomic():
        evaluation = _locked(meeting)
        if evaluation.state == EvaluationState.DONE:
            raise DomainError(
                _("The evaluation is done; reopen it to change it."), "evaluation_done"
            )
        before = audit.snapshot(evaluation, FIELDS)
        for name, value in values.items():
            if name == "target_satisfaction":
                value = Decimal(str(value)).quantize(Decimal("0.1"))
            elif name in ("conclusion", "lessons"):
                value = str(value).strip()
            setattr(evaluation, name, value)
        changes = audit.diff(before, audit.snapshot(evaluation, FIELDS))
        if changes:  # the same values again write nothing (`audit.nothing_changed`)
            evaluation.save(update_fields=[*changes, "updated_at"])
            audit.record("evaluation.evaluation.updated", meeting, actor=actor, changes=changes)
        audit.note_outcome(evaluation, changes)
    return evaluation


def complete_evaluation(meeting: Meeting, *, actor: User) -> Evaluation:
    """Mark the evaluation done, keeping the figures of the day.

    Preconditions: the meeting has ended, and a conclusion is written.
    """
    if not can_manage_feedback(actor, meeting):
        raise PermissionDenied()
    if meeting.end > timezone.now():
        raise DomainError(_("A meeting is evaluated after it has ended."), "meeting_not_ended")
    with transaction.atomic():
        evaluation = _locked(meeting)
        if evaluation.state == EvaluationState.DONE:
            raise DomainError(_("The evaluation is already done."), "evaluation_done")
        if not evaluation.conclusion:
            raise ValidationFailed(
                _("Write the conclusion before marking the evaluation done."),
                "conclusion_required",
            )
        indicators = indicators_now(meeting, evaluation)
        evaluation.snapshot = as_snapshot(indicators)
        evaluation.state, evaluation.done_at, evaluation.done_by = (
            EvaluationState.DONE,
            timezone.now(),
            actor,
        )
        evaluation.save(update_fields=["snapshot", "state", "done_at", "done_by", "updated_at"])
        met = [i.code for i in indicators if i.met]
        missed = [i.code for i in indicators if i.met is False]
        audit.record(
            "evaluation.evaluation.done",
            meeting,
            actor=actor,
            data={"met": met, "not_met": missed},
        )
    return evaluation


def reopen_evaluation(meeting: Meeting, *, actor: User) -> Evaluation:
    """Back to "in progress" to correct it. The meeting must still be open."""
    if not can_manage_feedback(actor, meeting):
        raise PermissionDenied()
    with transaction.atomic():
        evaluation = _locked(meeting)
        if evaluation.state != EvaluationState.DONE:
            raise DomainError(_("The evaluation is not done yet."), "evaluation_not_done")
        evaluation.state, evaluation.done_at = EvaluationState.DRAFT, None
        evaluation.save(update_fields=["state", "done_at", "updated_at"])
        audit.record("evaluation.evaluation.reopened", meeting, actor=actor)
    return evaluation


def _audience(meeting: Meeting, audiences: list[str]) -> list[Any]:
    people: list[Any] = []
    if "participants" in audiences:
        people += list(
            Participant.objects.filter(meeting=meeting, status=ParticipantStatus.ACTIVE)
            .select_related("user", "contact")
            .order_by("id")
        )
    if "leaders" in audiences:
        leaders = User.objects.filter(is_active=True, role_assignments__role=Role.LEADER).distinct()
        people += [u for u in leaders if can_view_meeting(u, meeting)]
    return people


def send_results(meeting: Meeting, *, actor: User, audiences: list[str]) -> int:
    """Tell participants and/or leaders the results (P6.9). The evaluation must be done."""
    if not can_manage_feedback(actor, meeting):
        raise PermissionDenied()
    if not audiences or not set(audiences) <= set(AUDIENCES):
        raise ValidationFailed(_("Choose who receives the results."), "invalid_audience")
    with transaction.atomic():
        evaluation = _locked(meeting)
        if evaluation.state != EvaluationState.DONE:
            raise DomainError(
                _("Mark the evaluation done before sending its results."), "evaluation_not_done"
            )
        indicators = indicators_now(meeting, evaluation)
        sent = notify.tell_results(
            evaluation,
            recipients=_audience(meeting, audiences),
            indicators=indicators,
            actor=actor,
        )
        evaluation.results_sent_at = timezone.now()
        evaluation.save(update_fields=["results_sent_at", "updated_at"])
        audit.record(
            "evaluation.results.sent",
            meeting,
            actor=actor,
            data={"audiences": audiences, "messages": sent},
        )
    return sent
