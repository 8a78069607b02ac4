"""Error codes of summary reports (messages are translated; callers match on the code)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError, NotFound


def wrong_state(state: str, *expected: str) -> DomainError:
    return DomainError(
        _("The summary report is not in a state that allows this."),
        "report_wrong_state",
        state=state,
        expected=list(expected),
    )


def locked() -> DomainError:
    return DomainError(
        _("The summary report is with the leaders or approved, and cannot be changed."),
        "report_locked",
    )


def changed(revision: int) -> DomainError:
    return DomainError(
        _("The summary report was changed by someone else; reload it and try again."),
        "report_changed",
        current_revision=revision,
    )


def frozen() -> DomainError:
    return DomainError(_("A closed or cancelled meeting cannot be changed."), "meeting_frozen")


def not_drafted() -> NotFound:
    return NotFound(_("No summary report has been drafted yet."), "report_not_found")
