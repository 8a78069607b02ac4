"""Training fixtures: a small organisation with people on every duty, and a way to train them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def departments(admin_user: Any) -> dict[str, Any]:
    from meetops.people.services import create_department

    return {
        "office": create_department(name="办公室", actor=admin_user),
        "finance": create_department(name="财务处", actor=admin_user),
    }


@pytest.fixture
def needs(db: Any) -> dict[str, Any]:
    """The seeded needs, by duty (migration 0002)."""
    from meetops.training.models import TrainingNeed

    return {n.duty: n for n in TrainingNeed.objects.all()}


@pytest.fixture
def train_at(make_meeting: Callable[..., Any], organiser: Any) -> Callable[..., Any]:
    """Sign `people` in at a new training meeting, as if `days_ago` days ago; optionally held
    as `course`."""
    from django.utils import timezone

    from meetops.attendance.models import SignIn
    from meetops.attendance.services import sign_in
    from meetops.meetings.services import add_participant
    from meetops.training.services import link_session

    def train(people: list[Any], *, days_ago: int, course: Any = None, admin: Any = None) -> Any:
        meeting = make_meeting(
            title="会务培训",
            kind="training",
            start=timezone.now().replace(microsecond=0) + timedelta(minutes=20),
        )
        for person in people:
            part = add_participant(meeting, actor=organiser, user=person)
            sign_in(meeting, participant=part, actor=organiser)
        SignIn.objects.filter(meeting=meeting).update(
            signed_in_at=timezone.now() - timedelta(days=days_ago)
        )
        if course is not None:
            link_session(course, meeting=meeting, actor=admin)
        return meeting

    return train
