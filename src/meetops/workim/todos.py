"""Action items as to-dos on the work IM platforms (P8.8, docs/adr/0032-work-im-to-dos.md).

When an action item changes in a way a task list shows (`minutes.signals.action_item_changed`:
created, given to someone else, retitled, moved to another due date, done, reopened,
cancelled), `queue_sync` writes one outbox row per person it concerns — its owner, and whoever
still has a to-do for it — in the same transaction. The row says only "bring the to-do of
item N for this person up to date": `send`, run by the outbox worker, reads the item again and
makes the platform agree with it:

- the owner, linked to a platform with a to-do API, with the switch on → a to-do with the
  item's title and due date, completed while the item is done, open again when it is sent back;
- anyone else (the item was given to someone else, cancelled, its meeting cancelled, the
  person left) → their to-do is deleted.

When an `ImTodo` row is deleted while its to-do exists on the platform (its item, meeting or
person was deleted: the rows go with them), a request of its own (`GONE_EVENT`) carries the
platform, assignee and task id, and `send_gone` deletes the to-do there.

Because every row syncs to the item's state at the time it is sent, rows may arrive in any
order and any number of times: `ImTodo` keeps the platform's task id per item and person, so
a retry after throttling updates the to-do instead of creating a second one, and a sync with
nothing new makes no call. The row has every outbox guarantee (retries with the platform's
code in the delivery log, lanes, unconfirmed handling); the request that changed the item
never talks to the platform.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import uuid4

from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from meetops.core.errors import NotFound
from meetops.core.leases import release_lease, take_lease
from meetops.identity.models import ExternalIdentity
from meetops.meetings.models import Meeting, Stage
from meetops.meetings.signals import meeting_stage_changed
from meetops.minutes.models import ActionItem, ActionState
from meetops.minutes.signals import action_item_changed
from meetops.notifications.models import Channel, Lane, OutboxMessage, Status
from meetops.notifications.senders import CommitPoint, Permanent, Retry, SendError
from meetops.people.models import User
from meetops.workim.models import ImPreference, ImTodo
from meetops.workim.platforms import Platform, TodoSpec, configured_platforms, get_platform
from meetops.workim.syncs import queue_removal, register_sync

EVENT = "workim.todo"
GONE_EVENT = "workim.todo_gone"
# How long one worker may hold a to-do while it talks to the platform.
LEASE_SECONDS = 90
MAX_DESCRIPTION = 1000


def todo_platforms() -> dict[str, Platform]:
    """The configured platforms that have a to-do API, in the registry's order."""
    return {k: p for k, p in configured_platforms().items() if p.supports_todos}


def _dedupe_prefix(action_id: int, user_id: int) -> str:
    return f"im.todo:{action_id}:{user_id}:"


@receiver(action_item_changed, dispatch_uid="workim.todos")
def on_action_item_changed(sender: Any, *, action: ActionItem, **kwargs: Any) -> None:
    queue_sync(action)


@receiver(meeting_stage_changed, dispatch_uid="workim.todos_meeting_cancelled")
def on_meeting_cancelled(sender: Any, *, meeting: Meeting, to_stage: str, **kwargs: Any) -> None:
    if to_stage == Stage.CANCELLED:
        for action in ActionItem.objects.filter(meeting=meeting, im_todos__isnull=False).distinct():
            queue_sync(action)


@receiver(post_delete, sender=ImTodo, dispatch_uid="workim.todo_gone")
def on_todo_deleted(sender: Any, *, instance: ImTodo, **kwargs: Any) -> None:
    """The row goes while the platform still has its to-do (`_remove` clears `task_id` of
    one it deleted there): ask the worker to delete it."""
    if instance.task_id:
        queue_removal(
            GONE_EVENT,
            address=f"{instance.platform}:{instance.assignee}",
            subject=instance.title,
            payload={
                "platform": instance.platform,
                "assignee": instance.assignee,
                "task": instance.task_id,
            },
            key=f"{instance.platform}:{instance.task_id}",
            lane=Lane.BULK,
        )


