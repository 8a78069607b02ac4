"""Concurrent seat assignment (SQLite and PostgreSQL): one person per seat, one seat per person.

Each thread has its own connection, as each server process would. They queue
on the plan's row lock (on SQLite on the write lock); the unique constraints
are the backstop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from meetops.core.errors import DomainError
from meetops.seating import services
from meetops.seating.models import Seat, SeatAssignment, SeatPlan

THREADS = 8


def _race(work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    start = threading.Barrier(THREADS)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            results.append(work(i))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_people_one_seat_at_once(seated_meeting, small_plan, organiser):
    meeting = seated_meeting([(f"代表{i}", "participant", "办公室") for i in range(THREADS)])
    plan = small_plan(meeting, rostrum=0, rows=2, columns=4)
    seat = Seat.objects.get(plan=plan, row=1, col=1)
    people = list(meeting.participants.filter(role="participant").order_by("id"))

    def take(i: int) -> int:
        fresh = SeatPlan.objects.select_related("meeting").get(pk=plan.pk)
        return services.assign_seat(fresh, actor=organiser, seat=seat, participant=people[i]).pk

    made, errors = _race(take)
    assert len(made) == 1
    assert len(errors) == THREADS - 1
    assert {e.code for e in errors if isinstance(e, DomainError)} == {"seat_taken"}
    assert all(isinstance(e, DomainError) for e in errors)
    assert SeatAssignment.objects.filter(seat=seat).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_person_many_seats_at_once(seated_meeting, small_plan, organiser):
    meeting = seated_meeting([("主持人", "host", "办公室")])
    plan = small_plan(meeting, rostrum=0, rows=2, columns=4)
    seats = list(Seat.objects.filter(plan=plan).order_by("row", "col"))
    host = meeting.participants.get(name="主持人")

    def take(i: int) -> int:
        fresh = SeatPlan.objects.select_related("meeting").get(pk=plan.pk)
        return services.assign_seat(fresh, actor=organiser, seat=seats[i], participant=host).pk

    made, errors = _race(take)
    assert errors == []
    assert len(made) == THREADS
    assert SeatAssignment.objects.filter(plan=plan, participant=host).count() == 1
