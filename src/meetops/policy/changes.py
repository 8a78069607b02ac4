"""What a process version changed against the one before it (P10.4).

Steps are matched by policy clause (the second step with one clause matches the
second with that clause, and so on), so a step moved to another stage or
reworded shows as changed, not as removed and added. A step that stays in its
stage but changes places with the others there shows as moved: the fewest steps
whose moving explains the new order (the rest keep their order: a longest common
subsequence), each said with the step it now follows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import Stage
from meetops.policy.models import (
    PROCESS_STAGES,
    ProcessTemplate,
    StepDefinition,
    in_process_order,
)

Keyed = dict[tuple[str, int], StepDefinition]

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
MOVED = "moved"

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
    kind: str  # ADDED, REMOVED, CHANGED or MOVED
    clause: str
    before: StepDefinition | None
    after: StepDefinition | None
    what: list[str | Promise] = field(default_factory=list)
    # MOVED: the step it now follows in its stage (None: it is now the stage's first).
    follows: StepDefinition | None = None

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
    found.extend(_moves(before, after))
    rank: dict[str, int] = {stage.value: i for i, stage in enumerate(PROCESS_STAGES)}
    # In the order of the new process: a stage's changes together, removed ones where they were.
    return sorted(found, key=lambda c: (rank.get(c.step.stage, len(rank)), c.step.order, c.step.pk))


def describe(change: StepChange) -> str:
    """The change in a sentence of the reader's language, for the preview and the API."""
    step = change.step
    names = {"clause": change.clause, "title": step.title, "stage": _stage_label(step.stage)}
    if change.kind == ADDED:
        return gettext("%(clause)s “%(title)s” is added to %(stage)s.") % names
    if change.kind == REMOVED:
        return gettext("%(clause)s “%(title)s” is removed from %(stage)s.") % names
    if change.kind == MOVED:
        if change.follows is None:
            return gettext("%(clause)s “%(title)s” moves to the start of %(stage)s.") % names
        return gettext("%(clause)s “%(title)s” now comes after %(after)s in %(stage)s.") % {
            **names,
            "after": f"{change.follows.clause} “{change.follows.title}”",
        }
    what = ", ".join(str(w) for w in change.what)
    sentence = gettext("%(clause)s “%(title)s” changes: %(what)s.") % {**names, "what": what}
    if change.before is not None and change.before.stage != step.stage:
        sentence += " " + gettext("It moves from %(old)s to %(new)s.") % {
            "old": _stage_label(change.before.stage),
            "new": _stage_label(step.stage),
        }
    return sentence


def _stage_label(code: str) -> str:
    return str(Stage(code).label) if code in Stage.values else code


def _moves(before: Keyed, after: Keyed) -> list[StepChange]:
    """Steps of both versions that stay in their stage but not in their place among the others."""
    moves = []
    for stage in PROCESS_STAGES:
        kept = [k for k, s in after.items() if s.stage == stage and k in before]
        kept = [k for k in kept if before[k].stage == stage]
        old = sorted(kept, key=lambda k: (before[k].order, before[k].pk))
        new = sorted(kept, key=lambda k: (after[k].order, after[k].pk))
        steady = set(_longest_common(old, new))
        # The step it now follows among all of the stage's steps in the new version.
        now = sorted(
            (k for k, s in after.items() if s.stage == stage),
            key=lambda k: (after[k].order, after[k].pk),
        )
        for key in new:
            if key not in steady:
                place = now.index(key)
                follows = after[now[place - 1]] if place else None
                moves.append(StepChange(MOVED, key[0], before[key], after[key], follows=follows))
    return moves


def _longest_common(a: list[tuple[str, int]], b: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The longest sequence of keys in the same order in both (a process has a few dozen steps)."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
            )
    common, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            common.append(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] > table[i][j + 1]:
            i += 1
        else:  # a tie: the step now earlier is the one said to move (a swap reads "moved up")
            j += 1
    return common


def _by_clause(template: ProcessTemplate) -> Keyed:
    seen: dict[str, int] = defaultdict(int)
    keyed = {}
    for step in in_process_order(template.steps.all()):
        keyed[(step.clause, seen[step.clause])] = step
        seen[step.clause] += 1
    return keyed


def _order_key(before: Keyed, after: Keyed) -> Callable[[tuple[str, int]], tuple[int, int]]:
    def key(k: tuple[str, int]) -> tuple[int, int]:
        step = after.get(k) or before[k]
        return (step.order, step.pk)

    return key
