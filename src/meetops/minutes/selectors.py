"""Reads of minutes and action items. Meetings are loaded and authorised by the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from meetops.agenda.models import AgendaItem
from meetops.agenda.selectors import items_of
from meetops.core.errors import NotFound
from meetops.core.schemas import MAX_DB_ID
from meetops.live.selectors import timings_of
from meetops.meetings.models import Meeting, MeetingRole, Participant, Stage, holding
from meetops.meetings.selectors import meetings_visible_to, sees_meeting
from meetops.minutes.models import (
    ActionItem,
    Decision,
    Minutes,
    MinutesRevision,
    MinutesSection,
    MinutesState,
)
from meetops.minutes.permissions import can_read_draft, can_view_action
from meetops.people.models import User


@dataclass
class DecisionView:
    # A vote is a count, or what was typed when it is not one (the editor shows it back and
    # the service refuses it).
    text: str
    votes_for: int | str | None = None
    votes_against: int | str | None = None
    votes_abstain: int | str | None = None
    id: int | None = None

    @property
    def has_votes(self) -> bool:
        return any(v is not None for v in (self.votes_for, self.votes_against, self.votes_abstain))

    def votes_text(self) -> str:
        """ "For 7, against 1, abstaining 0" in the active language; empty without a vote."""
        if not self.has_votes:
            return ""
        return _("For %(for)s, against %(against)s, abstaining %(abstain)s") % {
            "for": self.votes_for if self.votes_for is not None else "–",
            "against": self.votes_against if self.votes_against is not None else "–",
            "abstain": self.votes_abstain if self.votes_abstain is not None else "–",
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "votes_for": self.votes_for,
            "votes_against": self.votes_against,
            "votes_abstain": self.votes_abstain,
        }


@dataclass
class SectionView:
    title: str
    agenda_item_id: int | None = None
    notes: str = ""
    decisions: list[DecisionView] = field(default_factory=list)
    id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "agenda_item_id": self.agenda_item_id,
            "title": self.title,
            "notes": self.notes,
            "decisions": [d.as_dict() for d in self.decisions],
        }


@dataclass
class MinutesDocument:
    """The minutes as readers and editors see them; `minutes` is None before the first save."""

    meeting: Meeting
    minutes: Minutes | None
    sections: list[SectionView]
    notes: str = ""
    summary: str = ""
    action_plan: str = ""

    @property
    def state(self) -> str:
        return self.minutes.state if self.minutes else MinutesState.DRAFT

    @property
    def revision(self) -> int:
        return self.minutes.revision if self.minutes else 0

    def content(self) -> dict[str, Any]:
        """The document as stored in a revision's snapshot."""
        return {
            "notes": self.notes,
            "summary": self.summary,
            "action_plan": self.action_plan,
            "sections": [s.as_dict() for s in self.sections],
        }


def minutes_of(meeting: Meeting) -> Minutes | None:
    decisions = Prefetch("decisions", queryset=Decision.objects.order_by("order", "id"))
    sections = Prefetch(
        "sections",
        queryset=MinutesSection.objects.order_by("order", "id").prefetch_related(decisions),
    )
    return (
        Minutes.objects.filter(meeting=meeting)
        .select_related("approved_by", "submitted_by", "updated_by")
        .prefetch_related(sections)
        .first()
    )


def _section_views(minutes: Minutes) -> list[SectionView]:
    return [
        SectionView(
            id=s.pk,
            title=s.title,
            agenda_item_id=s.agenda_item_id,
            notes=s.notes,
            decisions=[
                DecisionView(d.text, d.votes_for, d.votes_against, d.votes_abstain, id=d.pk)
                for d in s.decisions.all()
            ],
        )
        for s in minutes.sections.all()
    ]


