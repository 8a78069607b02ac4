"""The security plan's message: it waits for the leaders who decide it (their personal
message offers Approve / Return, risks/security/from_message.py). Queued in the caller's
transaction. Texts: `templates/notifications/messages/risks.security.submitted/`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import Meeting
from meetops.notifications import events
from meetops.notifications.services import enqueue
from meetops.people.models import User
from meetops.risks.models import SecurityPlan, SecurityPost
from meetops.risks.notify import tell_deciders

SECURITY_SUBMITTED = events.register_event(
    "risks.security.submitted",
    _("A meeting's security plan is waiting for your approval"),
    broadcast=False,
).code


def security_plan_submitted(plan: SecurityPlan, *, meeting: Meeting, actor: User) -> int:
    return tell_deciders(SECURITY_SUBMITTED, meeting=meeting, actor=actor, page="security-plan")


POSTS_APPROVED = events.register_event(
    "risks.security.posts",
    _("The security plan giving you posts at a meeting is approved"),
    broadcast=False,
).code


def tell_guards(plan: SecurityPlan, *, meeting: Meeting, actor: User) -> int:
    """Each guard with an account hears their own posts (place, time, duty) once the plan is
    approved: their duty comes from the plan, not from word of mouth."""
    posts = list(plan.posts.prefetch_related("guards").order_by("start", "place", "id"))
    ids = {g.user_id for p in posts for g in p.guards.all() if g.user_id}
    users = User.objects.filter(pk__in=ids, is_active=True).in_bulk()
    mine: dict[int, list[SecurityPost]] = {}
    for post in posts:
        for guard in post.guards.all():
            if guard.user_id is not None and guard.user_id in users:
                mine.setdefault(guard.user_id, []).append(post)
    return sum(
        enqueue(
            event=POSTS_APPROVED,
            recipients=[users[user_id]],
            meeting=meeting,
            actor=actor,
            context={
                "meeting": meeting,
                "posts": held,
                "url": f"/meetings/{meeting.pk}/security-plan/",
            },
        )
        for user_id, held in mine.items()
    )
