"""A person's action items as a task list (iCalendar VTODO, RFC 5545 §3.6.2) at a secret URL,
so they reach the daily task list of Outlook, Apple Reminders or Thunderbird (P8.8).

The feed holds the person's open and in-progress items and those they finished in the last
fortnight (marked COMPLETED, so a client ticks off what it already has). An item's UID never
changes. A meeting the person may not see is not named; the item's own title always is, as
it is theirs.
"""

from __future__ import annotations

from datetime import timedelta

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import IntegerField, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from meetops.core import audit
from meetops.core.errors import PermissionDenied
from meetops.followup.models import ActionUpdate, TaskFeed, UpdateKind, new_feed_token
from meetops.meetings.selectors import meeting_titles_for
from meetops.minutes.models import ActionItem, ActionState
from meetops.people.models import User

PRODID = "-//MeetOps//Follow-up tasks//EN"
RECENTLY_DONE = timedelta(days=14)
STATUS: dict[str, str] = {
    ActionState.OPEN: "NEEDS-ACTION",
    ActionState.IN_PROGRESS: "IN-PROCESS",
    ActionState.DONE: "COMPLETED",
}


def task_feed_url(user: User) -> str:
    feed, _created = TaskFeed.objects.get_or_create(user=user)
    return f"{settings.SITE_URL}/followup/tasks/{feed.token}.ics"


def reset_task_feed(user: User, *, actor: User) -> str:
    """A new secret for the person's task feed: the old URL stops working at once. The
    person themself only."""
    if actor.pk != user.pk:
        raise PermissionDenied()
    with transaction.atomic():
        feed, _created = TaskFeed.objects.select_for_update().get_or_create(user=user)
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
        audit.record("followup.task_feed.reset", user, actor=actor)
    return task_feed_url(user)


def owner_of(token: str) -> User:
    """The active person a feed token belongs to; 404 otherwise."""
    feed = TaskFeed.objects.select_related("user").filter(token=token[:64]).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed.user


def tasks_of(user: User) -> list[ActionItem]:
    """What the feed lists, due first, in one query."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk"), kind=UpdateKind.PROGRESS).order_by(
        "-created_at", "-id"
    )
    since = timezone.now() - RECENTLY_DONE
    return list(
        ActionItem.objects.filter(owner=user)
        .filter(
            Q(state__in=[ActionState.OPEN, ActionState.IN_PROGRESS])
            | Q(state=ActionState.DONE, completed_at__gte=since)
        )
        .annotate(percent=Subquery(latest.values("percent")[:1], output_field=IntegerField()))
        .order_by("due_date", "pk")[:500]
    )


def calendar(user: User) -> bytes:
    """The VCALENDAR of the person's tasks (two queries)."""
    items = tasks_of(user)
    titles = meeting_titles_for(user, {a.meeting_id for a in items})
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"MeetOps · {user}")
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "meetops"
    now = timezone.now()
    for action in items:
        todo = icalendar.Todo()
        todo.add("uid", f"action-{action.pk}@{host}")
        todo.add("dtstamp", now)
        todo.add("summary", action.title)
        meeting = titles.get(action.meeting_id)
        lines = [str(meeting)] if meeting and meeting.visible else []
        if action.description:
            lines.append(action.description)
        if lines:
            todo.add("description", "\n\n".join(lines))
        if action.due_date:
            todo.add("due", action.due_date)
        todo.add("status", STATUS.get(action.state, "NEEDS-ACTION"))
        percent = 100 if action.state == ActionState.DONE else action.percent  # type: ignore[attr-defined]
        if percent is not None:
            todo.add("percent-complete", int(percent))
        if action.completed_at:
            todo.add("completed", action.completed_at)
        todo.add("created", action.created_at)
        todo.add("last-modified", action.updated_at)
        todo.add("url", f"{settings.SITE_URL}/followup/actions/{action.pk}/")
        cal.add_component(todo)
    return bytes(cal.to_ical())
