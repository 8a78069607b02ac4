"""Error codes of risks, the emergency plan and the readiness inspection."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError


def frozen() -> DomainError:
    return DomainError(_("A closed or cancelled meeting cannot be changed."), "meeting_frozen")


def plan_state(status: str, wanted: str) -> DomainError:
    return DomainError(
        _("The emergency plan is not in a state that allows this."),
        "plan_state",
        status=status,
        wanted=wanted,
    )


def not_ready(items: list[str]) -> DomainError:
    return DomainError(
        _("Required readiness items are not OK yet."), "readiness_incomplete", items=items
    )


def no_evidence(item: str) -> DomainError:
    return DomainError(
        _("This item is checked from the meeting's data, which does not show it yet."),
        "evidence_missing",
        item=item,
    )


def readiness_recorded() -> DomainError:
    return DomainError(
        _(
            "The meeting has started: the readiness inspection stays as it was recorded at the "
            "start."
        ),
        "readiness_recorded",
    )


def security_plan_state(status: str, wanted: str) -> DomainError:
    return DomainError(
        _("The security plan is not in a state that allows this."),
        "plan_state",
        status=status,
        wanted=wanted,
    )


def ticket_recorded(event: int) -> DomainError:
    return DomainError(
        _("This incident is already recorded as a risk event."),
        "ticket_already_recorded",
        event=event,
    )
