"""The follow-up's periodic jobs, run by the notifications worker; both obey the follow-up
rules in force (`ruleset.current_rules`, P8.7, ADR 0027), read afresh on every run, so an
adopted version applies from the next run on:

- `followup.action_reminders`: due and overdue reminders to owners at the rules' cadence
  (the reminding itself is the minutes app's, which knows nothing of the rules);
- `followup.escalate_overdue`: an item still open or in progress the rules' number of days
  after its due date goes to the owner's department heads, and later to the organisers and
  the instructing leader, once per missed due date and stage.
"""

from __future__ import annotations

from django.utils import timezone

from meetops.core.scheduler import periodic
from meetops.followup.ruleset import current_rules
from meetops.followup.services import escalate_overdue
from meetops.minutes.jobs import send_action_reminders


def escalate_after_days() -> int:
    """Days after the due date at which the rules in force escalate (to the heads first)."""
    return current_rules().escalate_after_days


@periodic(every_seconds=3600, name="followup.escalate_overdue")
def escalate_overdue_items() -> int:
    """Escalate today's newly overdue items. Returns how many were escalated."""
    rules = current_rules()
    made = escalate_overdue(
        today=timezone.localdate(),
        after_days=rules.escalate_after_days,
        leaders_after_days=rules.escalate_leaders_after_days,
    )
    return len(made)


@periodic(every_seconds=3600, name="followup.action_reminders")
def remind_action_owners() -> int:
    """Queue today's due and overdue reminders at the cadence in force. Returns the count."""
    rules = current_rules()
    return send_action_reminders(
        today=timezone.localdate(),
        before_days=rules.remind_before_days,
        every_days=rules.overdue_every_days,
    )