def document_of(meeting: Meeting, *, for_editing: bool = False) -> MinutesDocument:
    """The current minutes; for editing, agenda items without a section yet get an empty one."""
    minutes = minutes_of(meeting)
    sections = _section_views(minutes) if minutes else []
    if for_editing and (minutes is None or not minutes.locked):
        covered = {s.agenda_item_id for s in sections if s.agenda_item_id}
        sections += [
            SectionView(title=item.title, agenda_item_id=item.pk)
            for item in items_of(meeting)
            if item.pk not in covered
        ]
    if minutes is None:
        return MinutesDocument(meeting=meeting, minutes=None, sections=sections)
    return MinutesDocument(
        meeting=meeting,
        minutes=minutes,
        sections=sections,
        notes=minutes.notes,
        summary=minutes.summary,
        action_plan=minutes.action_plan,
    )


def readable_document(user: User, meeting: Meeting) -> MinutesDocument | None:
    """The minutes this user may read, or None when they are not published for them."""
    draft_reader = can_read_draft(user, meeting)
    doc = document_of(meeting, for_editing=draft_reader)
    if not draft_reader and doc.state != MinutesState.PUBLISHED:
        return None
    return doc


def users_in_role(meeting: Meeting, role: str) -> list[User]:
    """The account holders who hold `role` on the meeting, in the order they were added."""
    participants = (
        meeting.participants.filter(holding(role), user__isnull=False)
        .select_related("user")
        .order_by("id")
    )
    return [p.user for p in participants if p.user is not None]


def organisers_of(meeting: Meeting) -> list[User]:
    """Who answers for the meeting: its organisers, else the person who created it."""
    organisers = users_in_role(meeting, MeetingRole.ORGANISER)
    if organisers:
        return organisers
    return [meeting.created_by] if meeting.created_by else []


def revisions_of(minutes: Minutes) -> QuerySet[MinutesRevision]:
    return minutes.revisions.select_related("created_by").order_by("-number", "-id")


# --- action items -------------------------------------------------------------


def _actions() -> QuerySet[ActionItem]:
    return ActionItem.objects.select_related("owner", "department", "meeting", "decision")


def actions_of(meeting: Meeting) -> QuerySet[ActionItem]:
    return _actions().filter(meeting=meeting).order_by("due_date", "id")


def actions_visible_to(user: User, *, mine: bool = False, state: str = "") -> QuerySet[ActionItem]:
    """Action items the user owns, or (unless `mine`) of meetings the user is on and may see."""
    if not user.is_authenticated:
        return ActionItem.objects.none()
    if mine:
        qs = _actions().filter(owner=user)
    else:
        on_meeting = Exists(Participant.objects.filter(meeting=OuterRef("meeting_id"), user=user))
        visible = meetings_visible_to(user).values("pk")
        qs = _actions().filter(
            Q(owner=user) | (Q(meeting__in=visible) & (Q(on_meeting) | Q(meeting__created_by=user)))
        )
    if state:
        qs = qs.filter(state=state)
    # The owner of an item may not see its meeting: the API names it only to who may.
    return qs.annotate(meeting_visible=sees_meeting(user)).order_by("due_date", "id")


def get_action_for_user(user: User, pk: int) -> ActionItem:
    """404 unless the user owns the item or may see its meeting."""
    if not 0 < pk <= MAX_DB_ID:
        raise NotFound()
    action = _actions().filter(pk=pk).first()
    if action is None or not can_view_action(user, action):
        raise NotFound()
    return action


def decisions_of(minutes: Minutes | None) -> list[Decision]:
    if minutes is None:
        return []
    return list(
        Decision.objects.filter(section__minutes=minutes)
        .select_related("section")
        .order_by("section__order", "order", "id")
    )


def unheld_items(meeting: Meeting) -> list[AgendaItem]:
    """Agenda items not yet held (no recorded end) while the meeting is in progress: minutes
    approved now would record a meeting that has not finished."""
    if meeting.stage != Stage.IN_PROGRESS:
        return []
    timings = timings_of(meeting)
    return [
        item
        for item in items_of(meeting)
        if item.pk not in timings or timings[item.pk].ended_at is None
    ]
