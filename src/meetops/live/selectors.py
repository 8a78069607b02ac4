"""Reads for the room. The meeting is loaded and authorised by the caller (`get_meeting_for_user`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from meetops.agenda.models import AgendaItem
from meetops.agenda.selectors import agenda_of
from meetops.core.errors import NotFound
from meetops.live.clock import Board, build_board
from meetops.live.models import (
    ItemTiming,
    LiveSession,
    MaterialOpening,
    MaterialsRelease,
    Question,
    QuestionVote,
    SupportTicket,
    TicketCategory,
    TicketStatus,
)
from meetops.meetings.models import (
    DutyKind,
    Meeting,
    MeetingRole,
    Participant,
    ParticipantStatus,
    holding,
    on_duty,
)
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.models import User

# Words in a staff member's duties that make them the one to call (lower-case match).
TECH_DUTY_WORDS = (
    "av", "a/v", "tech", "sound", "audio", "video", "projection", "projector", "network",
    "power", "it ", "技术", "技術", "音", "视频", "視頻", "视听", "視聽", "投影", "网络",
    "網絡", "網路", "设备", "設備", "电", "電",
)  # fmt: skip
SECURITY_DUTY_WORDS = ("security", "安保", "安全", "保卫", "保衛", "警")


def session_of(meeting: Meeting) -> LiveSession | None:
    return LiveSession.objects.filter(meeting=meeting).first()


def timings_of(meeting: Meeting) -> dict[int, ItemTiming]:
    return {t.item_id: t for t in ItemTiming.objects.filter(meeting=meeting)}


def board_of(meeting: Meeting, *, now: datetime | None = None) -> Board:
    """Planned against actual, in three queries: agenda, timings, session."""
    agenda = agenda_of(meeting)
    return build_board(
        agenda.slots, timings_of(meeting), session_of(meeting), now=now or timezone.now()
    )


def duty_matches(duties: str, category: str) -> bool:
    words = SECURITY_DUTY_WORDS if category == TicketCategory.SECURITY else TECH_DUTY_WORDS
    text = f"{duties.lower()} "
    return any(w in text for w in words)


def duty_kind_for(category: str) -> str:
    """The kind of duty whose holders are called for a problem of `category`."""
    return DutyKind.SECURITY if category == TicketCategory.SECURITY else DutyKind.TECH


def on_duty_for(participant: Participant, category: str) -> bool:
    """Given the duty (its kind), or, for rows the staffing plan has not confirmed, named in the note."""
    return duty_kind_for(category) in participant.duty_kinds or duty_matches(
        participant.duties, category
    )


def support_people(meeting: Meeting, category: str) -> list[User]:
    """Who hears about a problem: people on duty for it, the organisers and the meeting's creator."""
    rows = (
        Participant.objects.filter(
            meeting=meeting, user__isnull=False, status=ParticipantStatus.ACTIVE
        )
        .filter(
            holding(MeetingRole.ORGANISER)
            | holding(MeetingRole.STAFF)
            | on_duty(duty_kind_for(category))
        )
        .select_related("user")
    )
    people = [
        p.user
        for p in rows
        if p.user and (p.role == MeetingRole.ORGANISER or on_duty_for(p, category))
    ]
    if meeting.created_by_id and meeting.created_by:
        people.append(meeting.created_by)
    return list({u.pk: u for u in people}.values())


def has_tech_duty(meeting: Meeting) -> bool:
    rows = Participant.objects.filter(
        holding(MeetingRole.STAFF) | on_duty(DutyKind.TECH),
        meeting=meeting,
        status=ParticipantStatus.ACTIVE,
    ).only("duties", "duty_kinds")
    return any(on_duty_for(p, TicketCategory.SOUND) for p in rows)


def tickets_of(meeting: Meeting) -> QuerySet[SupportTicket]:
    return SupportTicket.objects.filter(meeting=meeting).select_related(
        "reported_by", "acknowledged_by", "resolved_by"
    )


