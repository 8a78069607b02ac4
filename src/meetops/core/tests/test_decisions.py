"""The one decision shape (core.decisions), on a stand-in row: the apps' own tests run it on theirs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from meetops.core import audit, decisions
from meetops.core.decisions import Audited, DecisionFlow, Verdict
from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry


@dataclass
class Paper:
    """A submission; `stored` plays the database row that the lock reads again."""

    submitted_by_id: int | None
    state: str = "submitted"
    decided_by: Any = None
    decided_at: datetime | None = None
    note: str = ""


def _wrong_state(row: Paper, approve: bool) -> DomainError:
    return DomainError("no longer waiting", "paper_wrong_state", state=row.state)


def _flow(**overrides: Any) -> DecisionFlow[Paper]:
    values: dict[str, Any] = {
        "name": "test.paper",
        "state_field": "state",
        "awaiting": "submitted",
        "wrong_state": _wrong_state,
        "submitter": lambda row: row.submitted_by_id,
        "approved_action": "test.paper.approved",
        "returned_action": "test.paper.returned",
        "may_decide": lambda user, row: True,
        "candidates": lambda users: [],
        "comment_field": "note",
        **overrides,
    }
    return DecisionFlow(**values)


class Desk:
    """Runs `decisions.decide` on one paper, recording the hooks' calls."""

    def __init__(self, paper: Paper, target: Any) -> None:
        self.paper, self.target = paper, target
        self.notified: list[Verdict] = []

    def decide(
        self, flow: DecisionFlow[Paper], actor: Any, *, approve: bool, comment: str = ""
    ) -> Paper:
        def move(row: Paper, verdict: Verdict, stamped: list[str]) -> Audited:
            before, row.state = row.state, "approved" if verdict.approve else "returned"
            return Audited(self.target, {"state": [before, row.state]}, {"stamped": stamped})

        return decisions.decide(
            flow,
            actor=actor,
            approve=approve,
            comment=comment,
            lock=lambda: self.paper,
            move=move,
            notify=lambda row, verdict: self.notified.append(verdict),
        )


@pytest.fixture
def people(make_user: Any) -> tuple[Any, Any]:
    return make_user("writer"), make_user("leader", roles=("leader",))


def test_approve_stamps_who_and_when_audits_and_notifies(people: tuple[Any, Any]) -> None:
    writer, leader = people
    desk = Desk(Paper(submitted_by_id=writer.pk), target=writer)
    paper = desk.decide(_flow(), leader, approve=True, comment="  fine  ")
    assert (paper.state, paper.decided_by, paper.note) == ("approved", leader, "fine")
    assert paper.decided_at is not None
    entry = AuditEntry.objects.get(action="test.paper.approved")
    assert entry.actor == leader
    assert entry.changes == {"state": ["submitted", "approved"]}
    assert entry.data == {"stamped": ["decided_by", "decided_at", "note"]}
    assert [v.approve for v in desk.notified] == [True]


def test_a_return_needs_a_comment_with_the_flows_own_code(people: tuple[Any, Any]) -> None:
    writer, leader = people
    desk = Desk(Paper(submitted_by_id=writer.pk), target=writer)
    with pytest.raises(DomainError) as caught:
        desk.decide(_flow(), leader, approve=False, comment="   ")
    assert caught.value.code == "comment_required"
    own_code = _flow(comment_required=lambda: DomainError("say why", "note_required"))
    with pytest.raises(DomainError) as caught:
        desk.decide(own_code, leader, approve=False)
    assert caught.value.code == "note_required"
    assert desk.paper.state == "submitted" and not desk.notified
    returned = desk.decide(_flow(), leader, approve=False, comment="add the votes")
    assert (returned.state, returned.note) == ("returned", "add the votes")
    assert AuditEntry.objects.filter(action="test.paper.returned").count() == 1


def test_the_submitter_may_not_decide_their_own(people: tuple[Any, Any]) -> None:
    writer, _leader = people
    flow = _flow()
    desk = Desk(Paper(submitted_by_id=writer.pk), target=writer)
    with pytest.raises(DomainError) as caught:
        desk.decide(flow, writer, approve=True)
    assert caught.value.code == "own_submission"
    assert desk.paper.state == "submitted" and desk.paper.decided_by is None
    assert not desk.notified and not AuditEntry.objects.filter(action__startswith="test.").exists()
    assert not flow.can_decide(writer, desk.paper)


def test_an_app_keeps_its_own_code_or_names_why_the_submitter_may_decide(
    people: tuple[Any, Any],
) -> None:
    writer, _leader = people
    legacy = _flow(own_error=lambda: DomainError("not yours", "self_approval"))
    with pytest.raises(DomainError) as caught:
        Desk(Paper(submitted_by_id=writer.pk), target=writer).decide(legacy, writer, approve=True)
    assert caught.value.code == "self_approval"
    allowed = _flow(own_allowed="accepting an offer made to oneself")
    paper = Desk(Paper(submitted_by_id=writer.pk), target=writer).decide(
        allowed, writer, approve=True
    )
    assert paper.state == "approved" and allowed.can_decide(writer, paper)


def test_a_second_decision_finds_it_decided(people: tuple[Any, Any], make_user: Any) -> None:
    writer, leader = people
    other = make_user("other-leader", roles=("leader",))
    desk = Desk(Paper(submitted_by_id=writer.pk), target=writer)
    desk.decide(_flow(), leader, approve=True)
    with pytest.raises(DomainError) as caught:
        desk.decide(_flow(), other, approve=False, comment="too late")
    assert caught.value.code == "paper_wrong_state"
    assert desk.paper.decided_by == leader
    assert len(desk.notified) == 1
    assert AuditEntry.objects.filter(action__startswith="test.paper.").count() == 1


def test_nothing_of_a_decision_outlives_its_rollback(people: tuple[Any, Any]) -> None:
    """Audit and notification hooks write in the decision's transaction: a rollback takes both."""
    writer, leader = people
    paper = Paper(submitted_by_id=writer.pk)

    def notify(row: Paper, verdict: Verdict) -> None:
        # Stands in for notifications.enqueue: an outbox row written in the same transaction.
        audit.record("test.paper.notified", writer, actor=None)

    def move(row: Paper, verdict: Verdict, stamped: list[str]) -> Audited:
        row.state = "approved"
        return Audited(writer)

    with pytest.raises(RuntimeError), transaction.atomic():
        decisions.decide(
            _flow(),
            actor=leader,
            approve=True,
            comment="",
            lock=lambda: paper,
            move=move,
            notify=notify,
        )
        raise RuntimeError("the caller's transaction fails after the decision")
    assert not AuditEntry.objects.filter(action__startswith="test.paper.").exists()


def test_pending_for_is_empty_for_anonymous(db: Any) -> None:
    flow = _flow(candidates=lambda users: list(AuditEntry.objects.all()))
    assert flow.pending_for(AnonymousUser()) == []
