"""The numbering register: concurrent issue never gives a number twice nor a meeting two numbers.

Each thread has its own database connection, as each server process would. On SQLite they
queue on the IMMEDIATE write lock taken at BEGIN; on PostgreSQL on the counter row's
`SELECT … FOR UPDATE` (the lead's CI runs this file there too). The unique constraints on
IssuedNumber are the backstop on both.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from meetops.core.models import AuditEntry
from meetops.documents import numbering
from meetops.documents.models import IssuedNumber, Kind, MinutesNumbering
from meetops.meetings.models import Meeting

THREADS = 12


def _run_at_once(work) -> list[BaseException]:
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twelve_meetings_numbered_at_once_get_twelve_numbers(make_meeting, organiser, issuer):
    meetings = [make_meeting(title=f"会议{i}") for i in range(THREADS)]

    def issue(i: int) -> None:
        meeting = Meeting.objects.get(pk=meetings[i].pk)
        numbering.issue_number(meeting, issuer=issuer, kind=Kind.MINUTES, actor=organiser)

    assert _run_at_once(issue) == []
    numbers = sorted(IssuedNumber.objects.values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_meeting_asked_twelve_times_at_once_gets_one_number(make_meeting, organiser, issuer):
    meeting = make_meeting()
    got: list[int] = []

    def issue(i: int) -> None:
        fresh = Meeting.objects.get(pk=meeting.pk)
        issued = numbering.issue_number(fresh, issuer=issuer, kind=Kind.NOTICE, actor=organiser)
        got.append(issued.number)

    assert _run_at_once(issue) == []
    assert got == [1] * THREADS
    assert IssuedNumber.objects.count() == 1
    assert AuditEntry.objects.filter(action="documents.number.issued").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_number_twice(make_meeting, issuer):
    first, second = make_meeting(), make_meeting()
    IssuedNumber.objects.create(issuer=issuer, kind=Kind.NOTICE, year=2026, number=1, meeting=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedNumber.objects.create(
            issuer=issuer, kind=Kind.NOTICE, year=2026, number=1, meeting=second
        )


@pytest.mark.django_db
def test_numbers_read_as_the_standard_writes_them(make_meeting, organiser, issuer):
    meeting = make_meeting()
    minutes = numbering.issue_number(meeting, issuer=issuer, kind=Kind.MINUTES, actor=organiser)
    notice = numbering.issue_number(meeting, issuer=issuer, kind=Kind.NOTICE, actor=organiser)
    year = timezone.localdate().year
    assert numbering.number_text(minutes, issuer=issuer, kind=Kind.MINUTES) == "第1期"
    # 〔 〕 (U+3014/3015), the year in full, no 第, no zero padding.
    assert numbering.number_text(notice, issuer=issuer, kind=Kind.NOTICE) == f"某信办〔{year}〕1号"
    issuer.minutes_numbering = MinutesNumbering.YEARLY
    issuer.save()
    later = make_meeting(start=timezone.now() + timedelta(days=9))
    yearly = numbering.issue_number(later, issuer=issuer, kind=Kind.MINUTES, actor=organiser)
    # A yearly register of its own: it starts at 1 beside the running one.
    assert numbering.number_text(yearly, issuer=issuer, kind=Kind.MINUTES) == f"某信办〔{year}〕1号"
