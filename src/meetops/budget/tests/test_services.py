"""Budget, expenses and settlement services: the state machine, the rules, who may do what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from meetops.budget import services
from meetops.budget.decisions import SETTLEMENT
from meetops.budget.models import Budget, BudgetRevision, Expense
from meetops.budget.selectors import statement_of
from meetops.budget.tests.conftest import LINES
from meetops.core.errors import DomainError, PermissionDenied
from meetops.core.models import AuditEntry
from meetops.policy.rules import is_met

pytestmark = pytest.mark.django_db


def _codes(exc: DomainError) -> list[str]:
    return [row["code"] for row in exc.details.get("rows", [])]


def test_draft_submit_approve_locks_and_is_audited(meeting, organiser, leader):
    budget = services.save_budget(meeting, lines=LINES, actor=organiser)
    assert budget.status == "draft" and budget.lines.count() == 2
    assert not is_met("budget.approved", meeting)
    services.submit_budget(meeting, actor=organiser)
    with pytest.raises(DomainError) as exc:
        services.save_budget(meeting, lines=LINES[:1], actor=organiser)
    assert exc.value.code == "budget_wrong_status"
    budget = services.approve_budget(meeting, actor=leader, comment="同意")
    assert budget.status == "approved" and budget.decided_by == leader
    assert is_met("budget.approved", meeting)
    actions = list(
        AuditEntry.objects.filter(object_type="budget")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["budget.budget.updated", "budget.budget.submitted", "budget.budget.approved"]


def test_planned_amounts_are_exact_decimals(meeting, organiser):
    services.save_budget(
        meeting,
        lines=[{"category": "av", "planned": "0.10"}, {"category": "av", "planned": 0.2}],
        actor=organiser,
    )
    assert statement_of(meeting).planned_total == Decimal("0.30")
    with pytest.raises(DomainError) as exc:
        services.save_budget(
            meeting,
            lines=[{"category": "av", "planned": "1.005"}, {"category": "spa", "planned": "-1"}],
            actor=organiser,
        )
    assert exc.value.code == "invalid_rows"
    assert _codes(exc.value) == ["invalid_amount", "invalid_category", "invalid_amount"]


def test_return_needs_a_comment_and_reopens_editing(meeting, organiser, leader):
    services.save_budget(meeting, lines=LINES, actor=organiser)
    services.submit_budget(meeting, actor=organiser)
    with pytest.raises(DomainError) as exc:
        services.return_budget(meeting, actor=leader, comment="  ")
    assert exc.value.code == "comment_required"
    budget = services.return_budget(meeting, actor=leader, comment="餐费偏高")
    assert budget.status == "returned" and budget.decision_comment == "餐费偏高"
    services.save_budget(meeting, lines=LINES[:1], actor=organiser)
    assert services.submit_budget(meeting, actor=organiser).status == "submitted"


def test_an_empty_budget_cannot_be_submitted(meeting, organiser):
    with pytest.raises(DomainError) as exc:
        services.submit_budget(meeting, actor=organiser)
    assert exc.value.code == "budget_empty"


def test_changing_an_approved_budget_needs_a_reason_and_a_new_approval(
    approved, meeting, organiser, leader
):
    lines = [
        {"id": line.pk, "category": line.category, "planned": "3500.00"}
        for line in approved.lines.all()
    ]
    with pytest.raises(DomainError) as exc:
        services.save_budget(meeting, lines=lines, actor=organiser)
    assert exc.value.code == "revision_reason_required"
    budget = services.save_budget(meeting, lines=lines, actor=organiser, reason="场地涨价")
    assert (budget.status, budget.revision) == ("draft", 2)
    revision = BudgetRevision.objects.get(budget=budget)
    assert revision.reason == "场地涨价" and revision.previous_lines[0]["planned"] == "3000.00"
    assert not is_met("budget.approved", meeting)
    entry = AuditEntry.objects.filter(action="budget.budget.updated").order_by("-id").first()
    assert entry.data == {"revision": 2, "reason": "场地涨价"}


def test_the_submitter_cannot_approve_and_members_cannot_approve(meeting, make_user, member):
    both = make_user("both", roles=("organiser", "leader"))
    meeting_of_both = meeting.__class__.objects.get(pk=meeting.pk)
    meeting_of_both.created_by = both
    meeting_of_both.save(update_fields=["created_by"])
    services.save_budget(meeting_of_both, lines=LINES, actor=both)
    services.submit_budget(meeting_of_both, actor=both)
    with pytest.raises(DomainError) as exc:
        services.approve_budget(meeting_of_both, actor=both)
    assert exc.value.code == "self_approval"
    with pytest.raises(PermissionDenied):
        services.approve_budget(meeting_of_both, actor=member)


@pytest.mark.parametrize("persona", ["member", "outsider", "leader"])
def test_only_those_who_manage_the_meeting_edit_the_budget(meeting, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied) as exc:
        services.save_budget(meeting, lines=LINES, actor=user)
    assert exc.value.code == "forbidden"
    assert not Budget.objects.exists()


def test_expenses_need_an_approved_budget(meeting, organiser):
    services.save_budget(meeting, lines=LINES, actor=organiser)
    line = meeting.budget.lines.first()
    with pytest.raises(DomainError) as exc:
        services.add_expense(
            meeting,
            line_id=line.pk,
            amount="10.00",
            spent_on=date(2026, 11, 1),
            payee="x",
            actor=organiser,
        )
    assert exc.value.code == "budget_not_approved"


def test_an_over_budget_expense_needs_a_reason(approved, meeting, spend):
    spend(meeting, "2999.99")
    with pytest.raises(DomainError) as exc:
        spend(meeting, "0.02")
    assert exc.value.code == "over_budget_reason_required"
    assert exc.value.details["over"] == ["line_over_budget"]
    assert Expense.objects.count() == 1
    spend(meeting, "0.02", over_budget_reason="加时")
    statement = statement_of(meeting)
    assert statement.actual_total == Decimal("3000.01")
    assert [w["code"] for w in statement.warnings] == ["line_over_budget"]
    # Catering stays within its line but pushes the total over plan.
    with pytest.raises(DomainError) as exc:
        spend(meeting, "1200.50", index=1)
    assert exc.value.details["over"] == ["total_over_budget"]


def test_staff_of_the_meeting_record_expenses_members_do_not(
    approved, meeting, make_user, spend, member
):
    from meetops.meetings.services import add_participant

    helper = make_user("helper", roles=("staff",))
    add_participant(meeting, actor=meeting.created_by, user=helper, role="staff")
    assert spend(meeting, "100.00", actor=helper).entered_by == helper
    add_participant(meeting, actor=meeting.created_by, user=member, role="participant")
    with pytest.raises(PermissionDenied):
        spend(meeting, "100.00", actor=member)


def test_settlement_totals_and_lifecycle(approved, meeting, organiser, leader, spend):
    spend(meeting, "1000.00")
    spend(meeting, "200.25", index=1)
    with pytest.raises(PermissionDenied):
        services.submit_settlement(meeting, actor=leader)
    budget = services.submit_settlement(meeting, actor=organiser, note="已报销")
    assert budget.settlement_status == "submitted"
    with pytest.raises(DomainError) as exc:
        spend(meeting, "1.00")
    assert exc.value.code == "settlement_locked"
    assert not is_met("budget.settled", meeting)
    services.return_settlement(meeting, actor=leader, comment="缺发票")
    spend(meeting, "1.00")
    services.submit_settlement(meeting, actor=organiser)
    budget = services.approve_settlement(meeting, actor=leader)
    assert budget.settlement_status == "settled"
    assert is_met("budget.settled", meeting)
    entry = AuditEntry.objects.get(action="budget.settlement.approved")
    assert entry.data["planned_total"] == "4200.50" and entry.data["actual_total"] == "1201.25"
    statement = statement_of(meeting)
    assert (statement.planned_total, statement.actual_total, statement.remaining_total) == (
        Decimal("4200.50"),
        Decimal("1201.25"),
        Decimal("2999.25"),
    )


def test_a_line_with_expenses_cannot_be_removed(approved, meeting, organiser, spend):
    spend(meeting, "10.00")
    venue = meeting.budget.lines.order_by("order").first()
    with pytest.raises(DomainError) as exc:
        services.save_budget(meeting, lines=[LINES[1]], actor=organiser, reason="删场地")
    assert exc.value.code == "line_has_expenses" and exc.value.details["line_id"] == venue.pk


def test_a_voided_expense_leaves_the_sums_but_stays_listed(approved, meeting, organiser, spend):
    wrong = spend(meeting, "2999.00")
    with pytest.raises(DomainError) as exc:
        services.void_expense(wrong, reason=" ", actor=organiser)
    assert exc.value.code == "void_reason_required"
    services.void_expense(wrong, reason="金额录错", actor=organiser)
    with pytest.raises(DomainError) as exc:
        services.void_expense(wrong, reason="again", actor=organiser)
    assert exc.value.code == "expense_voided"
    spend(meeting, "2990.00")  # within plan again: no reason needed
    statement = statement_of(meeting)
    assert statement.actual_total == Decimal("2990.00")
    assert [e.void_reason for e in statement.voided] == ["金额录错"]
    entry = AuditEntry.objects.get(action="budget.expense.voided")
    assert entry.data == {"reason": "金额录错", "amount": "2999.00"}


def test_leaders_hear_of_what_waits_and_the_submitter_of_the_decision(meeting, organiser, leader):
    from meetops.notifications.models import OutboxMessage

    organiser.email, leader.email = "org@example.org", "boss@example.org"
    organiser.save(update_fields=["email"])
    leader.save(update_fields=["email"])
    services.save_budget(meeting, lines=LINES, actor=organiser)
    services.submit_budget(meeting, actor=organiser)
    waiting = OutboxMessage.objects.get(event="budget.approval.requested", channel="email")
    assert (
        waiting.address == "boss@example.org" and waiting.url == f"/meetings/{meeting.pk}/budget/"
    )
    assert waiting.subject == "待审批：年度预算会的预算"
    services.return_budget(meeting, actor=leader, comment="餐费偏高")
    told = OutboxMessage.objects.get(event="budget.approval.decided", channel="email")
    assert told.address == "org@example.org" and "餐费偏高" in told.body
    assert not OutboxMessage.objects.filter(event="budget.approval.decided", user=leader).exists()


def test_the_settlement_submitter_cannot_decide_it_nor_sees_it_waiting(meeting, make_user, leader):
    both = make_user("both", roles=("organiser", "leader"))
    meeting.__class__.objects.filter(pk=meeting.pk).update(created_by=both)
    meeting.refresh_from_db()
    services.save_budget(meeting, lines=LINES, actor=both)
    services.submit_budget(meeting, actor=both)
    services.approve_budget(meeting, actor=leader)
    services.submit_settlement(meeting, actor=both)
    with pytest.raises(DomainError) as exc:
        services.approve_settlement(meeting, actor=both)
    assert exc.value.code == "self_approval"
    assert Budget.objects.get(meeting=meeting).settlement_status == "submitted"
    assert not SETTLEMENT.pending_for(both)
    assert list(SETTLEMENT.pending_for(leader)) == [Budget.objects.get(meeting=meeting)]
    services.approve_settlement(meeting, actor=leader)
    assert not SETTLEMENT.pending_for(leader)
