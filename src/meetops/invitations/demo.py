"""Demo data for invitations: people, invitations and answers on the demo meetings.

`load_demo()` is idempotent: meetings that already have invitations are left alone.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from meetops.core.demo import demo_evidence, demo_loader
from meetops.core.errors import DomainError
from meetops.invitations.models import Invitation, Response, SavedGroup
from meetops.invitations.services.groups import save_group
from meetops.invitations.services.invitations import (
    SENDABLE_STAGES,
    invitees,
    queue_invitations,
    respond,
    send_invitations,
    set_deadline,
)
from meetops.invitations.services.participants import add_people
from meetops.meetings.models import Meeting, MeetingRole, Participant
from meetops.people.models import ExternalContact, User

GUESTS = [("周华", "市财政局", "zhouhua@example.org"), ("吴婷", "市审计局", "wuting@example.org")]
REASONS = ["当天出差", "另有会议"]


@demo_evidence("invitations.invitations_sent")
def invite_for_demo(meeting: Meeting, actor: User) -> None:
    """Invite everyone on the meeting and ask for answers two days before it starts."""
    send_invitations(meeting, actor=actor, to="uninvited")
    deadline = meeting.start - timedelta(days=2)
    if deadline > timezone.now():
        set_deadline(meeting, actor=actor, deadline=deadline)
    else:  # a meeting called at short notice: people answered on the spot
        for invitation in Invitation.objects.filter(meeting=meeting).select_related(
            "participant", "meeting"
        ):
            with contextlib.suppress(DomainError):
                respond(invitation, response=Response.ACCEPT, reason="")


@demo_loader("invitations", order=70)
def load_demo_answers(ctx: object) -> None:
    load_demo()
    load_demo_groups()


# (owner, name, shared, member usernames, contact names)
GROUPS = [
    ("wangfang", "办公室骨干", False, ["liming", "zhaomin", "chenjing"], []),
    (
        "wangfang",
        "财务与信息化专家组",
        True,
        ["xuming", "zhengxue", "zhouqiang", "heping"],
        ["马建国", "钱晓梅"],
    ),
    ("sunli", "新教工培训联络人", True, ["gaoyan", "linna"], []),
]


def load_demo_groups() -> int:
    """Saved groups for the demo organisers (a private one and two shared). Idempotent."""
    made = 0
    for owner, name, shared, usernames, contact_names in GROUPS:
        actor = User.objects.filter(username=owner).first()
        if actor is None or SavedGroup.objects.filter(owner=actor, name=name).exists():
            continue
        save_group(
            actor=actor,
            name=name,
            shared=shared,
            users=User.objects.filter(username__in=usernames),
            contacts=ExternalContact.objects.filter(name__in=contact_names),
        )
        made += 1
    return made


def load_demo() -> int:
    """Add people and answers to up to five upcoming demo meetings. Returns how many meetings were filled."""
    filled = 0
    users = list(User.objects.filter(is_active=True).exclude(email=""))
    for meeting in (
        Meeting.objects.filter(stage__in=list(SENDABLE_STAGES))
        .select_related("created_by")
        .order_by("start")[:5]
    ):
        if meeting.created_by is None or Invitation.objects.filter(meeting=meeting).exists():
            continue
        with transaction.atomic():
            add_people(
                meeting,
                actor=meeting.created_by,
                users=[u for u in users if u.pk != meeting.created_by_id],
            )

            for name, organisation, email in GUESTS:
                Participant.objects.get_or_create(
                    meeting=meeting,
                    email=email,
                    role=MeetingRole.OBSERVER,
                    defaults={"name": name, "organisation": organisation},
                )
            queue_invitations(meeting, invitees(meeting), actor=meeting.created_by, label="demo")
        if meeting.start > meeting.created_at:
            answers = list(
                Invitation.objects.filter(meeting=meeting).select_related("participant", "meeting")
            )
            for i, invitation in enumerate(answers[:-1]):
                response = Response.ACCEPT if i % 3 else Response.DECLINE
                try:
                    respond(
                        invitation,
                        response=response,
                        reason=REASONS[i % 2] if response == Response.DECLINE else "",
                    )
                except Exception:  # noqa: S112 - a demo meeting already past: leave it unanswered
                    continue
        filled += 1
    return filled
