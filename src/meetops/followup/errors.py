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


# --- the follow-up rules (P8.7) ------------------------------------------------------------


def invalid_days(field: str, low: int, high: int) -> ValidationFailed:
    return ValidationFailed(
        _("Give a whole number of days from %(low)d to %(high)d.") % {"low": low, "high": high},
        "invalid_days",
        field=field,
    )


def leaders_before_heads() -> ValidationFailed:
    return ValidationFailed(
        _(
            "The organisers and leaders hear of an overdue item after its department heads, not before."
        ),
        "leaders_before_heads",
        field="escalate_leaders_after_days",
    )


def unknown_accepted_by() -> ValidationFailed:
    return ValidationFailed(
        _("Choose who accepts finished work."), "unknown_accepted_by", field="accepted_by"
    )


def nothing_changes() -> ValidationFailed:
    return ValidationFailed(
        _("The proposal asks for the rules already in force: change at least one value."),
        "nothing_changes",
    )


def proposal_decided(state: str) -> DomainError:
    return DomainError(
        _("This proposal was already decided."), "proposal_already_decided", state=state
    )


def proposal_outdated(base: int, current: int) -> DomainError:
    return DomainError(
        _(
            "The rules changed since this proposal was made (version %(base)d, now %(current)d):"
            " propose again against the rules in force."
        )
        % {"base": base, "current": current},
        "proposal_outdated",
        base_version=base,
        current_version=current,
    )
