"""Error codes of minutes and action items (messages are translated; callers match on the code)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError, NotFound, ValidationFailed


class InvalidMinutes(ValidationFailed):
    """Some sections or decisions are not acceptable; `details["rows"]` says which and why."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        super().__init__(
            _("Some parts of the minutes are not valid."), "invalid_minutes", rows=rows
        )


def locked() -> DomainError:
    return DomainError(
        _("Approved minutes are locked; open a new revision with a reason to change them."),
        "minutes_locked",
    )


def wrong_state(state: str, *expected: str) -> DomainError:
    return DomainError(
        _("The minutes are not in a state that allows this."),
        "minutes_wrong_state",
        state=state,
        expected=list(expected),
    )


def changed(revision: int) -> DomainError:
    return DomainError(
        _("The minutes were changed by someone else; reload them and try again."),
        "minutes_changed",
        current_revision=revision,
    )


def not_published() -> DomainError:
    return NotFound(_("The minutes are not published yet."), "minutes_not_published")


def frozen() -> DomainError:
    return DomainError(_("A closed or cancelled meeting cannot be changed."), "meeting_frozen")
