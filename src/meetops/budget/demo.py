"""Demo budgets and supplies: the evidence P2.4, P2.6, P4.6 and P4.7 complete from.

When the meetings loader walks a demo meeting through its stages it asks for this evidence
(`provide_evidence`); each provider writes through the services, as the organiser and a
leader would. The loader gives every meeting kind its usual supplies list.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from meetops.budget import services
from meetops.budget.models import Budget, BudgetStatus, DefaultSupply, SupplyItem
from meetops.core.demo import demo_evidence, demo_loader
from meetops.meetings.models import Meeting, MeetingKind
from meetops.people.models import Role, User

LINES = [
    {"category": "venue", "planned": "3000.00", "note": "会场"},
    {"category": "catering", "planned": "1200.00", "note": "茶歇"},
    {"category": "printing", "planned": "400.00", "note": "会议材料"},
]
# (name, quantity, unit, to recover)
USUAL = [
    ("会议材料", 30, "份", False),
    ("签字笔", 30, "支", True),
    ("便笺纸", 30, "本", False),
    ("纸杯", 60, "个", False),
    ("桌牌", 20, "个", True),
]


def _leader(actor: User) -> User | None:
    return (
        User.objects.filter(role_assignments__role=Role.LEADER, is_active=True)
        .exclude(pk=actor.pk)
        .order_by("pk")
        .first()
    )


@demo_evidence("budget.approved")
def approved_budget(meeting: Meeting, actor: User) -> None:
    leader = _leader(actor)
    budget = Budget.objects.filter(meeting=meeting).first()
    if leader is None or (budget and budget.status == BudgetStatus.APPROVED):
        return
    services.save_budget(meeting, lines=LINES, actor=actor)
    services.submit_budget(meeting, actor=actor)
    services.approve_budget(meeting, actor=leader, comment="同意")


@demo_evidence("budget.settled")
def settled_budget(meeting: Meeting, actor: User) -> None:
    approved_budget(meeting, actor)
    leader = _leader(actor)
    if leader is None:
        return
    lines = list(meeting.budget.lines.order_by("order"))
    for line, share, payee in zip(
        lines, ("0.9", "0.75", "1"), ("会议中心", "餐饮公司", "文印中心"), strict=False
    ):
        services.add_expense(
            meeting,
            line_id=line.pk,
            amount=(line.planned * Decimal(share)).quantize(Decimal("0.01")),
            spent_on=date.fromordinal(meeting.start.date().toordinal()),
            payee=payee,
            actor=actor,
        )
    services.submit_settlement(meeting, actor=actor, note="票据齐全")
    services.approve_settlement(meeting, actor=leader)


def _checklist(meeting: Meeting) -> list[dict[str, Any]]:
    return [
        {"name": n, "quantity": q, "unit": u, "reusable": r, "prepared": True}
        for n, q, u, r in USUAL
    ]


@demo_evidence("budget.supplies_ready")
def supplies_ready(meeting: Meeting, actor: User) -> None:
    services.save_supplies(meeting, items=_checklist(meeting), actor=actor)


@demo_evidence("budget.supplies_recovered")
def supplies_recovered(meeting: Meeting, actor: User) -> None:
    items = list(SupplyItem.objects.filter(meeting=meeting).order_by("order", "id").values())
    if not items:
        services.save_supplies(meeting, items=_checklist(meeting), actor=actor)
        items = list(SupplyItem.objects.filter(meeting=meeting).order_by("order", "id").values())
    for item in items:
        if item["reusable"]:
            item["recovered_quantity"] = max(0, item["quantity"] - 2)
    services.save_supplies(meeting, items=items, actor=actor)


@demo_loader("budget", order=70)
def load_demo(ctx: Any) -> None:
    """The usual supplies of every meeting kind (edited in the admin)."""
    for kind in MeetingKind.objects.all():
        DefaultSupply.objects.bulk_create(
            DefaultSupply(kind=kind, order=i, name=n, quantity=q, unit=u, reusable=r)
            for i, (n, q, u, r) in enumerate(USUAL)
        )
    if hasattr(ctx, "note"):
        ctx.note("usual supplies for every meeting kind")
