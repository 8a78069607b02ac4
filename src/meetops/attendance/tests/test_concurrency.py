"""Twenty scans of one code at once leave exactly one sign-in (SQLite and PostgreSQL).

Each thread has its own database connection, as each server process or thread
would. They queue on the participant's row lock (on SQLite on the IMMEDIATE
write lock); the partial unique constraint is the backstop.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from meetops.attendance import services
from meetops.attendance.models import SignIn
from meetops.core.models import AuditEntry
from meetops.meetings.models import Meeting

THREADS = 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_scans_make_one_sign_in(desk_meeting, guest, code_of, organiser):
    meeting = desk_meeting(1)
    code = code_of(guest(meeting, 1))
    start = threading.Barrier(THREADS)
    created: list[bool] = []
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            start.wait()
            fresh = Meeting.objects.get(pk=meeting.pk)
            created.append(services.sign_in_by_code(fresh, code=code, actor=organiser).created)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(created) == [False] * (THREADS - 1) + [True]
    assert SignIn.objects.filter(meeting=meeting).count() == 1
    assert AuditEntry.objects.filter(action="attendance.signin.created").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_live_sign_in(desk_meeting, guest, organiser):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    meeting = desk_meeting(1)
    first = services.sign_in(meeting, participant=guest(meeting, 1), actor=organiser).signin
    with pytest.raises(IntegrityError), transaction.atomic():
        SignIn.objects.create(
            meeting=meeting,
            participant=first.participant,
            signed_in_at=timezone.now(),
            method="desk_manual",
        )
