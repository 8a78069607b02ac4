"""Acceptance of finished work (P8.2, P8.9).

The owner marks an item done (minutes app, with a completion note). Then a manager of the
meeting or the instructing leader (never the owner):
- accepts it, rating its quality 1–5, "on time" computed from the completion and due dates,
  and an optional note on how the results turned into practice; or
- sends it back with a reason: the item is in progress again.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.followup import errors
from meetops.followup import events as followup_events
from meetops.followup.models import Review, ReviewDecision
from meetops.followup.permissions import can_review
from meetops.followup.services.common import lock, tell, text
from meetops.minutes.models import ActionItem, ActionState
from meetops.minutes.signals import send_if_shown
from meetops.people.models import User


def _done(action: ActionItem) -> tuple[ActionItem, datetime]:
    """The locked item and when it was completed; refuses one not done, or already accepted."""
    locked = lock(action)
    if locked.state != ActionState.DONE or locked.completed_at is None:
        raise errors.not_done(locked.state)
    if Review.objects.filter(
        action=locked, decision=ReviewDecision.ACCEPTED, completed_at=locked.completed_at
    ).exists():
        raise errors.already_accepted()
    return locked, locked.completed_at


def _tell_owner(action: ActionItem, review: Review, actor: User) -> None:
    if action.owner is not None:
        tell(
            followup_events.REVIEWED.code,
            action,
            [action.owner],
            actor=actor,
            key=f"followup.reviewed:{review.pk}",
            review=review,
        )


def on_time(action: ActionItem) -> bool | None:
    """Finished on or before the due date (in local time); None without a due date."""
    if action.due_date is None or action.completed_at is None:
        return None
    return timezone.localdate(action.completed_at) <= action.due_date


def accept_action(
    action: ActionItem, *, actor: User, quality: int, practice_note: str = ""
) -> Review:
    """Accept a done item with a quality rating. Preconditions: done, not yet accepted."""
    if not can_review(actor, action):
        raise PermissionDenied()
    if isinstance(quality, bool) or not isinstance(quality, int) or not 1 <= quality <= 5:
        raise ValidationFailed(
            _("Rate the quality from 1 to 5."), "invalid_quality", field="quality"
        )
    practice_note = text(practice_note, "practice_note")
    try:
        with transaction.atomic():
            locked, completed_at = _done(action)
            review = Review.objects.create(
                action=locked,
                decision=ReviewDecision.ACCEPTED,
                completed_at=completed_at,
                quality=quality,
                on_time=on_time(locked),
                practice_note=practice_note,
                reviewed_by=actor,
            )
            audit.record(
                "followup.review.accepted",
                locked,
                actor=actor,
                data={
                    "meeting": locked.meeting_id,
                    "quality": quality,
                    "on_time": review.on_time,
                },
            )
            _tell_owner(locked, review, actor)
    except IntegrityError as exc:
        raise errors.already_accepted() from exc
    return review


def return_action(action: ActionItem, *, actor: User, reason: str) -> Review:
    """Send a done item back with a reason; it is in progress again and its owner is told.
    Preconditions: done and not accepted."""
    if not can_review(actor, action):
        raise PermissionDenied()
    reason = text(reason, "reason", required=True)
    with transaction.atomic():
        locked, completed_at = _done(action)
        review = Review.objects.create(
            action=locked,
            decision=ReviewDecision.RETURNED,
            completed_at=completed_at,
            reason=reason,
            reviewed_by=actor,
        )
        locked.state = ActionState.IN_PROGRESS
        locked.completed_at = None
        locked.save(update_fields=["state", "completed_at", "updated_at"])
        audit.record(
            "followup.review.returned",
            locked,
            actor=actor,
            changes={"state": [ActionState.DONE, ActionState.IN_PROGRESS]},
            data={"meeting": locked.meeting_id, "reason": reason},
        )
        send_if_shown(
            locked, actor=actor, changes={"state": [ActionState.DONE, ActionState.IN_PROGRESS]}
        )
        _tell_owner(locked, review, actor)
    return review
