"""The follow-up rules in force (P8.7, ADR 0027): what the reminder and escalation jobs and the
acceptance check read.

The current `FollowupRules` version when one was adopted; before that, version 0: the
installation's settings (`MEETOPS_ESCALATE_AFTER_DAYS`) and the defaults below, which are what
MeetOps did before the rules were versioned. Version 0 is never stored, so an installation
that never changes its rules keeps following its settings.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, When
from django.utils import timezone

from meetops.followup.models import AcceptedBy, FollowupRules, ProposalState, RulesProposal

DEFAULT_REMIND_BEFORE_DAYS = 1  # due today or tomorrow
DEFAULT_OVERDUE_EVERY_DAYS = 1  # every day once overdue
DEFAULT_ESCALATE_AFTER_DAYS = 3
# Limits a proposal may ask for: a reminder at most a month ahead, escalation within a quarter.
MAX_REMIND_BEFORE_DAYS = 30
MAX_OVERDUE_EVERY_DAYS = 30
MAX_ESCALATION_DAYS = 90


def initial_rules() -> FollowupRules:
    """Version 0, unsaved: the installation's settings and the built-in defaults."""
    after = int(getattr(settings, "MEETOPS_ESCALATE_AFTER_DAYS", DEFAULT_ESCALATE_AFTER_DAYS))
    return FollowupRules(
        version=0,
        is_current=True,
        remind_before_days=DEFAULT_REMIND_BEFORE_DAYS,
        overdue_every_days=DEFAULT_OVERDUE_EVERY_DAYS,
        escalate_after_days=after,
        escalate_leaders_after_days=2 * after,
        accepted_by=AcceptedBy.MANAGERS,
        adopted_at=timezone.now(),
    )


def current_rules() -> FollowupRules:
    """The rules in force, in one query."""
    return FollowupRules.objects.filter(is_current=True).first() or initial_rules()


def versions() -> list[FollowupRules]:
    """Every adopted version, newest first, with who adopted it (one query)."""
    return list(FollowupRules.objects.select_related("adopted_by").order_by("-version"))


def proposals(*, limit: int = 100) -> list[RulesProposal]:
    """The latest proposals, waiting ones first, then newest first (one query)."""
    waiting_first = Case(When(state=ProposalState.PROPOSED, then=0), default=1)
    return list(
        RulesProposal.objects.select_related("proposed_by", "decided_by").order_by(
            waiting_first, "-created_at", "-id"
        )[:limit]
    )
