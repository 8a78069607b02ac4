"""Training records (P9.4), read from sign-ins at meetings of the kind "training".

No model of its own: who was trained is who signed in at a training meeting.
The page lists a period's trainings with their attendance, and the people who
run meetings (organisers and staff) with their last training, so those not
trained within the period stand out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from meetops.attendance.models import SignIn
from meetops.meetings.selectors import meetings_visible_to
from meetops.people.models import Role, User

TRAINING_KIND = "training"
# The people the policy asks to train: those who organise and staff meetings.
TRAINED_ROLES = (Role.ORGANISER, Role.STAFF)


@dataclass
class TrainingOverview:
    since: datetime
    trainings: list[Any]  # Meetings annotated with attended, invited
    people: list[Any]  # Users annotated with last_trained (None = never)

    @property
    def untrained(self) -> list[User]:
        return [p for p in self.people if not p.last_trained or p.last_trained < self.since]


def _live_training_signins() -> QuerySet[SignIn]:
    return SignIn.objects.filter(undone_at__isnull=True, meeting__kind__code=TRAINING_KIND)


def training_overview(viewer: User, *, months: int = 12) -> TrainingOverview:
    since = timezone.now() - timedelta(days=round(months * 30.44))
    trainings = list(
        meetings_visible_to(viewer)
        .filter(kind__code=TRAINING_KIND, start__gte=since)
        .exclude(stage="cancelled")
        .annotate(
            attended=Count("signins", filter=Q(signins__undone_at__isnull=True), distinct=True),
            invited=Count("participants", distinct=True),
        )
        .order_by("-start")
    )
    last = (
        _live_training_signins()
        .filter(participant__user=OuterRef("pk"))
        .values("participant__user")
        .annotate(last=Max("signed_in_at"))
        .values("last")
    )
    people = list(
        User.objects.filter(is_active=True, role_assignments__role__in=TRAINED_ROLES)
        .distinct()
        .select_related("department")
        .annotate(last_trained=Subquery(last))
        .order_by("department__path", "username")
    )
    return TrainingOverview(since=since, trainings=trainings, people=people)


def trainings_of(user: User) -> QuerySet[SignIn]:
    """The trainings a person attended, newest first."""
    return (
        _live_training_signins()
        .filter(participant__user=user)
        .select_related("meeting")
        .order_by("-signed_in_at")
    )
