"""The policy map: every clause id of the policy (`shared/seed/README.md`, docs/traceability.md),
by section. A process step names one of them; the process editor offers them as a picker."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# (section, number of clauses): P1 has five principles, P10 five items, the others ten.
SECTIONS: list[tuple[int, str | Promise, int]] = [
    (1, pgettext_lazy("policy section", "Principles"), 5),
    (2, pgettext_lazy("policy section", "Preparation"), 10),
    (3, pgettext_lazy("policy section", "Running the meeting"), 10),
    (4, pgettext_lazy("policy section", "After the meeting"), 10),
    (5, pgettext_lazy("policy section", "Risk management"), 10),
    (6, pgettext_lazy("policy section", "Evaluation and feedback"), 10),
    (7, pgettext_lazy("policy section", "Records management and archiving"), 10),
    (8, pgettext_lazy("policy section", "Follow-up"), 10),
    (9, pgettext_lazy("policy section", "Continuous improvement"), 10),
    (10, pgettext_lazy("policy section", "Keeping the policy itself current"), 5),
]

CLAUSES: frozenset[str] = frozenset(
    f"P{section}.{item}" for section, _label, count in SECTIONS for item in range(1, count + 1)
)


def clause_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a picker: one group per section, "P2 Preparation"."""
    return [
        (
            f"P{section} {label}",
            [(f"P{section}.{item}", f"P{section}.{item}") for item in range(1, count + 1)],
        )
        for section, label, count in SECTIONS
    ]
