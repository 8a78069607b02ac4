"""The outbox rule: a change's messages are written in the change's own transaction.

`meetings.signals` are sent inside the transaction, so the outbox rows commit
with the meeting change or vanish with it; no on_commit callback is needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from meetops.meetings import services as meetings
from meetops.meetings.models import Meeting
from meetops.meetings.signals import meeting_changed, meeting_stage_changed
from meetops.notifications.models import OutboxMessage


class Boom(Exception):
    pass


def _preparing(make_meeting: Any, organiser: Any, person: Any) -> Any:
    meeting = make_meeting(title="党委会", location="第一会议室")
    meeting.stage = "preparing"
    meeting.save(update_fields=["stage"])
    alice = person("alice", email="alice@example.org", language="en")
    meetings.add_participant(meeting, actor=organiser, user=alice)
    return meeting


@pytest.fixture
def failing_receiver() -> Iterator[None]:
    """A receiver connected after the apps' own: it runs once their outbox rows are written."""

    def fail(**kwargs: Any) -> None:
        assert OutboxMessage.objects.exists()  # the rows are there, inside the transaction
        raise Boom

    meeting_changed.connect(fail, dispatch_uid="test.fail")
    meeting_stage_changed.connect(fail, dispatch_uid="test.fail")
    yield
    meeting_changed.disconnect(dispatch_uid="test.fail")
    meeting_stage_changed.disconnect(dispatch_uid="test.fail")


@pytest.mark.django_db
def test_outbox_rows_are_written_inside_the_change_without_commit_callbacks(
    make_meeting: Any, organiser: Any, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _preparing(make_meeting, organiser, person)
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        meetings.update_meeting(meeting, actor=organiser, location="第二会议室")
        rows = OutboxMessage.objects.filter(event="meeting.changed", user__username="alice")
        assert sorted(rows.values_list("channel", flat=True)) == ["email", "inapp"]


@pytest.mark.django_db
def test_receiver_error_rolls_back_the_change_and_its_outbox_rows(
    make_meeting: Any, organiser: Any, person: Any, failing_receiver: None
) -> None:
    meeting = _preparing(make_meeting, organiser, person)
    with pytest.raises(Boom):
        meetings.update_meeting(meeting, actor=organiser, location="第二会议室")
    with pytest.raises(Boom):
        meetings.transition_meeting(meeting, actor=organiser, to="cancelled")
    meeting.refresh_from_db()
    assert (meeting.location, meeting.stage) == ("第一会议室", "preparing")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_rolling_back_the_callers_transaction_leaves_no_outbox_row(
    make_meeting: Any, organiser: Any, person: Any
) -> None:
    meeting = _preparing(make_meeting, organiser, person)
    with pytest.raises(Boom), transaction.atomic():
        meetings.transition_meeting(meeting, actor=organiser, to="cancelled")
        assert OutboxMessage.objects.filter(event="meeting.cancelled").exists()
        raise Boom
    assert Meeting.objects.get(pk=meeting.pk).stage == "preparing"
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_committed_change_has_its_outbox_rows_committed_with_it(
    make_meeting: Any, organiser: Any, person: Any
) -> None:
    meeting = _preparing(make_meeting, organiser, person)
    meetings.update_meeting(meeting, actor=organiser, location="第二会议室")
    # Autocommit: the service's transaction is over; a fresh connection sees both.
    from django.db import connection

    connection.close()
    assert Meeting.objects.get(pk=meeting.pk).location == "第二会议室"
    assert sorted(
        OutboxMessage.objects.filter(event="meeting.changed").values_list("channel", flat=True)
    ) == ["email", "inapp"]
