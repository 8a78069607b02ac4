"""core.leases: a row taken by one worker is refused to the next until it is released or its
lease runs out. Any model with a `busy_until` column will do; a robot endpoint has one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetops.core.leases import release_lease, take_lease
from meetops.notifications.models import Channel, RobotEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def robot() -> RobotEndpoint:
    return RobotEndpoint.objects.create(
        name="Board", kind=Channel.DINGTALK, url="https://robot.example/send?access_token=x"
    )


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
    slow = take_lease(RobotEndpoint, robot.pk, seconds=60, now=start)
    assert slow is not None
    # the slow worker's time runs out; another takes the row, then the slow one finishes
    other = take_lease(RobotEndpoint, robot.pk, seconds=60, now=start + timedelta(seconds=61))
    assert other is not None
    release_lease(RobotEndpoint, robot.pk, slow)
    robot.refresh_from_db()
    assert robot.busy_until == other
    assert (
        take_lease(RobotEndpoint, robot.pk, seconds=60, now=start + timedelta(seconds=62)) is None
    )
