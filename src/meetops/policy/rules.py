"""The registry of automatic completion rules.

A step that completes "automatically" names a rule; the rule looks at the
evidence in the system and says whether the step is met. Each app registers
the rules it can judge (meetings: "a host is named"; venues: "a confirmed
booking exists") in a module its `contributions.py` imports; the rules live in
the core registry's "completion_rules" store, which refuses a code twice:

    @completion_rule("venues.booking_confirmed", _("A confirmed room booking exists"))
    def booking_confirmed(meeting): ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from meetops.core.registry import Store, owner_of, registry

if TYPE_CHECKING:
    from meetops.meetings.models import Meeting

RuleCheck = Callable[["Meeting"], bool]


@dataclass(frozen=True)
class CompletionRule:
    code: str
    label: str | Promise
    check: RuleCheck


_registry: Store[CompletionRule] = registry["completion_rules"]


def completion_rule(code: str, label: str | Promise) -> Callable[[RuleCheck], RuleCheck]:
    def register(check: RuleCheck) -> RuleCheck:
        _registry.register(
            code, CompletionRule(code, label, check), owner=owner_of(check.__module__)
        )
        return check

    return register


def get_rule(code: str) -> CompletionRule | None:
    return _registry.get(code)


def all_rules() -> list[CompletionRule]:
    return sorted(_registry.values(), key=lambda r: r.code)


def is_met(code: str, meeting: Meeting) -> bool:
    """Whether the rule holds. An unknown rule (app not installed) never holds."""
    rule = _registry.get(code)
    return bool(rule and rule.check(meeting))
