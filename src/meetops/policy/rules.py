"""The registry of automatic completion rules.

A step that completes "automatically" names a rule; the rule looks at the
evidence in the system and says whether the step is met. Each app registers
the rules it can judge (meetings: "a host is named"; venues: "a confirmed
booking exists") in a module its `contributions.py` imports, with the decorator of
`core.completion`; the rules live in the core registry's "completion_rules" store,
which refuses a code twice:

    @completion_rule("venues.booking_confirmed", _("A confirmed room booking exists"))
    def booking_confirmed(meeting): ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The rule's shape and decorator live in core (apps register without importing policy);
# named here too, where the rules are read.
from meetops.core.completion import CompletionRule, RuleCheck, completion_rule
from meetops.core.registry import Store, registry

if TYPE_CHECKING:
    from meetops.meetings.models import Meeting

__all__ = ["CompletionRule", "RuleCheck", "all_rules", "completion_rule", "get_rule", "is_met"]

_registry: Store[CompletionRule] = registry["completion_rules"]


def get_rule(code: str) -> CompletionRule | None:
    return _registry.get(code)


def all_rules() -> list[CompletionRule]:
    return sorted(_registry.values(), key=lambda r: r.code)


def is_met(code: str, meeting: Meeting) -> bool:
    """Whether the rule holds. An unknown rule (app not installed) never holds."""
    rule = _registry.get(code)
    return bool(rule and rule.check(meeting))
