"""core.leases: a row taken by one worker is refused to the next until it is released or its
lease runs out; its holder's writes (renewal, guarded updates, release) change the row only
while it holds it. Any model with a `busy_until` column will do; a robot endpoint has one; a
job slot keeps its lease in `lease_until`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db.models import F, Q
from django.utils import timezone

from meetops.core.leases import release_lease, renew_lease, take_lease, write_if_held
from meetops.core.models import JobSlot
from meetops.notifications.models import Channel, RobotEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def robot() -> RobotEndpoint:
    return RobotEndpoint.objects.create(
        name="Board", kind=Channel.DINGTALK, url="https://robot.example/send?access_token=x"
    )


def _taken_over(robot: RobotEndpoint, start: datetime) -> tuple[datetime, datetime]:
    """A slow worker's lease ran out and another worker took the row: (slow's, other's)."""
    slow = take_lease(RobotEndpoint, robot.pk, seconds=60, now=start)
    other = take_lease(RobotEndpoint, robot.pk, seconds=60, now=start + timedelta(seconds=61))
    assert slow is not None and other is not None
    return slow, other


def test_of_two_takers_exactly_one_wins(robot: RobotEndpoint) -> None:
    now = timezone.now()
    first = take_lease(RobotEndpoint, robot.pk, seconds=60, now=now)
    second = take_lease(RobotEndpoint, robot.pk, seconds=60, now=now)
    assert (first, second) == (now + timedelta(seconds=60), None)
    robot.refresh_from_db()
    assert robot.busy_until == now + timedelta(seconds=60)


def test_a_lease_that_ran_out_can_be_taken_again(robot: RobotEndpoint) -> None:
    start = timezone.now()
    assert take_lease(RobotEndpoint, robot.pk, seconds=60, now=start)
    assert not take_lease(RobotEndpoint, robot.pk, seconds=60, now=start + timedelta(seconds=59))
    later = start + timedelta(seconds=61)
    assert take_lease(RobotEndpoint, robot.pk, seconds=60, now=later)
    robot.refresh_from_db()
    assert robot.busy_until == later + timedelta(seconds=60)


def test_release_frees_the_row_at_once(robot: RobotEndpoint) -> None:
    lease = take_lease(RobotEndpoint, robot.pk, seconds=600)
    assert lease is not None
    release_lease(RobotEndpoint, robot.pk, lease)
    robot.refresh_from_db()
    assert robot.busy_until is None
    assert take_lease(RobotEndpoint, robot.pk, seconds=600)


def test_a_missing_row_is_not_taken(robot: RobotEndpoint) -> None:
    assert not take_lease(RobotEndpoint, robot.pk + 1, seconds=60)


def test_a_holder_that_overran_its_lease_does_not_free_the_next_holders(
    robot: RobotEndpoint,
) -> None:
    start = timezone.now()
    slow, other = _taken_over(robot, start)
    release_lease(RobotEndpoint, robot.pk, slow)
    robot.refresh_from_db()
    assert robot.busy_until == other
    assert (
        take_lease(RobotEndpoint, robot.pk, seconds=60, now=start + timedelta(seconds=62)) is None
    )


def test_a_lease_on_another_column_takes_only_rows_that_match_and_writes_with_the_take() -> None:
    """`field`, `where` and `values`: a job slot's lease is its `lease_until`; a finished slot is
    not taken even when its lease ran out; the taker's values are written by the same UPDATE."""
    start = timezone.now()
    ran_out = start - timedelta(seconds=1)
    open_slot = JobSlot.objects.create(
        job="j", slot=start, started_at=ran_out, lease_until=ran_out, worker="dead", attempts=1
    )
    finished = JobSlot.objects.create(
        job="j", slot=ran_out, started_at=ran_out, lease_until=ran_out, finished_at=ran_out
    )
    kwargs: dict[str, Any] = {
        "seconds": 60,
        "now": start,
        "field": "lease_until",
        "where": Q(finished_at__isnull=True),
        "values": {"worker": "me", "attempts": F("attempts") + 1},
    }
    assert take_lease(JobSlot, finished.pk, **kwargs) is None
    lease = take_lease(JobSlot, open_slot.pk, **kwargs)
    assert lease == start + timedelta(seconds=60)
    assert take_lease(JobSlot, open_slot.pk, **kwargs) is None  # held now
    open_slot.refresh_from_db()
    finished.refresh_from_db()
    assert (open_slot.lease_until, open_slot.worker, open_slot.attempts) == (lease, "me", 2)
    assert (finished.lease_until, finished.worker) == (ran_out, "")


def test_a_renewal_holds_on_only_for_the_holder(robot: RobotEndpoint) -> None:
    start = timezone.now()
    lease = take_lease(RobotEndpoint, robot.pk, seconds=60, now=start)
    assert lease is not None
    later = start + timedelta(seconds=30)
    renewed = renew_lease(
        RobotEndpoint, robot.pk, lease, seconds=60, now=later, values={"name": "Board 2"}
    )
    assert renewed == later + timedelta(seconds=60)
    robot.refresh_from_db()
    assert (robot.busy_until, robot.name) == (renewed, "Board 2")
    # The lease before the renewal is no longer held; nor is one another worker took over.
    assert renew_lease(RobotEndpoint, robot.pk, lease, seconds=60, now=later) is None
    other = take_lease(RobotEndpoint, robot.pk, seconds=60, now=renewed + timedelta(seconds=1))
    assert other is not None
    assert renew_lease(RobotEndpoint, robot.pk, renewed, seconds=600, values={"name": "x"}) is None
    robot.refresh_from_db()
    assert (robot.busy_until, robot.name) == (other, "Board 2")


def test_a_guarded_write_changes_the_row_only_while_its_lease_is_held(
    robot: RobotEndpoint,
) -> None:
    slow, other = _taken_over(robot, timezone.now())
    # The slow worker, back after its lease ran out and the row was taken: writes nothing.
    assert not write_if_held(RobotEndpoint, robot.pk, slow, {"name": "Late", "busy_until": None})
    robot.refresh_from_db()
    assert (robot.name, robot.busy_until) == ("Board", other)
    # The holder ends its lease with its last write; after that its lease guards nothing.
    assert write_if_held(RobotEndpoint, robot.pk, other, {"name": "Done", "busy_until": None})
    assert not write_if_held(RobotEndpoint, robot.pk, other, {"name": "Again"})
    robot.refresh_from_db()
    assert (robot.name, robot.busy_until) == ("Done", None)
