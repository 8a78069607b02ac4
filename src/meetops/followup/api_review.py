"""Follow-up API of the process itself (P8.7): the periodic review, the rules in force with
their versions and proposals, proposing a change, deciding one. Mounted at "/" with full
paths; every error leaves in the one API error shape."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from meetops.core.errors import NotFound
from meetops.core.schemas import DbId, Input
from meetops.core.validation import SaneDate
from meetops.core.web import AuthedRequest
from meetops.followup import permissions, process_review, ruleset, services
from meetops.followup.models import FollowupRules, RulesProposal
from meetops.followup.services.rules import get_proposal_for_user, values_of

router = Router(tags=["follow-up"])

# Whole days; the service holds the exact limits of each rule (invalid_days).
Days = Annotated[int, Field(ge=0, le=365)]


class FollowupReviewQuery(Input):
    from_: SaneDate | None = Field(
        None, alias="from", description="First day (default: the last quarter)"
    )
    to: SaneDate | None = Field(None, description="Last day (default: today when `from` is given)")
    within: int = Field(
        process_review.DEFAULT_WITHIN_DAYS,
        ge=1,
        le=process_review.MAX_WITHIN_DAYS,
        description="An escalation worked when its item was done within this many days",
    )


class PatternOut(Schema):
    key: str = Field(description="Department id, or kind: instruction | decision | plan")
    label: str
    items: int
    late: int = Field(description="Done after the due date, or still open past it")
    overdue_now: int
    late_rate: int | None
    accepted: int
    first_try: int = Field(description="Accepted and never sent back")
    first_try_rate: int | None


class EscalationPatternOut(Schema):
    kind: str
    stage: str = Field(description="For overdue escalations: heads | leaders")
    label: str
    total: int
    worked: int = Field(description="The item was done within `within` days after it")
    done_later: int
    not_done: int
    too_early: int = Field(description="Not done yet, and raised less than `within` days ago")
    worked_rate: int | None


class FollowupReviewOut(Schema):
    start: date
    end: date
    within: int
    totals: PatternOut
    departments: list[PatternOut]
    kinds: list[PatternOut]
    done: int
    median_days_to_done: float | None
    p90_days_to_done: int | None
    escalations: list[EscalationPatternOut]
    rules_version: int


class RuleValuesIn(Input):
    remind_before_days: Days
    overdue_every_days: Days
    escalate_after_days: Days
    escalate_leaders_after_days: Days
    accepted_by: Literal["managers", "leader_first", "with_heads"] = Field(
        ..., description="Who accepts finished work"
    )


class RulesProposalIn(RuleValuesIn):
    reason: str = Field(..., max_length=20000)


class RuleValuesOut(Schema):
    remind_before_days: int
    overdue_every_days: int
    escalate_after_days: int
    escalate_leaders_after_days: int
    accepted_by: str


class RulesVersionOut(RuleValuesOut):
    version: int = Field(description="0: the installation's starting rules, never adopted")
    is_current: bool
    reason: str
    proposal_id: DbId | None
    adopted_by: str | None
    adopted_at: datetime | None


class RulesProposalOut(RuleValuesOut):
    id: int
    state: str = Field(description="proposed | adopted | rejected")
    reason: str
    base_version: int
    proposed_by: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    adopted_version: int | None


class RulesOut(Schema):
    current: RulesVersionOut
    versions: list[RulesVersionOut]
    proposals: list[RulesProposalOut] = Field(
        description="Only for those who may propose or decide; empty for others"
    )


class RulesDecisionIn(Input):
    adopt: bool
    comment: str = Field("", max_length=2000)


def version_out(rules: FollowupRules) -> RulesVersionOut:
    return RulesVersionOut(
        **values_of(rules),
        version=rules.version,
        is_current=rules.is_current,
        reason=rules.reason,
        proposal_id=rules.proposal_id,
        adopted_by=str(rules.adopted_by) if rules.adopted_by_id else None,
        adopted_at=rules.adopted_at if rules.pk else None,
    )


def proposal_out(p: RulesProposal, adopted: dict[int, int]) -> RulesProposalOut:
    return RulesProposalOut(
        **values_of(p),
        id=p.pk,
        state=p.state,
        reason=p.reason,
        base_version=p.base_version,
        proposed_by=str(p.proposed_by),
        created_at=p.created_at,
        decided_by=str(p.decided_by) if p.decided_by_id else None,
        decided_at=p.decided_at,
        decision_note=p.decision_note,
        adopted_version=adopted.get(p.pk),
    )


def _pattern(line: process_review.PatternLine) -> PatternOut:
    return PatternOut(
        key=line.key,
        label=line.label,
        items=line.items,
        late=line.late,
        overdue_now=line.overdue_now,
        late_rate=line.late_rate,
        accepted=line.accepted,
        first_try=line.first_try,
        first_try_rate=line.first_try_rate,
    )


@router.get(
    "/followup/review",
    response=FollowupReviewOut,
    summary="The periodic follow-up review: overdue patterns, time to done, escalations, "
    "acceptance on the first try (organisers, leaders)",
)
def review(request: AuthedRequest, q: Query[FollowupReviewQuery]) -> FollowupReviewOut:
    if not permissions.can_see_followup_review(request.user):
        raise NotFound()
    period = process_review.review_period(q.from_, q.to)
    r = process_review.followup_review(request.user, period, within_days=q.within)
    return FollowupReviewOut(
        start=period.start,
        end=period.end,
        within=r.within_days,
        totals=_pattern(r.totals),
        departments=[_pattern(x) for x in r.departments],
        kinds=[_pattern(x) for x in r.kinds],
        done=r.done,
        median_days_to_done=r.median_days,
        p90_days_to_done=r.p90_days,
        escalations=[
            EscalationPatternOut(
                kind=e.kind,
                stage=e.stage,
                label=e.label,
                total=e.total,
                worked=e.worked,
                done_later=e.done_later,
                not_done=e.not_done,
                too_early=e.too_early,
                worked_rate=e.worked_rate,
            )
            for e in r.escalations
        ],
        rules_version=ruleset.current_rules().version,
    )


def _rules_out(request: AuthedRequest) -> RulesOut:
    user = request.user
    involved = permissions.can_propose_rules(user) or permissions.can_decide_rules(user)
    versions = ruleset.versions()
    adopted = {v.proposal_id: v.version for v in versions if v.proposal_id}
    return RulesOut(
        current=version_out(ruleset.current_rules()),
        versions=[version_out(v) for v in versions],
        proposals=[proposal_out(p, adopted) for p in ruleset.proposals()] if involved else [],
    )


@router.get(
    "/followup/rules",
    response=RulesOut,
    summary="The follow-up rules in force, every adopted version, and the proposals",
)
def rules(request: AuthedRequest) -> RulesOut:
    return _rules_out(request)


@router.post(
    "/followup/rules/proposals",
    response={201: RulesProposalOut},
    summary="Propose new follow-up rules with a reason (organisers, leaders)",
)
def propose(request: AuthedRequest, payload: RulesProposalIn) -> Status:
    values = payload.dict(exclude={"reason"})
    proposal = services.propose_rules_change(
        actor=request.user, values=values, reason=payload.reason
    )
    return Status(201, proposal_out(proposal, {}))


@router.post(
    "/followup/rules/proposals/{int:proposal_id}/decide",
    response=RulesProposalOut,
    summary="Adopt a proposal as the next version of the rules, or decline it with a reason "
    "(whoever may change the meeting process)",
)
def decide(request: AuthedRequest, proposal_id: int, payload: RulesDecisionIn) -> RulesProposalOut:
    user = request.user
    proposal = get_proposal_for_user(user, proposal_id)
    decided = services.decide_rules_proposal(
        proposal, actor=user, approve=payload.adopt, comment=payload.comment
    )
    adopted = {v.proposal_id: v.version for v in ruleset.versions() if v.proposal_id}
    return proposal_out(decided, adopted)
