"""Proposals to change the follow-up rules, and their adoption as a new version (P8.7, ADR 0027).

proposed ──(whoever may change the process adopts it)──────────▶ adopted: a new current version
    └─────(… or declines it, saying why)──────────────────────▶ rejected

Modelled on the meeting process's versions (policy.services: drafted by the process's
administrators, published as the one current version, audited and announced): here anyone who
follows up every item (organisers, leaders) proposes, with the new values and a reason, and a
system administrator decides through the one decision shape (core.decisions), never on their
own proposal. Adopting writes the next version and makes it the only current one; the jobs
read it on their next run. Organisers and department heads hear of it in the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet

from meetops.core import audit
from meetops.core.decisions import Audited, DecisionFlow, Verdict, decide
from meetops.core.errors import NotFound, PermissionDenied
from meetops.core.schemas import MAX_DB_ID
from meetops.followup import errors
from meetops.followup import events as followup_events
from meetops.followup.models import (
    RULE_FIELDS,
    AcceptedBy,
    FollowupRules,
    ProposalState,
    RulesProposal,
)
from meetops.followup.permissions import can_decide_rules, can_propose_rules
from meetops.followup.ruleset import (
    MAX_ESCALATION_DAYS,
    MAX_OVERDUE_EVERY_DAYS,
    MAX_REMIND_BEFORE_DAYS,
    current_rules,
)
from meetops.followup.services.common import text
from meetops.notifications.services import enqueue
from meetops.people.models import DepartmentHead, Role, User
from meetops.people.selectors import prime_people

RULES_URL = "/followup/rules/"
# (field, lowest, highest) of the day counts a proposal may ask for.
DAY_LIMITS = (
    ("remind_before_days", 0, MAX_REMIND_BEFORE_DAYS),
    ("overdue_every_days", 1, MAX_OVERDUE_EVERY_DAYS),
    ("escalate_after_days", 1, MAX_ESCALATION_DAYS),
    ("escalate_leaders_after_days", 1, MAX_ESCALATION_DAYS),
)


def clean_values(values: dict[str, Any]) -> dict[str, Any]:
    """The rule values checked: whole days within their limits, the organisers and leaders
    after the heads, a known "who accepts"."""
    cleaned: dict[str, Any] = {}
    for field, low, high in DAY_LIMITS:
        value = values.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise errors.invalid_days(field, low, high)
        cleaned[field] = value
    if cleaned["escalate_leaders_after_days"] < cleaned["escalate_after_days"]:
        raise errors.leaders_before_heads()
    if values.get("accepted_by") not in AcceptedBy.values:
        raise errors.unknown_accepted_by()
    cleaned["accepted_by"] = values["accepted_by"]
    return cleaned


def values_of(rules: FollowupRules | RulesProposal) -> dict[str, Any]:
    return {field: getattr(rules, field) for field in RULE_FIELDS}


def propose_rules_change(*, actor: User, values: dict[str, Any], reason: str) -> RulesProposal:
    """Propose new follow-up rules with a reason. Preconditions: the actor may propose
    (organisers, leaders, admins); the values are valid and differ from the rules in force.
    Those who may decide hear of it in the app."""
    if not can_propose_rules(actor):
        raise PermissionDenied()
    cleaned = clean_values(values)
    reason = text(reason, "reason", required=True)
    with transaction.atomic():
        current = current_rules()
        changes = audit.diff(values_of(current), cleaned)
        if not changes:
            raise errors.nothing_changes()
        proposal = RulesProposal.objects.create(
            **cleaned, reason=reason, base_version=current.version, proposed_by=actor
        )
        audit.record(
            "followup.rules.proposed",
            proposal,
            actor=actor,
            changes=changes,
            data={"base_version": current.version, "reason": reason},
            new_stream=True,
        )
        enqueue(
            event=followup_events.RULES_PROPOSED.code,
            recipients=deciders().exclude(pk=actor.pk),
            context={"proposal": proposal, "by": str(actor), "url": RULES_URL},
            dedupe_key=f"{followup_events.RULES_PROPOSED.code}:{proposal.pk}",
            actor=actor,
        )
    return proposal


def deciders() -> QuerySet[User]:
    """Who may adopt a new version: the system administrators (query twin of
    `permissions.can_decide_rules`)."""
    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.ADMIN)
        .distinct()
        .order_by("pk")
    )


def open_proposals(users: Sequence[User]) -> list[RulesProposal]:
    """Proposals still to decide, oldest first; none (and no query) when none of these people
    may decide them (`can_decide_rules`). The flow's `candidates`."""
    prime_people(users)
    if not any(can_decide_rules(u) for u in users):
        return []
    return list(
        RulesProposal.objects.filter(state=ProposalState.PROPOSED)
        .select_related("proposed_by")
        .order_by("created_at", "id")
    )


