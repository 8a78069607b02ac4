"""Follow-up services: progress and comments, escalations, acceptance, urges (see each module)."""

from meetops.followup.services.assignments import assign_action
from meetops.followup.services.escalations import (
    answer_escalation,
    escalate_overdue,
    raise_escalation,
)
from meetops.followup.services.progress import (
    add_comment,
    change_due_date,
    post_progress,
    set_cooperating_departments,
)
from meetops.followup.services.reviews import accept_action, on_time, return_action
from meetops.followup.services.rules import decide_rules_proposal, propose_rules_change
from meetops.followup.services.urges import urge_owner

__all__ = [
    "accept_action",
    "add_comment",
    "answer_escalation",
    "assign_action",
    "change_due_date",
    "decide_rules_proposal",
    "escalate_overdue",
    "on_time",
    "post_progress",
    "propose_rules_change",
    "raise_escalation",
    "return_action",
    "set_cooperating_departments",
    "urge_owner",
]
