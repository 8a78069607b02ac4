"""Two people recording expenses at once: none lost, none mis-summed, the plan respected.

The budget row is locked by every expense write (and on SQLite the IMMEDIATE write lock
queues writers), so each writer sums the others' committed rows before it decides.
Runs on whichever database the suite runs on (SQLite and PostgreSQL in CI).
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from meetops.budget import services
from meetops.budget.models import Expense
from meetops.budget.selectors import statement_of
from meetops.core.errors import DomainError
from meetops.meetings.models import Meeting

THREADS = 6


def _race(meeting_id: int, line_id: int, actor, amount: str, writes: int) -> tuple[int, list[str]]:
    start = threading.Barrier(THREADS)
    codes: list[str] = []
    done: list[int] = []

    def work() -> None:
        try:
            start.wait()
            for _ in range(writes):
                meeting = Meeting.objects.get(pk=meeting_id)
                try:
                    services.add_expense(
                        meeting,
                        line_id=line_id,
                        amount=Decimal(amount),
                        spent_on=date(2026, 11, 20),
                        payee="供应商",
                        actor=actor,
                    )
                    done.append(1)
                except DomainError as exc:
                    codes.append(exc.code)
        except BaseException as exc:
            codes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return len(done), codes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_expenses_are_all_counted(approved, meeting, organiser):
    catering = meeting.budget.lines.get(category="catering")
    done, codes = _race(meeting.pk, catering.pk, organiser, "10.05", writes=4)
    assert (done, codes) == (THREADS * 4, [])
    assert Expense.objects.count() == THREADS * 4
    statement = statement_of(meeting)
    assert statement.actual_total == Decimal("10.05") * THREADS * 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_expenses_cannot_pass_the_plan_without_a_reason(approved, meeting, organiser):
    venue = meeting.budget.lines.get(category="venue")  # planned 3000.00
    done, codes = _race(meeting.pk, venue.pk, organiser, "600.00", writes=1)
    assert done == 5 and codes == ["over_budget_reason_required"]
    assert statement_of(meeting).actual_total == Decimal("3000.00")
