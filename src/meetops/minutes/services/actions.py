"""Action items: created by those who write the minutes, moved along by their owners (P4.5).

open ──▶ in_progress ──▶ done (with a completion note)
  │            │
  └────────────┴──────▶ cancelled (writers only)
done / cancelled ──▶ open (writers only: reopen)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.validation import check_date
from meetops.meetings.models import Meeting
from meetops.minutes import errors
from meetops.minutes import events as minute_events
from meetops.minutes.models import ActionItem, ActionState, Decision
from meetops.minutes.permissions import can_manage_actions, can_update_action
from meetops.minutes.signals import send_if_shown
from meetops.notifications import services as notify
from meetops.people.models import Department, User

MAX_TITLE = 300
MAX_TEXT = 20000
AUDITED = [
    "title",
    "description",
    "owner",
    "department",
    "due_date",
    "state",
    "completion_note",
    "decision",
]
# Moves the owner may make; writers may make these and the ones in WRITER_MOVES.
OWNER_MOVES = {
    (ActionState.OPEN, ActionState.IN_PROGRESS),
    (ActionState.OPEN, ActionState.DONE),
    (ActionState.IN_PROGRESS, ActionState.DONE),
    (ActionState.IN_PROGRESS, ActionState.OPEN),
}
WRITER_MOVES = OWNER_MOVES | {
    (ActionState.OPEN, ActionState.CANCELLED),
    (ActionState.IN_PROGRESS, ActionState.CANCELLED),
    (ActionState.DONE, ActionState.OPEN),
    (ActionState.CANCELLED, ActionState.OPEN),
}
OWNER_FIELDS = {"state", "completion_note"}


def _check(fields: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """Clean the given fields; ValidationFailed naming the first bad field."""
    out = dict(fields)
    if "title" in out:
        out["title"] = str(out["title"] or "").strip()
        if not out["title"]:
            raise ValidationFailed(_("A title is required."), "title_required", field="title")
        if len(out["title"]) > MAX_TITLE:
            raise ValidationFailed(
                _("The title is too long (at most %(max)d characters).") % {"max": MAX_TITLE},
                "title_too_long",
                field="title",
            )
    for key in ("description", "completion_note"):
        if key in out:
            out[key] = str(out[key] or "").strip()
            if len(out[key]) > MAX_TEXT:
                raise ValidationFailed(
                    _("Too long (at most %(max)d characters).") % {"max": MAX_TEXT},
                    "too_long",
                    field=key,
                )
    if "owner" in out and out["owner"] is not None and not out["owner"].is_active:
        raise ValidationFailed(_("Unknown user."), "unknown_user", field="owner")
    if "due_date" in out and out["due_date"] is not None and not isinstance(out["due_date"], date):
        raise ValidationFailed(_("Enter a valid date."), "invalid_date", field="due_date")
    check_date(out.get("due_date"), field="due_date")
    decision = out.get("decision")
    if decision is not None and decision.section.minutes.meeting_id != meeting.pk:
        raise ValidationFailed(
            _("This decision is not in the meeting's minutes."),
            "unknown_decision",
            field="decision",
        )
    return out


def _notify_owner(action: ActionItem, actor: User) -> None:
    if action.owner_id:
        notify.enqueue(
            event=minute_events.ACTION_ASSIGNED.code,
            recipients=[action.owner],
            meeting=action.meeting,
            context={"action": action, "meeting": action.meeting, "url": "/actions/"},
            dedupe_key=f"action.assigned:{action.pk}:{action.owner_id}",
            actor=actor,
        )


def create_action(
    meeting: Meeting,
    *,
    actor: User,
    title: str,
    description: str = "",
    owner: User | None = None,
    department: Department | None = None,
    due_date: date | None = None,
    decision: Decision | None = None,
) -> ActionItem:
    """Add an action item to the meeting's plan. Writers of the minutes; an owner or a department is required."""
    if meeting.is_frozen:
        raise errors.frozen()
    if not can_manage_actions(actor, meeting):
        raise PermissionDenied()
    if owner is None and department is None:
        raise ValidationFailed(
            _("Name an owner or an owning department."), "owner_required", field="owner"
        )
    fields = _check(
        {
            "title": title,
            "description": description,
            "owner": owner,
            "department": department,
            "due_date": due_date,
            "decision": decision,
        },
        meeting,
    )
    with transaction.atomic():
        action = ActionItem.objects.create(meeting=meeting, created_by=actor, **fields)
        changes = audit.diff({}, audit.snapshot(action, AUDITED))
        audit.record(
            "minutes.action.created",
            action,
            actor=actor,
            changes=changes,
            data={"meeting": meeting.pk},
        )
        _notify_owner(action, actor)
        send_if_shown(action, actor=actor, changes=changes)
    return action


def update_action(action: ActionItem, *, actor: User, **fields: Any) -> ActionItem:
    """Change an action item. Its owner may move its state and write the note; writers may change all.

    Done needs a completion note (`completion_note_required`); a move not in the graph is `invalid_transition`.
    """
    if not can_update_action(actor, action):
        raise PermissionDenied()
    writer = can_manage_actions(actor, action.meeting)
    unknown = set(fields) - set(AUDITED)
    if unknown:
        raise ValidationFailed(_("Unknown field."), "unknown_field", fields=sorted(unknown))
    if not writer and set(fields) - OWNER_FIELDS:
        raise PermissionDenied(
            _("Owners may change only the state and the completion note."), "owner_fields_only"
        )
    fields = _check(fields, action.meeting)
    with transaction.atomic():
        locked = (
            ActionItem.objects.select_for_update(of=("self",))
            .select_related("meeting", "owner")
            .get(pk=action.pk)
        )
        if locked.meeting.is_frozen:
            raise errors.frozen()
        before = audit.snapshot(locked, AUDITED)
        new_state = fields.get("state", locked.state)
        if new_state not in ActionState.values:
            raise ValidationFailed(_("Unknown state."), "unknown_state", field="state")
        if new_state != locked.state and (locked.state, new_state) not in (
            WRITER_MOVES if writer else OWNER_MOVES
        ):
            raise ValidationFailed(
                _("An action item cannot move from this state to that one."),
                "invalid_transition",
                state=locked.state,
                to=new_state,
            )
        for key, value in fields.items():
            setattr(locked, key, value)
        if new_state == ActionState.DONE and not locked.completion_note:
            raise ValidationFailed(
                _("Say what was done (a completion note)."),
                "completion_note_required",
                field="completion_note",
            )
        if locked.owner is None and locked.department_id is None:
            raise ValidationFailed(
                _("Name an owner or an owning department."), "owner_required", field="owner"
            )
        changes = audit.diff(before, audit.snapshot(locked, AUDITED))
        audit.note_outcome(locked, changes)
        if not changes:  # as it was: no write, no entry, no one told again
            return locked
        locked.completed_at = timezone.now() if new_state == ActionState.DONE else None
        locked.save()
        audit.record(
            "minutes.action.updated",
            locked,
            actor=actor,
            changes=changes,
            data={"meeting": locked.meeting_id},
        )
        if "owner" in changes:
            _notify_owner(locked, actor)
        send_if_shown(locked, actor=actor, changes=changes)
    return locked
