"""What invitations add to "Waiting for me" (core.inbox, ADR 0021): the invitations the user
was sent and has not answered, of meetings still to come. One query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core.inbox import WaitingItem, by_person, one_of
from meetops.invitations.models import Invitation, Response
from meetops.meetings.models import MeetingRole, ParticipantStatus, Stage
from meetops.people.models import User

# Stages in which an answer still changes something (a draft's invitations are not sent yet).
OPEN_STAGES = (Stage.PREPARING, Stage.READY)


def rsvps_waiting_many(users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
    rows = _unanswered(Q(participant__user__in=[u.pk for u in users])).select_related("participant")
    mine = by_person(users, rows, lambda i: i.participant.user_id, limit)
    return {pk: _items(picked) for pk, picked in mine.items()}


# One person's inbox is the batch of one (ADR 0021).
rsvps_waiting = one_of(rsvps_waiting_many)


def _unanswered(whose: Q) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            whose,
            participant__status=ParticipantStatus.ACTIVE,
            response=Response.NONE,
            first_sent_at__isnull=False,
            revoked_at__isnull=True,
            meeting__start__gt=timezone.now(),
            meeting__stage__in=OPEN_STAGES,
        )
        # Organisers who do not attend send the invitations; nobody asks them to answer.
        .exclude(participant__role=MeetingRole.ORGANISER, participant__extra_roles=[])
        .select_related("meeting")
        .order_by("meeting__start", "id")
    )


def _items(rows: Iterable[Invitation]) -> list[WaitingItem]:
    return [
        WaitingItem(
            "rsvp",
            _("Invitation to answer"),
            i.meeting,
            reverse("invitations:rsvp_page", args=[i.token]),
            i.first_sent_at,
            "",
        )
        for i in rows
    ]
