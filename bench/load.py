"""Load test over HTTP: a real server, N clients, the hot paths against their floor (issue 17).

    .venv/bin/python bench/load.py                          # SQLite, 20 clients, 10 s per load
    .venv/bin/python bench/load.py --db postgresql          # a private PostgreSQL cluster
    .venv/bin/python bench/load.py --db both --clients 20 --seconds 20 --workers 2 --threads 1
    .venv/bin/python bench/load.py --db postgresql --workers 2,3 --threads 1,2   # four servers compared
    .venv/bin/python bench/load.py --database-url postgres://…/scratch   # an existing, empty database

For each database: a fresh data directory (and database), migrated; loaded with a meeting of
`--codes` invited guests (a sign-in code each), `--rooms` rooms in one building holding
`--bookings` confirmed bookings over two years. Then `meetops serve` is started with each
`--workers` × `--threads` pair in turn (a list compares them on the same data). With the first
server, `--serial` requests per path come from ONE client, one after the other: each path's
own cost with no queue (its p50 against the floor's p50 is the "× floor" of a request on its
own). Then, per server, these loads run for `--seconds` each with `--clients` threads
(keep-alive connections, one request at a time each), cut into `--rounds` windows in which
the loads take turns (floor, signin, booking, availability, floor, …): on a shared host
whose speed drifts from one ten-second stretch to the next, every load sees the same drift,
so the ratios to the floor stay fair (`--rounds 1`: one block per load, as before):

- floor:        GET /api/v1/me (token check and the caller's roles: what every API call costs)
- signin:       POST /api/v1/meetings/{id}/signins, a distinct code per request (201 expected)
- races:        `--races` times, every client posts the same fresh code at once: one 201, the rest 200
- booking:      POST /api/v1/meetings/{id}/bookings, a free hour per request (201 expected)
- availability: GET /api/v1/availability?building=…, one week of the building's rooms (200 expected)

Printed per load: requests, throughput, p50/p95/p99 latency, errors (any other status or a
failed connection), the fraction of the floor's throughput ("of floor") and the multiple of
its p50 ("× floor"; under a queue of `--clients` this mostly measures waiting, so read the
one-client table for a request's own cost), and the load average before and after; with
several servers, a comparison table. Then: sign-ins lost (201s the database does not hold),
races with other than one winner, and `meetops audit verify`. Each server gets its own codes,
race codes and free hours (`--codes 0`, the default: enough that no load runs out).
Stdlib only. The floor is measured in the same run, so the ratios survive a noisy machine
better than the absolute figures; read the load average before comparing runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from httpload import (  # noqa: E402
    MEETOPS,
    PYTHON,
    Client,
    Request,
    Result,
    run_load,
    run_races,
    server,
    server_env,
)

# --------------------------------------------------------------------------- seeding (child)


def seed(out: str, codes: int, races: int, rooms: int, bookings: int, slots: int) -> None:
    """Runs inside the configured environment: migrate, load the data, write what clients need."""
    import random
    from datetime import datetime, timedelta

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from seeding import seed_bookings  # bench/seeding.py

    from meetops.invitations.models import Invitation
    from meetops.meetings.models import Meeting, MeetingKind, Participant
    from meetops.people.models import User
    from meetops.people.services import create_api_token
    from meetops.venues.models import Building, Room, Site

    rng = random.Random(17)
    now = timezone.now().replace(microsecond=0)
    kind = MeetingKind.objects.first()
    organiser = User.objects.create(username="bench-organiser", is_active=True)
    _row, token = create_api_token(organiser, actor=None, name="bench")
    desk = Meeting.objects.create(
        title="Load test",
        kind=kind,
        start=now + timedelta(minutes=30),
        end=now + timedelta(hours=3),
        created_by=organiser,
    )
    people = Participant.objects.bulk_create(
        [Participant(meeting=desk, name=f"嘉宾{i}") for i in range(codes + races)],
        batch_size=2000,
    )
    invitations = Invitation.objects.bulk_create(
        [Invitation(participant=p, meeting=desk) for p in people], batch_size=2000
    )
    site = Site.objects.create(name="bench", time_zone="Asia/Shanghai")
    building = Building.objects.create(site=site, name="Bench building")
    room_rows = Room.objects.bulk_create(
        [
            Room(code=f"L{i:03d}", name=f"Room {i}", building=building, capacity=20)
            for i in range(rooms)
        ]
    )
    owners = Meeting.objects.bulk_create(
        [
            Meeting(
                title=f"M{i}",
                kind=kind,
                start=now,
                end=now + timedelta(hours=1),
                created_by=organiser,
            )
            for i in range(200)
        ]
    )
    tz = timezone.get_default_timezone()
    today = timezone.localdate()
    seed_bookings(
        room_rows,
        owners,
        per_room=min(bookings // max(rooms, 1), 730),
        first_day=today - timedelta(days=365),
        rng=rng,
        created_by=organiser,
    )
    # Free hours for the booking load: weekdays beyond the generated two years.
    booking_meeting = Meeting.objects.create(
        title="Booking load",
        kind=kind,
        start=now,
        end=now + timedelta(hours=1),
        created_by=organiser,
    )
    free: list[tuple[int, str, str]] = []
    day = today + timedelta(days=400)
    while len(free) < slots:
        day += timedelta(days=1)
        if day.isoweekday() > 5:
            continue
        for hour in range(9, 17):
            start = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
            for room in room_rows:
                free.append((room.pk, start.isoformat(), (start + timedelta(hours=1)).isoformat()))
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    week = datetime(monday.year, monday.month, monday.day, tzinfo=tz)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    Path(out).write_text(
        json.dumps(
            {
                "token": token,
                "desk_meeting": desk.pk,
                "codes": [i.checkin_code for i in invitations[:codes]],
                "race_codes": [i.checkin_code for i in invitations[codes:]],
                "building": building.pk,
                "week": [week.isoformat(), (week + timedelta(days=7)).isoformat()],
                "booking_meeting": booking_meeting.pk,
                "free": free[:slots],
            }
        )
    )


# --------------------------------------------------------------------------- one database


ME: Request = ("GET", "/api/v1/me", None)


def configs_of(args: argparse.Namespace) -> list[tuple[int, int]]:
    """Every (workers, threads) pair of `--workers 2,3 --threads 1,2`, in that order."""
    return [(w, t) for w in args.workers for t in args.threads]


def codes_needed(args: argparse.Namespace) -> int:
    """Enough distinct codes that no load runs out: the serial pass, then 1,000/s per config."""
    return args.codes or args.serial + len(configs_of(args)) * args.seconds * 1000


def bench_database(label: str, database_url: str | None, args: argparse.Namespace) -> None:
    from run import _free_port  # bench/run.py

    configs = configs_of(args)
    with tempfile.TemporaryDirectory(prefix="meetops-load-") as data_dir:
        env = server_env(data_dir)
        if database_url:
            env["DATABASE_URL"] = database_url
        seed_file = str(Path(data_dir) / "seed.json")
        per_config_slots = args.clients * args.seconds * 400  # more than any run can book
        slots = args.serial + len(configs) * per_config_slots
        t0 = time.perf_counter()
        subprocess.run(
            [
                PYTHON,
                __file__,
                "--seed",
                seed_file,
                "--codes",
                str(codes_needed(args)),
                "--races",
                str(args.races * len(configs)),
                "--rooms",
                str(args.rooms),
                "--bookings",
                str(args.bookings),
                "--slots",
                str(slots),
            ],
            env={**env, "DJANGO_SETTINGS_MODULE": "meetops.config.settings"},
            check=True,
        )
        data = json.loads(Path(seed_file).read_text())
        print(f"[{label}] loaded in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        codes, free = data["codes"], data["free"]
        race_codes = data["race_codes"]
        start, end = data["week"]
        paths = {
            "signins": f"/api/v1/meetings/{data['desk_meeting']}/signins",
            "bookings": f"/api/v1/meetings/{data['booking_meeting']}/bookings",
            "week": (
                f"/api/v1/availability?building={data['building']}"
                f"&start={start.replace('+', '%2B')}&end={end.replace('+', '%2B')}"
            ),
        }
        signed = 0
        races = bad_races = 0
        runs: list[tuple[tuple[int, int], list[Result]]] = []
        serial: list[Result] = []
        for i, (workers, threads) in enumerate(configs):
            port = _free_port()
            with server(env, port, workers, threads):
                if i == 0 and args.serial:
                    # One client, one request at a time: each path's own cost, no queue.
                    one = [Client(port, data["token"])]
                    run_load("warm-up", one, 2, lambda n: ME, frozenset({200}))
                    serial = loads(
                        one,
                        max(1, args.serial // args.rounds),
                        paths,
                        codes[: args.serial],
                        free[: args.serial],
                        rounds=args.rounds,
                    )
                    signed += serial[1].statuses.get(201, 0)
                clients = [Client(port, data["token"]) for _ in range(args.clients)]
                run_load("warm-up", clients, 2, lambda n: ME, frozenset({200}))
                first = args.serial + i * (len(codes) - args.serial) // len(configs)
                last = args.serial + (i + 1) * (len(codes) - args.serial) // len(configs)
                results = loads(
                    clients,
                    None,
                    paths,
                    codes[first:last],
                    free[args.serial + i * per_config_slots :][:per_config_slots],
                    seconds=args.seconds,
                    rounds=args.rounds,
                )
                signed += results[1].statuses.get(201, 0)
                done, bad = run_races(
                    clients,
                    data["desk_meeting"],
                    race_codes[i * args.races : (i + 1) * args.races],
                )
                races, bad_races = races + done, bad_races + bad
                runs.append(((workers, threads), results))
                if i == len(configs) - 1:
                    status, body = clients[0].call(
                        "GET", f"/api/v1/meetings/{data['desk_meeting']}/attendance", None
                    )
                    held = json.loads(body)["signed_in"] if status == 200 else -1
        verify = subprocess.run(
            [MEETOPS, "audit", "verify"], env=env, capture_output=True, text=True, check=False
        )
        if serial:
            print_serial(label, serial)
        for (workers, threads), results in runs:
            print_table(label, args, workers, threads, results)
        if len(runs) > 1:
            print_comparison(label, runs)
        print(
            f"\n{label}: sign-ins answered 201: {signed}, held by the database: {held - races} "
            f"(lost: {signed - (held - races)}); races: {races}, with other than one winner: "
            f"{bad_races}; `meetops audit verify`: exit {verify.returncode}"
            + (
                ""
                if verify.returncode == 0
                else f"\n{verify.stdout[-2000:]}{verify.stderr[-2000:]}"
            )
        )


def loads(
    clients: list[Client],
    count: int | None,
    paths: dict[str, str],
    codes: list[str],
    free: list[list],
    seconds: float = 3600,
    rounds: int = 1,
) -> list[Result]:
    """floor, signin, booking, availability: each `seconds` long in all, or `count` requests.

    With `rounds` > 1 each path's time is cut into that many windows and the paths take
    turns (floor, signin, booking, availability, floor, …), so a machine whose speed drifts
    (a shared host) slows every path alike and the ratios to the floor stay fair.
    """
    signin_next, booking_next = itertools.count(), itertools.count()

    def signin(_n: int) -> Request | None:
        n = next(signin_next)
        return ("POST", paths["signins"], {"code": codes[n]}) if n < len(codes) else None

    def booking(_n: int) -> Request | None:
        n = next(booking_next)
        if n >= len(free):
            return None
        return (
            "POST",
            paths["bookings"],
            dict(zip(("room_id", "start", "end"), free[n], strict=True)),
        )

    makers: list[tuple[str, Callable[[int], Request | None], frozenset[int]]] = [
        ("floor", lambda n: ME, frozenset({200})),
        ("signin", signin, frozenset({201})),
        ("booking", booking, frozenset({201})),
        ("availability", lambda n: ("GET", paths["week"], None), frozenset({200})),
    ]
    results: dict[str, Result] = {}
    for _round in range(rounds):
        for name, make, ok in makers:
            limited = make if count is None else (lambda n, m=make: m(n) if n < count else None)
            window = run_load(name, clients, seconds / rounds, limited, ok)
            results[name] = merged(results[name], window) if name in results else window
    return list(results.values())


def merged(a: Result, b: Result) -> Result:
    """One path's windows as one result: latencies and statuses together, time summed."""
    statuses = dict(a.statuses)
    for status, n in b.statuses.items():
        statuses[status] = statuses.get(status, 0) + n
    return Result(
        a.name,
        latencies=a.latencies + b.latencies,
        statuses=statuses,
        errors=a.errors + b.errors,
        seconds=a.seconds + b.seconds,
        load_before=a.load_before,
        load_after=b.load_after,
    )