def open_tickets(meeting: Meeting) -> QuerySet[SupportTicket]:
    return SupportTicket.objects.filter(meeting=meeting).exclude(status=TicketStatus.RESOLVED)


def get_ticket_for_user(user: User, ticket_id: int) -> SupportTicket:
    """The ticket, if its meeting is visible to the user; 404 otherwise."""
    ticket = SupportTicket.objects.filter(pk=ticket_id).select_related("meeting").first()
    if ticket is None:
        raise NotFound()
    ticket.meeting = get_meeting_for_user(user, ticket.meeting_id)
    return ticket


def questions_of(meeting: Meeting, *, viewer: User | None = None) -> QuerySet[Question]:
    """Questions with `vote_count` and `voted` (by the viewer), most votes first within an item."""
    voted = QuestionVote.objects.filter(question=OuterRef("pk"), user=viewer) if viewer else None
    qs = (
        Question.objects.filter(meeting=meeting)
        .select_related("author", "item")
        .annotate(vote_count=Count("votes"))
    )
    if voted is not None:
        qs = qs.annotate(voted=Exists(voted))
    return qs.order_by("status", "-vote_count", "created_at", "id")


def get_question_for_user(user: User, question_id: int) -> Question:
    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        raise NotFound()
    question.meeting = get_meeting_for_user(user, question.meeting_id)
    return question


def release_of(meeting: Meeting) -> MaterialsRelease | None:
    return MaterialsRelease.objects.filter(meeting=meeting).first()


def is_released(release: MaterialsRelease | None, *, now: datetime | None = None) -> bool:
    return release is not None and release.release_at <= (now or timezone.now())


def material_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting=meeting).exclude(materials="").order_by("order", "id")


@dataclass(frozen=True)
class Reader:
    """A participant and how many of the meeting's materials they opened. Guests have no
    account, so their openings are not recorded (`user_id` None); a substitute says whom
    they stand in for."""

    name: str
    user_id: int | None
    opened: int
    total: int
    substitute_for: str = ""

    @property
    def all_opened(self) -> bool:
        return self.user_id is not None and self.opened >= self.total


def readers_of(meeting: Meeting) -> list[Reader]:
    """Every participant still on the meeting, guests and substitutes included: materials
    opened out of all (two queries)."""
    items = list(material_items(meeting).values_list("pk", flat=True))
    opened = dict(
        MaterialOpening.objects.filter(item_id__in=items)
        .values("user_id")
        .annotate(n=Count("item", distinct=True))
        .values_list("user_id", "n")
    )
    rows = (
        Participant.objects.filter(meeting=meeting, status=ParticipantStatus.ACTIVE)
        .select_related("user", "contact", "substitute_for")
        .order_by("id")
    )
    readers = [
        Reader(
            str(p.user) if p.user else p.display_name,
            p.user_id,
            opened.get(p.user_id, 0) if p.user_id else 0,
            len(items),
            p.substitute_for.display_name if p.substitute_for else "",
        )
        for p in rows
    ]
    return sorted(readers, key=lambda r: (r.all_opened, r.user_id is None, r.name))


def opened_by(user: User, meeting: Meeting) -> set[int]:
    return set(
        MaterialOpening.objects.filter(item__meeting=meeting, user=user).values_list(
            "item_id", flat=True
        )
    )


def recipients_of_materials(meeting: Meeting) -> list[User | str]:
    """Everyone on the meeting: accounts, and the e-mail of guests without one."""
    rows = Participant.objects.filter(
        meeting=meeting, status=ParticipantStatus.ACTIVE
    ).select_related("user", "contact")
    out: list[User | str] = []
    for p in rows:
        if p.user:
            out.append(p.user)
        elif p.email:
            out.append(p.email)
        elif p.contact and p.contact.email:
            out.append(p.contact.email)
    return out
