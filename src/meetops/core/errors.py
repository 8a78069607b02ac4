"""Coded domain errors.

Services raise these; every interface turns them into its own shape (the API
into `{"error": {"code", "message", "details"}}`, htmx views into a message).
Callers match on `code`, never on the message text, which is translated.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the operation. HTTP 409 or 422 by kind."""

    status = 409

    def __init__(self, message: str | Promise, code: str, **details: Any) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.details = details


class ValidationFailed(DomainError):
    """The input is well-formed but not acceptable (end before start, ...)."""

    status = 422


class NotFound(DomainError):
    """The object does not exist or the actor may not see it: one answer for both."""

    status = 404

    def __init__(
        self, message: str | Promise | None = None, code: str = "not_found", **details: Any
    ) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("Not found."), code, **details)


class PermissionDenied(DomainError):
    """The actor may see the object but not do this to it."""

    status = 403

    def __init__(
        self, message: str | Promise | None = None, code: str = "forbidden", **details: Any
    ) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("You do not have permission to do this."), code, **details)
