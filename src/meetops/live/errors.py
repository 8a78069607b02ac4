"""Error codes of the live console, support tickets, questions and materials."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError


def state_changed(version: int) -> DomainError:
    return DomainError(
        _("Someone else changed the meeting's state a moment ago; the console shows it now."),
        "live_state_changed",
        version=version,
    )


def ended() -> DomainError:
    return DomainError(_("The meeting has already ended."), "live_ended")


def not_running() -> DomainError:
    return DomainError(_("No agenda item is running."), "live_not_running")


def not_paused() -> DomainError:
    return DomainError(_("The meeting is not paused."), "live_not_paused")


def item_done(item_id: int) -> DomainError:
    return DomainError(
        _("This agenda item has already ended."), "item_already_timed", item_id=item_id
    )


def not_current(item_id: int) -> DomainError:
    return DomainError(
        _("This agenda item is not the one running."), "not_current_item", item_id=item_id
    )


def no_next_item() -> DomainError:
    return DomainError(_("Every agenda item has been taken."), "no_next_item")


def ticket_state(status: str) -> DomainError:
    return DomainError(_("This ticket is already resolved."), "ticket_resolved", status=status)


def already_voted() -> DomainError:
    return DomainError(_("You have already voted for this question."), "already_voted")
