"""The shape of an automatic completion rule, and the decorator that registers one.

A step of the process (policy) that completes "automatically" names a rule; the rule
looks at the evidence and says whether the step is met. The shape lives here, below every
app, so an app registers its rules without importing policy (the app that reads them):

    @completion_rule("venues.booking_confirmed", _("A confirmed room booking exists"))
    def booking_confirmed(meeting): ...

The rules live in the core registry's "completion_rules" store, which refuses a code twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from meetops.core.registry import Meeting, Store, owner_of, registry

RuleCheck = Callable[[Meeting], bool]


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