def queue_sync(action: ActionItem) -> int:
    """Queue a sync of the item's to-do for its owner and for whoever still has one; the
    number of rows queued. Nothing (and no query beyond the platforms' settings) while no
    platform with a to-do API is configured."""
    platforms = todo_platforms()
    if not platforms:
        return 0
    addresses = {
        user_id: f"{platform}:{assignee}"
        for user_id, platform, assignee in ImTodo.objects.filter(action=action).values_list(
            "user_id", "platform", "assignee"
        )
    }
    owner = action.owner
    if owner is not None and owner.pk not in addresses and owner.is_active:
        address = _owner_address(owner, platforms)
        if address:
            addresses[owner.pk] = address
    if not addresses:
        return 0
    waiting = {
        int(key.split(":")[2])
        for key in OutboxMessage.objects.filter(
            channel=Channel.IM,
            event=EVENT,
            status=Status.QUEUED,
            dedupe_key__startswith=f"im.todo:{action.pk}:",
        ).values_list("dedupe_key", flat=True)
        if key
    }
    rows = [
        OutboxMessage(
            channel=Channel.IM,
            event=EVENT,
            user_id=user_id,
            address=address,
            meeting_id=action.meeting_id,
            subject=action.title[:300],
            url=f"/followup/actions/{action.pk}/",
            payload={"todo": action.pk},
            lane=Lane.BULK,
            dedupe_key=f"{_dedupe_prefix(action.pk, user_id)}{uuid4().hex[:12]}",
        )
        # A sync still waiting will read the item as it is when it goes: one is enough.
        for user_id, address in addresses.items()
        if user_id not in waiting
    ]
    OutboxMessage.objects.bulk_create(rows)
    return len(rows)


def _owner_address(owner: User, platforms: dict[str, Platform]) -> str:
    """`<platform>:<user id>` of the owner's link to a to-do platform, "" when they have none
    or switched their to-dos off."""
    if ImPreference.objects.filter(user=owner, todos=False).exists():
        return ""
    keys = list(platforms)
    links = ExternalIdentity.objects.filter(
        user=owner, provider__in=keys, left_at__isnull=True
    ).values_list("provider", "external_id")
    for provider, external_id in sorted(links, key=lambda link: keys.index(link[0])):
        return f"{provider}:{external_id}"
    return ""


# --- the worker's side ---------------------------------------------------------------------


def send(msg: OutboxMessage, commit_point: CommitPoint) -> str:
    """Make the platform's to-do agree with the item; what was done ("created", "updated",
    "completed", "reopened", "deleted", "unchanged", "nothing") for the delivery log.

    Raises Retry / Permanent with the platform's code, like every IM send."""
    key, _sep, user_id = msg.address.partition(":")
    action_id = int((msg.payload or {}).get("todo") or 0)
    user = msg.user
    if user is None or not action_id:
        raise Permanent("a to-do sync names no item or person", "todo_incomplete")
    row = ImTodo.objects.filter(action_id=action_id, user=user).first()
    platform = _platform(row.platform if row else key)
    action = ActionItem.objects.select_related("meeting").filter(pk=action_id).first()
    wanted = _wanted(action, user, platform.key)
    if row is None:
        if not wanted or not _may_create(user):
            return "nothing"
        try:
            with transaction.atomic():
                row = ImTodo.objects.create(action_id=action_id, user=user, platform=platform.key)
        except IntegrityError:  # another worker made it a moment ago
            row = ImTodo.objects.get(action_id=action_id, user=user)
    lease = take_lease(ImTodo, row.pk, seconds=LEASE_SECONDS)
    if lease is None:
        raise Retry("another worker is syncing this to-do", "todo_busy", retry_after=5.0)
    try:
        row.refresh_from_db()
        if not wanted or action is None:
            return _remove(platform, row)
        return _sync(platform, row, action, user=user, user_id=user_id, commit_point=commit_point)
    finally:
        release_lease(ImTodo, row.pk, lease)


def _platform(key: str) -> Platform:
    try:
        platform = get_platform(key)
    except NotFound:
        raise Permanent(f"no work IM platform {key!r}", "im_unknown_platform") from None
    if not platform.configured() or not platform.supports_todos:
        raise Permanent(f"{key} has no to-dos configured", "im_not_configured")
    return platform


