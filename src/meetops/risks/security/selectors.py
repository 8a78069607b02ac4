"""Reads of the security plan. The meeting is loaded and authorised by the caller."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from meetops.live.models import SupportTicket, TicketCategory
from meetops.meetings.models import Meeting, Participant, ParticipantStatus
from meetops.people.models import User
from meetops.risks.models import (
    DoorEntry,
    EmergencyPlan,
    PlanStatus,
    RiskEvent,
    SecurityPlan,
    SecurityPost,
)

_MISSING = object()


def security_plan_of(meeting: Meeting) -> SecurityPlan:
    """The meeting's plan with its posts (guards in name order) and door list; an unsaved
    empty draft without one."""
    plan = (
        SecurityPlan.objects.filter(meeting=meeting)
        .select_related("submitted_by", "decided_by", "updated_by")
        .prefetch_related(
            Prefetch(
                "posts",
                queryset=SecurityPost.objects.order_by("start", "place", "id").prefetch_related(
                    Prefetch("guards", queryset=Participant.objects.order_by("name_pinyin", "id"))
                ),
            ),
            Prefetch("door_list", queryset=DoorEntry.objects.order_by("kind", "name", "id")),
        )
        .first()
    )
    if plan is None:
        plan = SecurityPlan(meeting=meeting)
    plan.meeting = meeting
    return plan


def posts_of(plan: SecurityPlan) -> list[SecurityPost]:
    return list(plan.posts.all()) if plan.pk else []


def door_list_of(plan: SecurityPlan) -> list[DoorEntry]:
    return list(plan.door_list.all()) if plan.pk else []


def evacuation_routes(meeting: Meeting) -> str:
    """The emergency plan's evacuation routes, read-only here: one place to change them."""
    return (
        EmergencyPlan.objects.filter(meeting=meeting).values_list("evacuation", flat=True).first()
        or ""
    )


def guard_choices(meeting: Meeting) -> QuerySet[Participant]:
    """Who may hold a post: the meeting's active people, in name order."""
    return Participant.objects.filter(meeting=meeting, status=ParticipantStatus.ACTIVE).order_by(
        "name_pinyin", "name_strokes", "id"
    )


def posts_of_user(user: User, meeting: Meeting) -> list[SecurityPost]:
    """The posts this person holds on the meeting, in time order."""
    return list(
        SecurityPost.objects.filter(
            plan__meeting=meeting, guards__user=user, guards__meeting=meeting
        )
        .select_related("plan")
        .order_by("start", "place", "id")
        .distinct()
    )


def security_ready(meeting: Meeting) -> bool:
    """P3.7: the plan is approved, has posts, and every post has an active guard."""
    posts = SecurityPost.objects.filter(
        plan__meeting=meeting, plan__status=PlanStatus.APPROVED
    ).annotate(
        staffed=Count("guards", filter=Q(guards__status=ParticipantStatus.ACTIVE), distinct=True)
    )
    counts = list(posts.values_list("staffed", flat=True))
    return bool(counts) and all(counts)


def incidents_of(meeting: Meeting) -> list[SupportTicket]:
    """The security tickets reported in the room, newest first, each with its risk event if
    one records it (`recorded_event`)."""
    tickets = list(
        SupportTicket.objects.filter(meeting=meeting, category=TicketCategory.SECURITY)
        .select_related("reported_by", "resolved_by")
        .order_by("-reported_at", "-id")
    )
    events = {
        e.ticket_id: e
        for e in RiskEvent.objects.filter(ticket__in=[t.pk for t in tickets]).only(
            "pk", "ticket_id", "level", "occurred_at"
        )
    }
    for ticket in tickets:
        ticket.recorded_event = events.get(ticket.pk)  # type: ignore[attr-defined]
    return tickets


# --- the door ---------------------------------------------------------------------


@dataclass(frozen=True)
class DoorCheck:
    """What the desk shows for one person: on the list (with the entry) or not."""

    listed: bool
    entry: DoorEntry | None = None


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def door_list_at_desk(meeting: Meeting) -> list[DoorEntry] | None:
    """The approved plan's door list, or None when there is nothing to check against (no
    approved plan, or one without a door list). One query per meeting object: kept on it,
    so a desk page costs the same with thirty people as with three."""
    cached: Any = meeting.__dict__.get("_door_list_at_desk", _MISSING)
    if cached is not _MISSING:
        return cached
    entries = list(
        DoorEntry.objects.filter(plan__meeting=meeting, plan__status=PlanStatus.APPROVED)
    )
    result = entries or None
    meeting.__dict__["_door_list_at_desk"] = result
    return result


def door_check(meeting: Meeting, participant: Participant) -> DoorCheck | None:
    """Whether this person is on the door list: by the entry linked to them, else by name
    (and organisation, where the entry names one). None when the meeting has no approved
    door list. Someone not on it is flagged; the desk decides."""
    entries = door_list_at_desk(meeting)
    if entries is None:
        return None
    for entry in entries:
        if entry.participant_id is not None and entry.participant_id == participant.pk:
            return DoorCheck(True, entry)
    name, organisation = _norm(participant.display_name), _norm(participant.organisation)
    for entry in entries:
        if entry.participant_id is not None or _norm(entry.name) != name:
            continue
        if not entry.organisation or _norm(entry.organisation) == organisation:
            return DoorCheck(True, entry)
    return DoorCheck(False)


def post_rows(plan: SecurityPlan) -> list[dict[str, Any]]:
    """The posts as the service takes them, to add to or take from on the page."""
    return [
        {
            "place": p.place,
            "duty": p.duty,
            "start": p.start,
            "end": p.end,
            "guard_ids": [g.pk for g in p.guards.all()],
            "id": p.pk,
        }
        for p in posts_of(plan)
    ]


def door_rows(plan: SecurityPlan) -> list[dict[str, Any]]:
    return [
        {
            "name": e.name,
            "organisation": e.organisation,
            "kind": e.kind,
            "badge_colour": e.badge_colour,
            "participant_id": e.participant_id,
            "id": e.pk,
        }
        for e in door_list_of(plan)
    ]


def participants_as_door_rows(meeting: Meeting, plan: SecurityPlan) -> list[dict[str, Any]]:
    """The door list with every active person on the meeting not yet on it (normal kind)."""
    rows = door_rows(plan)
    linked = {r["participant_id"] for r in rows}
    names = {(r["name"].casefold(), r["organisation"].casefold()) for r in rows}
    for p in guard_choices(meeting):
        key = (p.display_name.casefold(), p.organisation.casefold())
        if p.pk in linked or key in names:
            continue
        names.add(key)
        rows.append(
            {
                "name": p.display_name,
                "organisation": p.organisation,
                "kind": "normal",
                "badge_colour": "",
                "participant_id": p.pk,
            }
        )
    return rows
