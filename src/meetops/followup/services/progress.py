"""Progress reports, comments, due-date changes and cooperating departments (P8.1, P8.3, P8.8)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.validation import check_date
from meetops.followup import errors
from meetops.followup import events as followup_events
from meetops.followup.models import ActionUpdate, Cooperation, DueDateChange, UpdateKind
from meetops.followup.permissions import can_comment, can_report_progress, can_steer
from meetops.followup.services.common import attachment_type, followers, lock, tell, text
from meetops.minutes.models import ActionItem, ActionState
from meetops.minutes.signals import send_if_shown
from meetops.people.models import Department, User


def _percent(value: int | None) -> int:
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(
            _("Give a percentage from 0 to 100."), "invalid_percent", field="percent"
        )
    if not 0 <= value <= 100:
        raise ValidationFailed(
            _("Give a percentage from 0 to 100."), "invalid_percent", field="percent"
        )
    return value


def post_progress(
    action: ActionItem,
    *,
    actor: User,
    percent: int,
    note: str,
    attachment: UploadedFile | None = None,
) -> ActionUpdate:
    """The doer reports progress. An open item moves to in progress; done or cancelled items refuse.

    The organisers and the instructing leader hear about it in the app.
    """
    if not can_report_progress(actor, action):
        raise PermissionDenied()
    percent = _percent(percent)
    note = text(note, "note", required=True)
    media_type = attachment_type(attachment)
    with transaction.atomic():
        locked = lock(action)
        if not locked.is_live:
            raise errors.not_live(locked.state)
        update = ActionUpdate.objects.create(
            action=locked,
            kind=UpdateKind.PROGRESS,
            percent=percent,
            note=note,
            author=actor,
            attachment=attachment or "",
            attachment_type=media_type,
        )
        moved = locked.state == ActionState.OPEN
        if moved:
            locked.state = ActionState.IN_PROGRESS
            locked.save(update_fields=["state", "updated_at"])
        audit.record(
            "followup.progress.posted",
            locked,
            actor=actor,
            changes={"state": [ActionState.OPEN, ActionState.IN_PROGRESS]} if moved else {},
            data={"meeting": locked.meeting_id, "percent": percent, "update": update.pk},
        )
        tell(
            followup_events.PROGRESS.code,
            locked,
            followers(locked),
            actor=actor,
            key=f"followup.progress:{update.pk}",
            update=update,
        )
    return update


def add_comment(
    action: ActionItem, *, actor: User, note: str, attachment: UploadedFile | None = None
) -> ActionUpdate:
    """Someone involved comments on the item (feedback on the follow-up work, P8.3)."""
    if not can_comment(actor, action):
        raise PermissionDenied()
    note = text(note, "note", required=True)
    media_type = attachment_type(attachment)
    with transaction.atomic():
        locked = lock(action)
        update = ActionUpdate.objects.create(
            action=locked,
            kind=UpdateKind.COMMENT,
            note=note,
            author=actor,
            attachment=attachment or "",
            attachment_type=media_type,
        )
        audit.record(
            "followup.comment.added",
            locked,
            actor=actor,
            data={"meeting": locked.meeting_id, "update": update.pk},
        )
        tell(
            followup_events.COMMENT.code,
            locked,
            followers(locked),
            actor=actor,
            key=f"followup.comment:{update.pk}",
            update=update,
        )
    return update


def change_due_date(
    action: ActionItem, *, actor: User, due_date: date, reason: str
) -> DueDateChange:
    """Move the due date with a reason (an extension or an earlier date); the owner is told."""
    if not can_steer(actor, action):
        raise PermissionDenied()
    if not isinstance(due_date, date):
        raise ValidationFailed(_("Enter a valid date."), "invalid_date", field="due_date")
    check_date(due_date, field="due_date")
    reason = text(reason, "reason", required=True)
    with transaction.atomic():
        locked = lock(action)
        if not locked.is_live:
            raise errors.not_live(locked.state)
        if locked.due_date == due_date:
            raise ValidationFailed(
                _("That is already the due date."), "same_due_date", field="due_date"
            )
        change = DueDateChange.objects.create(
            action=locked,
            old_date=locked.due_date,
            new_date=due_date,
            reason=reason,
            changed_by=actor,
        )
        locked.due_date = due_date
        locked.save(update_fields=["due_date", "updated_at"])
        audit.record(
            "followup.due_date.changed",
            locked,
            actor=actor,
            changes={"due_date": [change.old_date, due_date]},
            data={"meeting": locked.meeting_id, "reason": reason},
        )
        send_if_shown(locked, actor=actor, changes={"due_date": [change.old_date, due_date]})
        if locked.owner is not None:
            tell(
                followup_events.DUE_CHANGED.code,
                locked,
                [locked.owner],
                actor=actor,
                key=f"followup.due_changed:{change.pk}",
                change=change,
            )
    return change


def set_cooperating_departments(
    action: ActionItem, *, actor: User, departments: Sequence[Department]
) -> list[Department]:
    """Name the departments that cooperate on the item besides the owning one (P8.8)."""
    if not can_steer(actor, action):
        raise PermissionDenied()
    wanted = {d.pk: d for d in departments if d.pk != action.department_id}
    with transaction.atomic():
        locked = lock(action)
        current = set(locked.cooperations.values_list("department_id", flat=True))
        added, removed = set(wanted) - current, current - set(wanted)
        locked.cooperations.filter(department_id__in=removed).delete()
        Cooperation.objects.bulk_create(
            [Cooperation(action=locked, department=wanted[pk], added_by=actor) for pk in added]
        )
        if added or removed:
            audit.record(
                "followup.cooperation.changed",
                locked,
                actor=actor,
                changes={"departments": [sorted(current), sorted(wanted)]},
                data={"meeting": locked.meeting_id},
            )
    return sorted(wanted.values(), key=lambda d: d.path)