def get_proposal_for_user(user: User, pk: int) -> RulesProposal:
    """The proposal, for those who take part in changing the rules (propose or decide);
    404 for everyone else and for ids of nothing."""
    involved = can_propose_rules(user) or can_decide_rules(user)
    proposal = RulesProposal.objects.filter(pk=pk).first() if 0 < pk <= MAX_DB_ID else None
    if proposal is None or not involved:
        raise NotFound()
    return proposal


RULES_CHANGE = DecisionFlow[RulesProposal](
    name="followup.rules",
    state_field="state",
    awaiting=ProposalState.PROPOSED,
    wrong_state=lambda proposal, approve: errors.proposal_decided(proposal.state),
    submitter=lambda proposal: proposal.proposed_by_id,
    approved_action="followup.rules.adopted",
    returned_action="followup.rules.rejected",
    may_decide=lambda user, proposal: can_decide_rules(user),
    candidates=open_proposals,
    comment_field="decision_note",
)


def _adopt(proposal: RulesProposal, verdict: Verdict) -> FollowupRules:
    """The next version from the proposal, made the only current one (inside the decision's
    transaction, with the proposal locked)."""
    # The version rows, locked in order: two adoptions at once queue here, and the second
    # then sees the first's version as current and refuses as outdated.
    list(FollowupRules.objects.select_for_update().order_by("version").values_list("pk"))
    current = current_rules()
    if current.version != proposal.base_version:
        raise errors.proposal_outdated(proposal.base_version, current.version)
    number = (FollowupRules.objects.aggregate(m=Max("version"))["m"] or 0) + 1
    FollowupRules.objects.filter(is_current=True).update(is_current=False)
    return FollowupRules.objects.create(
        **values_of(proposal),
        version=number,
        is_current=True,
        reason=proposal.reason,
        proposal=proposal,
        adopted_by=verdict.actor,
        adopted_at=verdict.at,
    )


def decide_rules_proposal(
    proposal: RulesProposal, *, actor: User, approve: bool, comment: str = ""
) -> RulesProposal:
    """Adopt a proposal as the next version of the rules, or decline it with a reason.

    Preconditions: the actor may change the process and did not propose it; the proposal
    waits for a decision; to adopt, the rules in force are still the version it was made
    against. Adoption is audited and announced to organisers and department heads."""
    if not can_decide_rules(actor):
        raise PermissionDenied()
    adopted: list[FollowupRules] = []

    def lock() -> RulesProposal:
        return RulesProposal.objects.select_for_update().get(pk=proposal.pk)

    def move(row: RulesProposal, verdict: Verdict, stamped: list[str]) -> Audited:
        row.state = ProposalState.ADOPTED if verdict.approve else ProposalState.REJECTED
        row.save(update_fields=["state", *stamped])
        if not verdict.approve:
            return Audited(row, data={"reason": verdict.comment})
        before = current_rules()
        rules = _adopt(row, verdict)
        adopted.append(rules)
        return Audited(
            row,
            changes=audit.diff(values_of(before), values_of(rules)),
            data={"version": rules.version, "previous_version": before.version},
        )

    def notify(row: RulesProposal, verdict: Verdict) -> None:
        if adopted:
            _announce(adopted[0], row, actor=actor)
        enqueue(
            event=followup_events.RULES_DECIDED.code,
            recipients=[row.proposed_by],
            context={"proposal": row, "url": RULES_URL},
            dedupe_key=f"{followup_events.RULES_DECIDED.code}:{row.pk}",
            actor=actor,
        )

    try:
        return decide(
            RULES_CHANGE,
            actor=actor,
            approve=approve,
            comment=comment,
            lock=lock,
            move=move,
            notify=notify,
        )
    except IntegrityError as exc:  # another adoption took the first version at the same time
        raise errors.proposal_outdated(proposal.base_version, current_rules().version) from exc


def announced_to() -> QuerySet[User]:
    """Who hears of a new version: organisers and department heads."""
    heads = DepartmentHead.objects.values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role_assignments__role=Role.ORGANISER) | Q(pk__in=heads))
        .distinct()
        .order_by("pk")
    )


def _announce(rules: FollowupRules, proposal: RulesProposal, *, actor: User) -> None:
    enqueue(
        event=followup_events.RULES_ADOPTED.code,
        recipients=announced_to(),
        context={"rules": rules, "proposal": proposal, "url": RULES_URL},
        dedupe_key=f"{followup_events.RULES_ADOPTED.code}:{rules.pk}",
        actor=actor,
    )
