"""Fixtures for the seating: a meeting with a host, leaders, speakers, participants from two departments, observers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def seated_meeting(make_meeting: Callable[..., Any], organiser: Any) -> Callable[..., Any]:
    """A meeting with the people given as (name, role, organisation[, seat_preference]); all invited and accepted."""
    from meetops.invitations.models import Invitation
    from meetops.invitations.services import invitations as invites
    from meetops.meetings import services

    def make(people: list[tuple[str, ...]], *, accept: bool = True, **fields: Any) -> Any:
        meeting = make_meeting(location="报告厅", **fields)
        for i, spec in enumerate(people, start=1):
            name, role, organisation = spec[:3]
            services.add_participant(
                meeting,
                actor=organiser,
                role=role,
                name=name,
                email=f"p{i}@example.org",
                organisation=organisation,
                seat_preference=spec[3] if len(spec) > 3 else "",
            )
        invites.send_invitations(meeting, actor=organiser, to="all")
        if accept:
            for invitation in Invitation.objects.filter(meeting=meeting).select_related(
                "participant", "meeting"
            ):
                invites.respond(invitation, response="accept")
        return meeting

    return make


@pytest.fixture
def person() -> Callable[[Any, str], Any]:
    def find(meeting: Any, name: str) -> Any:
        return meeting.participants.get(name=name)

    return find


@pytest.fixture
def small_plan(organiser: Any) -> Callable[..., Any]:
    """A plan of one rostrum row of `rostrum` seats and `rows` × `columns` audience seats."""
    from meetops.seating import services

    def make(meeting: Any, *, rostrum: int = 5, rows: int = 3, columns: int = 6, aisles=()) -> Any:
        return services.create_plan(
            meeting,
            actor=organiser,
            size=services.GridSize(1 if rostrum else 0, rostrum, rows, columns, tuple(aisles)),
        )

    return make
