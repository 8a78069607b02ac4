"""Room booking benchmark: 500 rooms, 200,000 bookings over two years.

    .venv/bin/python bench/venues.py            # temp SQLite; plus PostgreSQL if DATABASE_URL is one

Measures server time (in-process, no network):
- a week's availability of one building (50 rooms): the selector, and the full week-grid page;
- a booking write (checks, lock, insert, audit entry);
- suggestions for 20 participants over 10 working days across all 500 rooms.
Prints a Markdown table; the figures go into docs/benchmarks.md (## Venues).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOMS, BUILDINGS, BOOKINGS, PEOPLE = 500, 10, 200_000, 20
TARGETS = {"availability": 50, "grid_page": None, "write": 20, "suggestions": 1000}


def child() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from seeding import seed_bookings  # bench/seeding.py

    from meetops.meetings.models import Meeting, MeetingKind, Participant
    from meetops.people.models import Role, RoleAssignment, User
    from meetops.venues.models import Booking, Building, Facility, Room, Site
    from meetops.venues.selectors import busy_by_room
    from meetops.venues.services.booking import book_room
    from meetops.venues.suggestions import suggest_slots

    rng = random.Random(42)
    tz = timezone.get_default_timezone()
    t0 = time.perf_counter()
    admin = User.objects.create(username="bench-admin", is_superuser=True, is_staff=True)
    RoleAssignment.objects.create(user=admin, role=Role.ADMIN)
    people = User.objects.bulk_create([User(username=f"p{i}") for i in range(PEOPLE)])
    site = Site.objects.create(name="bench", time_zone="Asia/Shanghai")
    buildings = Building.objects.bulk_create(
        [Building(site=site, name=f"B{i}", order=i) for i in range(BUILDINGS)]
    )
    rooms = Room.objects.bulk_create(
        [
            Room(
                code=f"R{i:04d}",
                name=f"Room {i}",
                building=buildings[i % BUILDINGS],
                capacity=rng.choice([6, 8, 10, 12, 20, 40, 100]),
            )
            for i in range(ROOMS)
        ]
    )
    projector = Facility.objects.get(code="projector")
    Room.facilities.through.objects.bulk_create(
        [
            Room.facilities.through(room_id=r.pk, facility_id=projector.pk)
            for r in rooms
            if rng.random() < 0.6
        ]
    )
    kind = MeetingKind.objects.first()
    today = timezone.localdate()
    first_day = today - timedelta(days=365)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                title=f"M{i}",
                kind=kind,
                start=timezone.now(),
                end=timezone.now() + timedelta(hours=1),
                created_by=admin,
            )
            for i in range(2000)
        ]
    )
    seed_bookings(
        rooms,
        meetings,
        per_room=BOOKINGS // ROOMS,
        first_day=first_day,
        rng=rng,
        created_by=admin,
        half_hours=True,
    )
    # The 20 participants: about three meetings each per working day over the next two weeks.
    window_first = today + timedelta(days=1)
    busy_meetings = []
    for d in range(14):
        day = window_first + timedelta(days=d)
        for _ in range(40):
            start = datetime(
                day.year, day.month, day.day, rng.randint(9, 16), rng.choice([0, 30]), tzinfo=tz
            )
            busy_meetings.append(
                Meeting(
                    title="busy",
                    kind=kind,
                    start=start,
                    end=start + timedelta(hours=1),
                    created_by=admin,
                )
            )
    busy_meetings = Meeting.objects.bulk_create(busy_meetings)
    Participant.objects.bulk_create(
        [Participant(meeting=m, user=u) for m in busy_meetings for u in rng.sample(people, 2)]
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    setup_seconds = time.perf_counter() - t0

    def timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
        fn()  # warm up
        samples = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t) * 1000)
        return round(statistics.median(samples), 2)

    building = buildings[3]
    room_ids = list(Room.objects.filter(building=building).values_list("pk", flat=True))
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    week_start = datetime(monday.year, monday.month, monday.day, tzinfo=tz)
    availability = timed(
        lambda: busy_by_room(admin, room_ids, week_start, week_start + timedelta(days=7)), 20
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)

    def grid() -> None:
        response = client.get(
            f"/venues/buildings/{building.pk}/grid", {"date": monday.isoformat(), "view": "week"}
        )
        assert response.status_code == 200 and b"roomgrid" in response.content, response.status_code

    grid_page = timed(grid, 10)

    meeting = meetings[0]
    free_room = rooms[7]
    slots = iter(range(10_000))

    def write() -> None:
        n = next(slots)
        day = today + timedelta(days=800 + n)  # beyond the generated two years: always free
        start = datetime(day.year, day.month, day.day, 10, tzinfo=tz)
        book_room(
            free_room, meeting=meeting, start=start, end=start + timedelta(hours=1), actor=admin
        )

    booking_write = timed(write, 50)
    suggestions = timed(
        lambda: suggest_slots(
            required=people[:10],
            optional=people[10:],
            duration=timedelta(hours=1),
            window=(window_first, window_first + timedelta(days=13)),
            capacity=10,
            facilities=["projector"],
            actor=admin,
        ),
        5,
    )
    print(
        "RESULT"
        + json.dumps(
            {
                "database": connection.vendor,
                "bookings": Booking.objects.count(),
                "rooms": Room.objects.count(),
                "setup_seconds": round(setup_seconds, 1),
                "availability": availability,
                "grid_page": grid_page,
                "write": booking_write,
                "suggestions": suggestions,
            }
        )
    )


def run(database_url: str, data_dir: str) -> dict[str, object]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEETOPS_DATA_DIR": data_dir,
        "MEETOPS_DEBUG": "1",
        "MEETOPS_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "meetops.config.settings",
        "VENUES_BENCH_CHILD": "1",
    }
    done = subprocess.run(
        [sys.executable, __file__], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(done.stderr[-4000:])
    return json.loads(done.stdout.split("RESULT", 1)[1])


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory(prefix="venues-bench-") as tmp:
        results.append(run(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", tmp))
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            import psycopg

            # Named after the caller's database, so two worktrees can run it side by side.
            name = f"{urlparse(url).path.lstrip('/') or 'meetops'}_bench_venues"
            admin_url = urlparse(url)._replace(path="/postgres").geturl()
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                results.append(run(urlparse(url)._replace(path=f"/{name}").geturl(), tmp))
            finally:
                with psycopg.connect(admin_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(
        f"\nVenues benchmark, {date.today()}: {ROOMS} rooms, {BOOKINGS:,} bookings over two years (median, ms)\n"
    )
    print("| measure | target | " + " | ".join(str(r["database"]) for r in results) + " |")
    print("|---|---|" + "---|" * len(results))
    labels = {
        "availability": "week availability, one building (50 rooms)",
        "grid_page": "week grid page of that building (full render)",
        "write": "booking write",
        "suggestions": "suggestions, 20 people, 10 working days, 500 rooms",
    }
    for key, label in labels.items():
        target = f"< {TARGETS[key]} ms" if TARGETS[key] else "—"
        print(f"| {label} | {target} | " + " | ".join(f"{r[key]} ms" for r in results) + " |")


if __name__ == "__main__":
    if os.environ.get("VENUES_BENCH_CHILD"):
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        child()
    else:
        main()
