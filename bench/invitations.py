"""Invitation speed: inviting N participants queues N personalised mails (target: 5,000 in < 10 s).

    .venv/bin/python bench/invitations.py [--participants 5000] [--database-url URL]

Creates a meeting with N guest participants (not timed), then times one
`send_invitations(..., to="all")`: a personal token per person, the template
rendered in each person's language, a personal .ics (ATTENDEE line) and one
outbox row each, bulk-inserted in one transaction. Prints the time, the mails
per second and the number of SQL queries (which must not grow with N). Uses
a fresh SQLite database in a temp directory unless --database-url is given
(a scratch database: it is migrated first).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="meetops-bench-")
    env = {
        **os.environ,
        "MEETOPS_DEBUG": "1",
        "MEETOPS_DATA_DIR": data_dir,
        "MEETOPS_LOG_LEVEL": "WARNING",
        "DATABASE_URL": args.database_url or f"sqlite:///{Path(data_dir) / 'bench.sqlite3'}",
    }
    os.environ.update(env)
    subprocess.run([sys.executable, "-m", "meetops.cli", "migrate", "-v0"], env=env, check=True)

    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "meetops.config.settings"
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from meetops.invitations.services.invitations import send_invitations
    from meetops.meetings.models import Meeting, MeetingKind, Participant
    from meetops.meetings.services import create_meeting
    from meetops.notifications.models import OutboxMessage
    from meetops.people.services import create_user

    organiser = create_user(
        username=f"bench{time.time_ns()}",
        actor=None,
        roles=["organiser"],
        email="office@example.org",
        display_name="办公室",
    )
    start = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    meeting: Meeting = create_meeting(
        actor=organiser,
        title="全体职工大会",
        kind=MeetingKind.objects.get(code="regular"),
        start=start,
        end=start + timedelta(hours=2),
        location="礼堂",
        description="年度工作总结与部署。",
    )
    languages = ["", "zh-hant", "en"]
    Participant.objects.bulk_create(
        [
            Participant(
                meeting=meeting,
                name=f"参会人{i}",
                email=f"p{i}@example.org",
                organisation="某局",
                language=languages[i % 3],
            )
            for i in range(args.participants)
        ],
        batch_size=1000,
    )
    before = OutboxMessage.objects.count()
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            cProfile.runctx(
                'send_invitations(meeting, actor=organiser, to="all")',
                globals(),
                locals(),
                sort="cumtime",
            )
            return
        result = send_invitations(meeting, actor=organiser, to="all")
        elapsed = time.perf_counter() - t0
    queued = OutboxMessage.objects.count() - before
    print(
        f"{connection.vendor}: queued {result.queued} personalised invitations (.ics each) for "
        f"{args.participants} participants in {elapsed:.2f} s ({result.queued / elapsed:.0f}/s), "
        f"{len(queries.captured_queries)} SQL statements; outbox rows written: {queued}"
    )


if __name__ == "__main__":
    main()
