"""meetings.services.add_participants: the one place participants are created in bulk."""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.db import connection

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.meetings.models import Meeting, Participant, Stage
from meetops.meetings.services import NewParticipant, add_participant, add_participants


def test_adds_users_contacts_and_guests_once_each(
    make_meeting: Any, organiser: Any, member: Any, make_user: Any
) -> None:
    meeting = make_meeting()
    other = make_user("other")
    add_participant(meeting, actor=organiser, user=member, role="participant")
    created = add_participants(
        meeting,
        entries=[
            NewParticipant(user=member),  # already on the meeting in that role
            NewParticipant(user=other),
            NewParticipant(user=other),  # named twice
            NewParticipant(user=member, role="speaker"),  # another role: added to their row
            NewParticipant(snapshot={"name": "王五", "email": "Wang@example.org"}),
            NewParticipant(snapshot={"name": "王五", "email": "wang@example.org"}),
        ],
        actor=organiser,
        data={"group": 7},
    )
    assert [(p.user, p.role, p.name) for p in created] == [
        (other, "participant", str(other)),
        (None, "participant", "王五"),
    ]
    assert all(p.pk for p in created)
    assert Participant.objects.filter(meeting=meeting).count() == 4  # the organiser too
    assert Participant.objects.get(meeting=meeting, user=member).roles == ["participant", "speaker"]
    entry = AuditEntry.objects.get(action="meetings.participants.added")
    assert entry.actor == organiser
    assert entry.data == {
        "count": 2,
        "roles_added": 1,
        "role": ["participant", "speaker"],
        "group": 7,
    }


def test_nothing_new_writes_no_audit_and_one_named_person_is_refused(
    make_meeting: Any, organiser: Any, member: Any
) -> None:
    meeting = make_meeting()
    add_participants(meeting, entries=[NewParticipant(user=member)], actor=organiser)
    assert add_participants(meeting, entries=[NewParticipant(user=member)], actor=organiser) == []
    assert AuditEntry.objects.filter(action="meetings.participants.added").count() == 1
    with pytest.raises(DomainError) as caught:
        add_participants(
            meeting, entries=[NewParticipant(user=member)], actor=organiser, refuse_present=True
        )
    assert caught.value.code == "participant_exists"


@pytest.mark.parametrize("stage", [Stage.CLOSED, Stage.CANCELLED])
def test_a_frozen_meeting_takes_no_one(
    make_meeting: Any, organiser: Any, member: Any, stage: str
) -> None:
    meeting = make_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(stage=stage)
    with pytest.raises(DomainError) as caught:
        add_participants(meeting, entries=[NewParticipant(user=member)], actor=organiser)
    assert caught.value.code == "meeting_frozen"
    assert not Participant.objects.filter(meeting=meeting, user=member).exists()


def test_a_hundred_people_cost_the_same_queries_as_two(
    make_meeting: Any, organiser: Any, django_assert_max_num_queries: Any
) -> None:
    meeting = make_meeting()
    guests = [
        NewParticipant(snapshot={"name": f"嘉宾{i}", "email": f"g{i}@example.org"})
        for i in range(100)
    ]
    # Savepoint, lock, present people, the insert, the audit's read and write: the same for
    # 100 as for 2, but SQLite splits an insert at 999 variables (100 rows of ~20 columns).
    fields = [f for f in Participant._meta.concrete_fields if not f.primary_key]
    inserts = math.ceil(100 / connection.ops.bulk_batch_size(fields, [None] * 100))
    with django_assert_max_num_queries(8 + inserts):
        created = add_participants(meeting, entries=guests, actor=organiser)
    assert len(created) == 100
