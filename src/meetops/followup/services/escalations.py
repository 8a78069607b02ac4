"""Problems reported upwards and their answers; automatic escalation of overdue items (P8.4).

open ──(a recipient answers with a decision or instruction)──▶ answered

Who hears first (P8.8, ADR 0022): the owner's department heads. A problem the doer raises
goes to those heads together with the organisers and leaders. An overdue item goes in two
stages: after `after_days` to the heads alone, after `leaders_after_days` to the organisers and
the instructing leader; without a head up the owner's department tree, straight to the second.
The days are the follow-up rules' in force (`ruleset`, ADR 0027), passed in by the job.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.followup import errors
from meetops.followup import events as followup_events
from meetops.followup.models import (
    Escalation,
    EscalationKind,
    EscalationStage,
    EscalationState,
)
from meetops.followup.permissions import can_answer, can_raise, instructing_leader_id
from meetops.followup.services.common import lock, tell, text, unique
from meetops.meetings.models import frozen_q
from meetops.minutes.models import ActionItem, ActionState
from meetops.minutes.selectors import organisers_of
from meetops.people.models import Role, User
from meetops.people.selectors import heads_above

RAISABLE = (EscalationKind.COORDINATION, EscalationKind.RESOURCES, EscalationKind.DECISION)


def _heads(action: ActionItem) -> list[User]:
    """The heads of the owner's department (or of the owning department), else of the
    nearest department above with a head; never the owner themself."""
    department = action.owner.department if action.owner is not None else None
    return heads_above(department or action.department, besides=action.owner)


def _upwards(action: ActionItem, leaders: Sequence[User]) -> list[User]:
    """The meeting's organisers, the chosen leaders and the leader who gave the instruction."""
    people = list(organisers_of(action.meeting)) + list(leaders)
    leader_id = instructing_leader_id(action)
    if leader_id is not None:
        people.extend(User.objects.filter(pk=leader_id, is_active=True))
    return unique(people)


def _open(
    action: ActionItem,
    *,
    kind: str,
    body: str,
    recipients: list[User],
    actor: User | None,
    overdue_since: date | None = None,
    stage: str = EscalationStage.LEADERS,
) -> Escalation:
    escalation = Escalation.objects.create(
        action=action,
        kind=kind,
        text=body,
        raised_by=actor,
        overdue_since=overdue_since,
        stage=stage,
    )
    escalation.recipients.set(recipients)
    audit.record(
        "followup.escalation.raised",
        action,
        actor=actor,
        data={
            "meeting": action.meeting_id,
            "escalation": escalation.pk,
            "kind": kind,
            "recipients": [u.pk for u in recipients],
            "escalation_stage": stage,
        },
    )
    tell(
        followup_events.ESCALATED.code,
        action,
        recipients,
        actor=actor,
        key=f"followup.escalated:{escalation.pk}",
        escalation=escalation,
    )
    return escalation


def raise_escalation(
    action: ActionItem, *, actor: User, kind: str, text_: str, leaders: Sequence[User] = ()
) -> Escalation:
    """The doer reports a problem upwards: to their department heads, the organisers, the chosen
    leaders and the instructing leader (in the app and by e-mail). Leaders must hold the
    leader role."""
    if not can_raise(actor, action):
        raise PermissionDenied()
    if kind not in RAISABLE:
        raise ValidationFailed(_("Choose what is needed."), "unknown_kind", field="kind")
    body = text(text_, "text", required=True)
    for leader in leaders:
        if not leader.is_active or not leader.has_role(Role.LEADER):
            raise ValidationFailed(
                _("Choose leaders."), "not_a_leader", field="leaders", user=leader.pk
            )
    with transaction.atomic():
        locked = lock(action)
        if not locked.is_live:
            raise errors.not_live(locked.state)
        everyone = unique([*_heads(locked), *_upwards(locked, leaders)])
        recipients = [u for u in everyone if u.pk != actor.pk] or everyone
        return _open(locked, kind=kind, body=body, recipients=recipients, actor=actor)


def answer_escalation(escalation: Escalation, *, actor: User, answer: str) -> Escalation:
    """A recipient answers with a decision or instruction; whoever raised it (or the owner) is told."""
    if not can_answer(actor, escalation):
        raise PermissionDenied()
    answer = text(answer, "answer", required=True)
    with transaction.atomic():
        locked = (
            Escalation.objects.select_for_update(of=("self",))
            .select_related("action__meeting", "action__owner", "raised_by")
            .get(pk=escalation.pk)
        )
        if locked.state != EscalationState.OPEN:
            raise errors.already_answered()
        locked.state = EscalationState.ANSWERED
        locked.answer = answer
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["state", "answer", "answered_by", "answered_at"])
        action = locked.action
        audit.record(
            "followup.escalation.answered",
            action,
            actor=actor,
            data={"meeting": action.meeting_id, "escalation": locked.pk},
        )
        told = [u for u in (locked.raised_by, action.owner) if u is not None]
        tell(
            followup_events.ANSWERED.code,
            action,
            unique(told),
            actor=actor,
            key=f"followup.answered:{locked.pk}",
            escalation=locked,
        )
    return locked


def _overdue(stage: str | None = None) -> Exists:
    """An automatic escalation of the item's current missed due date (at `stage`, or any)."""
    rows = Escalation.objects.filter(
        action=OuterRef("pk"), kind=EscalationKind.OVERDUE, overdue_since=OuterRef("due_date")
    )
    return Exists(rows.filter(stage=stage) if stage else rows)


def escalate_overdue(
    *, today: date, after_days: int, leaders_after_days: int | None = None
) -> list[Escalation]:
    """Escalate every live item overdue by at least `after_days` days, once per missed due date
    and stage: first to the owner's department heads, and when still overdue after
    `leaders_after_days` days (by default twice `after_days`) to the organisers and the
    instructing leader (straight there when no department up the tree has a head).

    The unique constraint on (item, missed date, stage) makes a second run, or a second
    worker, a no-op.
    """
    later_days = max(
        after_days, 2 * after_days if leaders_after_days is None else leaders_after_days
    )
    live = (
        ActionItem.objects.filter(state__in=[ActionState.OPEN, ActionState.IN_PROGRESS])
        .exclude(frozen_q("meeting__"))
        .select_related("meeting", "owner__department", "department")
        .order_by("id")
    )
    first = live.filter(due_date__lte=today - timedelta(days=after_days)).exclude(_overdue())
    second = (
        live.filter(due_date__lte=today - timedelta(days=later_days))
        .filter(_overdue(EscalationStage.HEADS))
        .exclude(_overdue(EscalationStage.LEADERS))
    )
    made = []
    for action, later in [*((a, False) for a in first), *((a, True) for a in second)]:
        due = action.due_date
        if due is None:  # excluded by the filter; keeps the type checker sure
            continue
        heads = [] if later else _heads(action)
        try:
            with transaction.atomic():
                made.append(
                    _open(
                        action,
                        kind=EscalationKind.OVERDUE,
                        body="",  # pages and messages say it in the reader's language
                        recipients=heads or _upwards(action, ()),
                        actor=None,
                        overdue_since=due,
                        stage=EscalationStage.HEADS if heads else EscalationStage.LEADERS,
                    )
                )
        except IntegrityError:
            continue  # another worker escalated this missed date first
    return made
