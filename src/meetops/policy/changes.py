"""What a process version changed against the one before it (P10.4).

Steps are matched by policy clause (the second step with one clause matches the
second with that clause, and so on), so a step moved to another stage or
reworded shows as changed, not as removed and added.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetops.policy.models import ProcessTemplate, StepDefinition

Keyed = dict[tuple[str, int], StepDefinition]

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

# What a reader cares about, in the order it is listed; the titles count as one.
COMPARED: list[tuple[tuple[str, ...], str | Promise]] = [
    (("title_zh_hans", "title_zh_hant", "title_en"), _("wording")),
    (("stage",), _("stage")),
    (("required",), _("required or optional")),
    (("owner_role",), _("owner")),
    (("completion", "rule"), _("how it completes")),
]


@dataclass
class StepChange:
    kind: str  # ADDED, REMOVED or CHANGED
    clause: str
    before: StepDefinition | None
    after: StepDefinition | None
    what: list[str | Promise] = field(default_factory=list)

    @property
    def step(self) -> StepDefinition:
        step = self.after or self.before
        assert step is not None  # one of the two always exists
        return step


def previous_version(template: ProcessTemplate) -> ProcessTemplate | None:
    """The newest published version older than this one."""
    return (
        ProcessTemplate.objects.filter(version__lt=template.version, published_at__isnull=False)
        .order_by("-version")
        .first()
    )


def changes_between(
    previous: ProcessTemplate | None, template: ProcessTemplate
) -> list[StepChange]:
    after = _by_clause(template)
    before = _by_clause(previous) if previous else {}
    found: list[StepChange] = []
    for key in sorted(set(before) | set(after), key=_order_key(before, after)):
        old, new = before.get(key), after.get(key)
        if old is None:
            found.append(StepChange(ADDED, key[0], None, new))
        elif new is None:
            found.append(StepChange(REMOVED, key[0], old, None))
        else:
            what = [
                label
                for names, label in COMPARED
                if any(getattr(old, n) != getattr(new, n) for n in names)
            ]
            if what:
                found.append(StepChange(CHANGED, key[0], old, new, what))
    return found


def _by_clause(template: ProcessTemplate) -> Keyed:
    seen: dict[str, int] = defaultdict(int)
    keyed = {}
    for step in template.steps.order_by("order", "id"):
        keyed[(step.clause, seen[step.clause])] = step
        seen[step.clause] += 1
    return keyed


def _order_key(before: Keyed, after: Keyed) -> Callable[[tuple[str, int]], tuple[int, int]]:
    def key(k: tuple[str, int]) -> tuple[int, int]:
        step = after.get(k) or before[k]
        return (step.order, step.pk)

    return key