def print_serial(label: str, results: list[Result]) -> None:
    floor = results[0]
    print(f"\n### {label}: one client, {floor.done} requests per path, one after the other\n")
    print(
        "| path | requests | p50 ms | p95 ms | errors | × floor (p50) | load avg before → after |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in results:
        times = r.pct(50) / floor.pct(50) if floor.pct(50) else 0
        print(
            f"| {r.name} | {r.done} | {r.pct(50):.2f} | {r.pct(95):.2f} | {r.errors} | "
            f"{times:.1f} | {r.load_before:.1f} → {r.load_after:.1f} |"
        )


def print_comparison(label: str, runs: list[tuple[tuple[int, int], list[Result]]]) -> None:
    print(f"\n### {label}: workers × threads compared (req/s; of floor)\n")
    print("| workers × threads | floor | signin | booking | availability | load avg |")
    print("|---|---|---|---|---|---|")
    for (workers, threads), results in runs:
        floor = results[0]
        cells = [f"{floor.rate:.0f}"] + [
            f"{r.rate:.0f} ({r.rate / floor.rate:.2f})" if floor.rate else "–" for r in results[1:]
        ]
        print(
            f"| {workers} × {threads} | {' | '.join(cells)} | "
            f"{floor.load_before:.1f} → {results[-1].load_after:.1f} |"
        )


def print_table(
    label: str, args: argparse.Namespace, workers: int, threads: int, results: list[Result]
) -> None:
    floor = results[0]
    print(
        f"\n### {label}: {args.clients} clients, {workers} workers × {threads} threads, "
        f"{args.seconds} s per load in {args.rounds} windows taking turns, {os.cpu_count()} cores\n"
    )
    print(
        "| load | requests | req/s | p50 ms | p95 ms | p99 ms | errors | of floor | × floor (p50) | load avg before → after |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        of_floor = r.rate / floor.rate if floor.rate else 0
        times = r.pct(50) / floor.pct(50) if floor.pct(50) else 0
        print(
            f"| {r.name} | {r.done} | {r.rate:.1f} | {r.pct(50):.1f} | {r.pct(95):.1f} | "
            f"{r.pct(99):.1f} | {r.errors} | {of_floor:.2f} | {times:.1f} | "
            f"{r.load_before:.1f} → {r.load_after:.1f} |"
        )
        if r.errors:
            print(f"|  ↳ statuses | {r.statuses} | | | | | | | | |")


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument(
        "--database-url", help="an existing, empty PostgreSQL database instead of a private cluster"
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--workers", type=_numbers, default=[2], help="server processes; several: 2,3"
    )
    parser.add_argument("--threads", type=_numbers, default=[1], help="threads each; several: 1,2")
    parser.add_argument(
        "--serial",
        type=int,
        default=200,
        help="requests per path from one client first, one after the other (0: none)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="each load's time in this many windows, the loads taking turns (1: one block each)",
    )
    parser.add_argument("--codes", type=int, default=0, help="sign-in codes (0: enough)")
    parser.add_argument("--races", type=int, default=10)
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=200_000)
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    parser.add_argument("--slots", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(args.seed, args.codes, args.races, args.rooms, args.bookings, args.slots)
        return
    sys.path.insert(0, str(HERE))
    from run import private_postgres

    print(f"load average at the start: {os.getloadavg()}", file=sys.stderr)
    if args.database_url:
        bench_database("postgresql", args.database_url, args)
        return
    if args.db in ("sqlite", "both"):
        bench_database("sqlite", None, args)
    if args.db in ("postgresql", "both"):
        with private_postgres() as url:
            if url is None:
                print("PostgreSQL skipped: no binaries under /usr/lib/postgresql", file=sys.stderr)
            else:
                bench_database("postgresql", url, args)
    print(f"load average at the end: {os.getloadavg()}", file=sys.stderr)


if __name__ == "__main__":
    main()
