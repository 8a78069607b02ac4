"""The meeting plan (P2.1): purpose, goals, time, venue, agenda, people — and what other apps add.

Other apps add sections without this app knowing them (venues: rooms booked;
budget: a summary) by registering a provider, usually from `AppConfig.ready()`:

    from meetops.agenda.plan import PlanSection, register_plan_section

    @register_plan_section
    def booked_rooms(meeting, viewer):
        return PlanSection(title=_("Rooms"), rows=[(room.name, "09:00–12:00")], order=10)

A provider returns None when it has nothing to say about this meeting, and
must not run a query per row: the plan page's query count is pinned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from meetops.agenda.conflicts import PersonConflict, person_conflicts
from meetops.agenda.schedule import Agenda
from meetops.agenda.selectors import agenda_of
from meetops.meetings.models import Format, Meeting, MeetingRole, Participant
from meetops.people.models import User


@dataclass(frozen=True)
class PlanSection:
    """A titled list of (label, value) rows; rendered alike on the page, in the PDF and the DOCX."""

    title: str
    rows: list[tuple[str, str]]
    order: int = 100


PlanSectionProvider = Callable[[Meeting, User], PlanSection | None]
_providers: list[PlanSectionProvider] = []


def register_plan_section(provider: PlanSectionProvider) -> PlanSectionProvider:
    """Add a section to every meeting plan. Registering the same provider twice adds it once."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_plan_section(provider: PlanSectionProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


@dataclass
class MeetingPlan:
    meeting: Meeting
    venue: list[tuple[str, str]]
    agenda: Agenda
    participants: list[Participant]
    conflicts: list[PersonConflict]
    sections: list[PlanSection] = field(default_factory=list)


def _venue(meeting: Meeting) -> list[tuple[str, str]]:
    rows = [(_("Format"), str(Format(meeting.format).label))]
    if meeting.location:
        rows.append((_("Location"), meeting.location))
    if meeting.online_url:
        rows.append((_("Online meeting link"), meeting.online_url))
    return rows


def build_plan(meeting: Meeting, *, viewer: User) -> MeetingPlan:
    """Everything the plan shows, read once. The caller has authorised `viewer` to see the meeting."""
    sections = [s for s in (provider(meeting, viewer) for provider in _providers) if s is not None]
    return MeetingPlan(
        meeting=meeting,
        venue=_venue(meeting),
        agenda=agenda_of(meeting),
        participants=sorted(
            meeting.participants.select_related("user", "contact"),
            key=lambda p: (MeetingRole.values.index(p.role), p.pk),
        ),
        conflicts=person_conflicts(meeting, viewer=viewer),
        sections=sorted(sections, key=lambda s: s.order),
    )
