"""Error codes of the follow-up (messages are translated; callers match on the code)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError, ValidationFailed


def not_done(state: str) -> DomainError:
    return DomainError(
        _("Only an item its owner marked done can be accepted or sent back."),
        "not_done",
        state=state,
    )


def already_accepted() -> DomainError:
    return DomainError(_("This completion was already accepted."), "already_accepted")


def already_answered() -> DomainError:
    return DomainError(_("This escalation was already answered."), "already_answered")


def not_live(state: str) -> DomainError:
    return DomainError(
        _("The item is done or cancelled; reopen it first."), "action_not_live", state=state
    )


def bad_attachment() -> ValidationFailed:
    return ValidationFailed(
        _("Attach a PDF, an image or an office document of at most 10 MB."),
        "bad_attachment",
        field="attachment",
    )


def required(field: str) -> ValidationFailed:
    return ValidationFailed(_("This field is required."), f"{field}_required", field=field)


def too_long(field: str, limit: int) -> ValidationFailed:
    return ValidationFailed(
        _("Too long (at most %(max)d characters).") % {"max": limit}, "too_long", field=field
    )


def not_overdue() -> DomainError:
    return DomainError(
        _("Only an overdue item can be urged: its due date has not passed yet."), "not_overdue"
    )


def no_owner() -> DomainError:
    return DomainError(
        _("This item has no owner to urge; give it an owner first."), "no_owner_to_urge"
    )


def already_urged(by: str, at: str) -> DomainError:
    return DomainError(
        _("%(by)s already urged the owner today at %(at)s; an item can be urged once a day.")
        % {"by": by, "at": at},
        "already_urged",
        by=by,
        at=at,
    )