def _wanted(action: ActionItem | None, user: User, platform_key: str) -> bool:
    """Whether `user` should have a to-do for the item now: they own it, neither it nor its
    meeting is cancelled, and they are still active and linked to the platform."""
    if action is None or action.owner_id != user.pk or action.state == ActionState.CANCELLED:
        return False
    if action.meeting.stage == Stage.CANCELLED:
        return False
    if not user.is_active:
        return False
    return ExternalIdentity.objects.filter(
        user=user, provider=platform_key, left_at__isnull=True
    ).exists()


def _may_create(user: User) -> bool:
    """A new to-do only for those who have not switched them off (existing ones keep
    following their item until it is done or taken away)."""
    return not ImPreference.objects.filter(user=user, todos=False).exists()


def spec_of(action: ActionItem, user: User, platform: Platform) -> TodoSpec:
    url = platform.app_url(f"/followup/actions/{action.pk}/")
    return TodoSpec(
        title=action.title,
        description=(action.description or "")[:MAX_DESCRIPTION],
        due=action.due_date,
        done=action.state == ActionState.DONE,
        url=url,
        key=f"meetops-action-{action.pk}-{user.pk}",
    )


def _remember(row: ImTodo, todo: TodoSpec, **fields: Any) -> None:
    row.remember(title=todo.title[:300], due_date=todo.due, done=todo.done, **fields)


def _sync(
    platform: Platform,
    row: ImTodo,
    action: ActionItem,
    *,
    user: User,
    user_id: str,
    commit_point: CommitPoint,
) -> str:
    todo = spec_of(action, user, platform)
    if not row.task_id:
        return _create(platform, row, todo, user_id=user_id, commit_point=commit_point)
    if (row.title, row.due_date, row.done) == (todo.title[:300], todo.due, todo.done):
        return "unchanged"
    was_done = row.done
    platform.update_todo(assignee=row.assignee, task_id=row.task_id, todo=todo)
    _remember(row, todo)
    if todo.done != was_done:
        return "completed" if todo.done else "reopened"
    return "updated"


def _create(
    platform: Platform, row: ImTodo, todo: TodoSpec, *, user_id: str, commit_point: CommitPoint
) -> str:
    assignee = row.assignee
    if not assignee:
        link = ExternalIdentity.objects.filter(
            user_id=row.user_id, provider=platform.key, left_at__isnull=True
        ).first()
        raw = link.raw if link is not None and isinstance(link.raw, dict) else {}
        assignee = platform.todo_assignee(link.external_id if link else user_id, raw)
        ImTodo.objects.filter(pk=row.pk).update(assignee=assignee)
        row.assignee = assignee
    first = replace(todo, done=False)
    if not platform.idempotent_todo_create:
        commit_point()  # from here a second create could make a second to-do
    try:
        task_id = platform.create_todo(assignee=assignee, todo=first)
    except Retry as exc:
        if exc.code == "timeout" and not platform.idempotent_todo_create:
            # Sent, and no answer: the to-do may exist; never create it blindly again.
            raise SendError(str(exc), exc.code, ambiguous=True) from exc
        raise
    _remember(row, first, task_id=task_id)
    if todo.done:
        platform.update_todo(assignee=assignee, task_id=task_id, todo=todo)
        _remember(row, todo)
    return "created"


def _remove(platform: Platform, row: ImTodo) -> str:
    if not row.task_id:
        row.delete()
        return "nothing"
    platform.delete_todo(assignee=row.assignee, task_id=row.task_id)
    row.task_id = ""  # deleted there: nothing for `on_todo_deleted` to ask after
    row.delete()
    return "deleted"


def send_gone(msg: OutboxMessage, commit_point: CommitPoint) -> str:
    """Delete a to-do whose row was deleted (`on_todo_deleted`); "deleted" for the log.
    Deleting one the platform no longer has counts as done, so a retry is harmless."""
    payload = msg.payload or {}
    task_id = str(payload.get("task") or "")
    if not task_id:
        raise Permanent("a to-do removal names no task", "todo_incomplete")
    platform = _platform(str(payload.get("platform") or ""))
    platform.delete_todo(assignee=str(payload.get("assignee") or ""), task_id=task_id)
    return "deleted"


register_sync(EVENT, send)
register_sync(GONE_EVENT, send_gone)
