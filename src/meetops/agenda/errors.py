"""Error codes of the agenda (the messages are translated; callers match on the code)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError, ValidationFailed


class InvalidAgenda(ValidationFailed):
    """One or more items are not acceptable; `details["rows"]` says which and why."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        super().__init__(_("Some agenda items are not valid."), "invalid_agenda", rows=rows)


def frozen() -> DomainError:
    return DomainError(_("A closed or cancelled meeting cannot be changed."), "meeting_frozen")


def agenda_changed(current_ids: list[int]) -> DomainError:
    return DomainError(
        _("The agenda was changed by someone else; reload it and try again."),
        "agenda_changed",
        current_ids=current_ids,
    )
