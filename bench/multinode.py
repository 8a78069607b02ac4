"""Several nodes on loopback keep MeetOps's promises under load and a crash (issue 15, item 4).

    .venv/bin/python bench/multinode.py                 # defaults: a few minutes on 2 cores
    make multinode                                      # the same
    .venv/bin/python bench/multinode.py --clients 40 --seconds 60 --chaos-seconds 120 \\
        --mails 20000 --codes 20000 --workers 4 --threads 4      # a bigger run

Starts, all on 127.0.0.1 and under one temporary directory: a private PostgreSQL (bench/run.py),
Redis, an S3 server (moto's), an SMTP sink counting Message-IDs (deploy/smtp_sink.py), two
`meetops serve` nodes, two `meetops worker`s and one `meetops scheduler`, each with a data
directory of its own and configured by environment only, and a round-robin proxy
(bench/rrproxy.py) in front of the web nodes. The database is loaded as bench/load.py loads it
(sign-in codes, rooms, bookings), plus a meeting of `--mails` people with e-mail addresses and
a meeting with `--uploads` agenda items. Then, through the proxy, `--clients` threads send a
mixed load (bench/httpload.py): sign-ins, each code posted by `--racers` clients in a row;
bookings, each free hour asked for by `--racers` clients; the week's availability; GET
/api/v1/me; materials uploads (multipart). Phases:

1. `--seconds` with one web node behind the proxy, then `--seconds` with two: throughput
   and p95 per request type;
2. `--races` barrier races through both nodes: every client posts the same sign-in code at
   once, then every client books the same free hour at once;
3. chaos, `--chaos-seconds`: one invitation to the `--mails` people is queued through the
   proxy (the workers send it to the sink) while the mixed load runs; once a third of the
   mails reached the sink one worker is killed (SIGKILL, its whole process group), and a
   third of the way in one web node is;
4. the killed web node is started again (an operator's restart); every uploaded file is read
   back from each node directly; the outbox is left to settle (the dead worker's leases run
   out after MEETOPS_OUTBOX_LEASE_SECONDS, `--lease`).

Checked, and the exit status is 1 if any fails: no double booking (no two confirmed bookings of
one room overlap; no hour answered 201 twice), no double sign-in (one sign-in per person in the
database; one 201 per code, every answer naming the same sign-in), no acknowledged write lost,
every mail of the invitation sent exactly once (one copy at the sink) or held as unconfirmed
(at most one copy), no copy the outbox does not know, every file readable from both nodes with
the bytes uploaded, every periodic job's slot claimed once and finished (a second attempt only
where the killed worker held it), no 5xx answer, and no failed connection but those in flight
on the killed node (at most one per client, within seconds of the kill).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from httpload import (  # noqa: E402
    MEETOPS,
    PYTHON,
    Client,
    Raw,
    Request,
    Result,
    Step,
    race,
    run_load,
    run_mix,
    run_races,
    server_env,
    wait_healthy,
)
from run import _free_port, machine, private_postgres  # noqa: E402

KINDS = ["signin", "booking", "availability", "me", "upload"]
# One round of the mix: three sign-ins and two bookings for every upload.
MIX = ["signin", "booking", "me", "signin", "availability", "booking", "signin", "me", "upload"]
BUCKET = "meetops-bench"


# --------------------------------------------------------------------------- in the database (child)


def seed(out: str, args: argparse.Namespace) -> None:
    """bench/load.py's data, then an invitation's people, agenda items and a browser session."""
    import load  # bench/load.py: migrates and loads codes, rooms, bookings

    slots = args.clients * (2 * args.seconds + args.chaos_seconds) * 40 + args.races
    load.seed(out, args.codes, args.races, args.rooms, args.bookings, slots)
    data = json.loads(Path(out).read_text())

    from datetime import timedelta

    from django.conf import settings
    from django.test import Client as BrowserClient
    from django.utils import timezone

    from meetops.agenda.models import AgendaItem
    from meetops.meetings.models import Meeting, MeetingKind, Participant
    from meetops.people.models import User

    organiser = User.objects.get(username="bench-organiser")
    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    kind = MeetingKind.objects.first()
    invited = Meeting.objects.create(
        title="全体职工大会", kind=kind, start=start, end=start + timedelta(hours=2),
        created_by=organiser,
    )  # fmt: skip
    Participant.objects.bulk_create(
        [
            Participant(meeting=invited, name=f"参会人{i}", email=f"p{i}@example.org")
            for i in range(args.mails)
        ],
        batch_size=2000,
    )
    agenda = Meeting.objects.create(
        title="Materials", kind=kind, start=start, end=start + timedelta(hours=8),
        created_by=organiser,
    )  # fmt: skip
    items = AgendaItem.objects.bulk_create(
        [
            AgendaItem(meeting=agenda, order=i, title=f"Item {i}", duration_minutes=5)
            for i in range(args.uploads)
        ]
    )
    browser = BrowserClient()
    browser.force_login(organiser)
    data.update(
        invited_meeting=invited.pk,
        agenda_meeting=agenda.pk,
        items=[item.pk for item in items],
        session=f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}",
    )
    Path(out).write_text(json.dumps(data))


def check(out: str, facts_file: str) -> None:
    """After the load: wait for the outbox to settle, then read what the database holds."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from meetops.attendance.models import SignIn
    from meetops.core.models import JobSlot
    from meetops.notifications.models import OutboxMessage, Status
    from meetops.venues.models import Booking

    facts = json.loads(Path(facts_file).read_text())
    mails = OutboxMessage.objects.filter(meeting_id=facts["invited_meeting"])
    open_states = [Status.QUEUED, Status.SENDING, Status.FAILED]
    deadline = time.monotonic() + facts["drain_seconds"]
    while mails.filter(status__in=open_states).exists() and time.monotonic() < deadline:
        time.sleep(1)
    settled_at = time.time()
    outbox = {m.message_id: m.status for m in mails.only("uuid", "status")}
    every_message = [m.message_id for m in OutboxMessage.objects.only("uuid")]

    table = connection.ops.quote_name(Booking._meta.db_table)
    with connection.cursor() as cur:
        # Two confirmed bookings of one room that overlap, of which one was made during the run.
        cur.execute(
            f"SELECT count(*) FROM {table} a JOIN {table} b ON a.room_id = b.room_id "  # noqa: S608 - a table name
            "AND a.id <> b.id AND a.effective_start < b.effective_end "
            "AND b.effective_start < a.effective_end "
            "WHERE a.status = 'confirmed' AND b.status = 'confirmed' AND a.meeting_id = %s",
            [facts["booking_meeting"]],
        )
        overlapping = cur.fetchone()[0]
    signins = SignIn.objects.filter(meeting_id=facts["desk_meeting"])
    twice = signins.values("participant").annotate(n=Count("id")).filter(n__gt=1).count()
    since = datetime.fromisoformat(facts["started"])
    slots = [
        {"job": s.job, "slot": s.slot.isoformat(), "worker": s.worker, "attempts": s.attempts,
         "finished": s.finished_at is not None, "error": s.error[:200],
         "running": s.finished_at is None and s.lease_until > timezone.now()}
        for s in JobSlot.objects.filter(started_at__gte=since).order_by("job", "slot")
    ]  # fmt: skip
    Path(out).write_text(
        json.dumps(
            {
                "outbox": outbox,
                "settled_at": settled_at,
                "every_message": every_message,
                "overlapping_bookings": overlapping,
                "bookings": list(
                    Booking.objects.filter(meeting_id=facts["booking_meeting"]).values_list(
                        "pk", flat=True
                    )
                ),
                "signins": list(signins.values_list("pk", flat=True)),
                "signed_in_twice": twice,
                "job_slots": slots,
            }
        )
    )


# --------------------------------------------------------------------------- processes


@dataclass
class Cluster:
    """Every process of the run; stops them all, in reverse order, on leaving."""

    work: Path
    env: dict[str, str]
    procs: list[subprocess.Popen] = field(default_factory=list)

    def start(self, name: str, argv: list[str], **env: str) -> subprocess.Popen:
        log = (self.work / f"{name}.log").open("ab")
        # A session of its own: SIGKILL to the group takes gunicorn's workers too, as a
        # machine's crash would.
        proc = subprocess.Popen(
            argv, env={**self.env, **env}, stdout=log, stderr=log, start_new_session=True
        )
        self.procs.append(proc)
        return proc

    def node_env(self, name: str) -> dict[str, str]:
        """A data directory per process: nothing is shared but what the services hold."""
        data = self.work / name
        data.mkdir(exist_ok=True)
        return {"MEETOPS_DATA_DIR": str(data)}

    def kill(self, proc: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        for proc in reversed(self.procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(proc)


def read_port(proc: subprocess.Popen, log: Path) -> int:
    """The port a helper prints as its first line (its stdout is the log file)."""
    for _ in range(150):
        lines = log.read_text().split() if log.exists() else []
        if any(line.isdigit() for line in lines):
            return int(next(line for line in lines if line.isdigit()))
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError(f"{log.name}: no port\n{log.read_text() if log.exists() else ''}")


def start_services(cluster: Cluster) -> dict[str, str]:
    """Redis, the S3 server with its bucket, the SMTP sink: the settings that name them."""
    redis_port = _free_port()
    cluster.start(
        "redis",
        ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
         "--appendonly", "no", "--dir", str(cluster.work)],
    )  # fmt: skip
    s3_port = _free_port()
    cluster.start(
        "s3", [str(Path(PYTHON).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)]
    )
    endpoint = f"http://127.0.0.1:{s3_port}"
    for _ in range(150):
        with contextlib.suppress(OSError):
            create = urllib.request.Request(f"{endpoint}/{BUCKET}", method="PUT")  # noqa: S310 - local http
            urllib.request.urlopen(create, timeout=2)  # noqa: S310 - a local http URL
            break
        time.sleep(0.2)
    else:
        raise RuntimeError("the S3 server did not start")
    mail = cluster.work / "mail"
    mail.mkdir()
    sink = cluster.start(
        "smtp", [PYTHON, str(ROOT / "deploy" / "smtp_sink.py"), str(mail), "--ids"]
    )
    smtp_port = read_port(sink, cluster.work / "smtp.log")
    return {
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "MEETOPS_S3_BUCKET": BUCKET,
        "MEETOPS_S3_ENDPOINT_URL": endpoint,
        "MEETOPS_S3_ACCESS_KEY": "bench",
        "MEETOPS_S3_SECRET_KEY": "bench-secret",
        "MEETOPS_S3_REGION": "us-east-1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }


def sent_ids(cluster: Cluster) -> list[str]:
    path = cluster.work / "mail" / "message-ids.txt"
    return path.read_text().splitlines() if path.exists() else []


@contextlib.contextmanager
def proxy(cluster: Cluster, name: str, ports: list[int]) -> Iterator[int]:
    proc = cluster.start(name, [PYTHON, str(HERE / "rrproxy.py"), "0", *map(str, ports)])
    try:
        yield read_port(proc, cluster.work / f"{name}.log")
    finally:
        cluster.kill(proc)


# --------------------------------------------------------------------------- the load


@dataclass
class Ledger:
    """What the clients were told, to hold against what the database holds."""

    signins: dict[str, list[tuple[int, Any]]] = field(default_factory=lambda: defaultdict(list))
    bookings: dict[str, list[tuple[int, Any]]] = field(default_factory=lambda: defaultdict(list))
    uploads: dict[int, tuple[int, str]] = field(default_factory=dict)
    drops: list[float] = field(default_factory=list)
    server_errors: list[tuple[str, int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self, step: Step, status: int, body: bytes, finished: float) -> None:
        kind, (_method, path, payload), _ok = step
        answer = None
        if status in (200, 201) and kind in ("signin", "booking"):
            answer = json.loads(body)["id"]
        with self.lock:
            if status == 0:
                self.drops.append(finished)
            elif status >= 500:
                self.server_errors.append((kind, status, path))
            if kind == "signin" and isinstance(payload, dict):
                self.signins[payload["code"]].append((status, answer))
            elif kind == "booking" and isinstance(payload, dict):
                self.bookings[f"room {payload['room_id']} at {payload['start']}"].append(
                    (status, answer)
                )
            elif kind == "upload" and isinstance(payload, Raw):
                item = int(path.rsplit("/", 2)[-2])
                self.uploads[item] = (status, hashlib.sha256(upload_content(payload)).hexdigest())


BOUNDARY = "meetops-bench-boundary"


def multipart(item: int) -> Raw:
    content = f"materials of item {item}, {uuid.uuid4()}\n".encode() * 40
    data = (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="item-{item}.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    return Raw(data, f"multipart/form-data; boundary={BOUNDARY}")


def upload_content(raw: Raw) -> bytes:
    return raw.data.split(b"\r\n\r\n", 1)[1].rsplit(f"\r\n--{BOUNDARY}--".encode(), 1)[0]


class Mix:
    """make(n) for run_mix: the mixed load, with `racers` requests in a row for each code and hour."""

    def __init__(self, data: dict[str, Any], racers: int) -> None:
        self.data = data
        self.racers = racers
        self.counts: dict[str, int] = defaultdict(int)
        self.next_item = 0
        start, end = data["week"]
        self.week = (
            f"/api/v1/availability?building={data['building']}"
            f"&start={start.replace('+', '%2B')}&end={end.replace('+', '%2B')}"
        )
        # The barrier races take the last free hours; the mix the others.
        self.free = data["free"][: -len(data["race_codes"]) or None]

    def __call__(self, n: int) -> Step:
        kind = MIX[n % len(MIX)]
        if kind == "upload" and self.next_item >= len(self.data["items"]):
            kind = "me"
        i = self.counts[kind] // self.racers
        self.counts[kind] += 1
        if kind == "signin":
            codes = self.data["codes"]
            body = {"code": codes[i % len(codes)]}
            return (
                kind,
                ("POST", f"/api/v1/meetings/{self.data['desk_meeting']}/signins", body),
                OK_SIGNIN,
            )
        if kind == "booking":
            room, start, end = self.free[i % len(self.free)]
            body = {"room_id": room, "start": start, "end": end}
            path = f"/api/v1/meetings/{self.data['booking_meeting']}/bookings"
            return kind, ("POST", path, body), OK_BOOKING
        if kind == "availability":
            return kind, ("GET", self.week, None), OK
        if kind == "upload":
            item = self.data["items"][self.next_item]
            self.next_item += 1
            path = f"/api/v1/meetings/{self.data['agenda_meeting']}/agenda/items/{item}/materials"
            return kind, ("POST", path, multipart(item)), OK
        return kind, ("GET", "/api/v1/me", None), OK


OK = frozenset({200})
OK_SIGNIN = frozenset({200, 201})  # 200: the code was already signed in (a racer got there first)
OK_BOOKING = frozenset({201, 409})  # 409 booking_conflict: a racer got the hour first


# --------------------------------------------------------------------------- the run


def run(args: argparse.Namespace, database_url: str, work: Path) -> int:
    started = datetime.now(UTC)
    cluster = Cluster(work, server_env(str(work / "bench")))
    try:
        cluster.env.update(start_services(cluster))
        node_ports = [_free_port(), _free_port()]
        cluster.env.update(
            DATABASE_URL=database_url,
            MEETOPS_SITE_URL="http://127.0.0.1:8000",
            MEETOPS_WORKERS=str(args.workers),
            MEETOPS_THREADS=str(args.threads),
            MEETOPS_OUTBOX_LEASE_SECONDS=str(args.lease),
            MEETOPS_BACKUP_EVERY_HOURS="0",  # a backup of the whole bench is not what is measured
        )
        t0 = time.perf_counter()
        seed_file = work / "seed.json"
        subprocess.run(
            [PYTHON, __file__, "--seed", str(seed_file), *args.argv],
            env={
                **cluster.env,
                **cluster.node_env("seed"),
                "DJANGO_SETTINGS_MODULE": "meetops.config.settings",
            },
            check=True,
        )
        data = json.loads(seed_file.read_text())
        say(f"migrated and loaded in {time.perf_counter() - t0:.0f} s")

        cluster.start("scheduler", [MEETOPS, "scheduler"], **cluster.node_env("scheduler"))
        cluster.start("worker1", [MEETOPS, "worker"], **cluster.node_env("worker1"))
        worker2 = cluster.start("worker2", [MEETOPS, "worker"], **cluster.node_env("worker2"))

        def web(name: str, port: int) -> subprocess.Popen:
            return cluster.start(name, [MEETOPS, "serve"], PORT=str(port), **cluster.node_env(name))

        web("web1", node_ports[0])
        web2 = web("web2", node_ports[1])
        for port in node_ports:
            wait_healthy(port)
        ledger = Ledger()
        mix = Mix(data, args.racers)
        clients = [Client(0, data["token"]) for _ in range(args.clients)]
        phases: dict[str, dict[str, Result]] = {}
        with proxy(cluster, "proxy-warm-up", node_ports) as port:
            # Each server process's first requests pay for imports and connections.
            for client in clients:
                client.port = port
            run_load("warm-up", clients, 3, lambda n: ("GET", "/api/v1/me", None), OK)
        for label, ports in (("1 web node", node_ports[:1]), ("2 web nodes", node_ports)):
            with proxy(cluster, f"proxy-{len(ports)}", ports) as port:
                for client in clients:
                    client.port = port
                say(f"{label}: {args.seconds} s of mixed load, {args.clients} clients")
                phases[label] = run_mix(clients, args.seconds, mix, KINDS, ledger.seen)

        with proxy(cluster, "proxy", node_ports) as port:
            for client in clients:
                client.port = port
            say(f"barrier races through both nodes: {args.races} sign-in codes, {args.races} hours")
            signin_races, bad_signin_races = run_races(
                clients, data["desk_meeting"], data["race_codes"]
            )
            bad_booking_races = 0
            for room, start, end in data["free"][-len(data["race_codes"]) :]:
                request: Request = (
                    "POST",
                    f"/api/v1/meetings/{data['booking_meeting']}/bookings",
                    {"room_id": room, "start": start, "end": end},
                )
                statuses = sorted(status for status, _body in race(clients, request))
                if statuses != [201] + [409] * (len(clients) - 1):
                    bad_booking_races += 1

            say(
                f"chaos: an invitation to {args.mails}, {args.chaos_seconds} s of mixed load, kills"
            )
            t_invite = time.perf_counter()
            invited_at = time.time()
            status, body = clients[0].call(
                "POST", f"/api/v1/meetings/{data['invited_meeting']}/invitations", {"to": "all"}
            )
            invite_seconds = time.perf_counter() - t_invite
            if status != 202:
                raise RuntimeError(f"the invitation was answered {status}: {body[:500]!r}")
            kills: dict[str, float] = {}
            chaos_start = time.perf_counter()

            def chaos() -> None:
                deadline = chaos_start + args.chaos_seconds / 2
                while len(sent_ids(cluster)) < args.mails // 3 and time.perf_counter() < deadline:
                    time.sleep(0.2)
                kills["worker"] = time.perf_counter()
                kills["worker_mails_at_sink"] = len(sent_ids(cluster))
                cluster.kill(worker2)
                time.sleep(max(0.0, chaos_start + args.chaos_seconds / 3 - time.perf_counter()))
                kills["web"] = time.perf_counter()
                cluster.kill(web2)

            killer = threading.Thread(target=chaos)
            killer.start()
            phases["chaos (2 → 1 web nodes)"] = run_mix(
                clients, args.chaos_seconds, mix, KINDS, ledger.seen
            )
            killer.join()
            at_sink = len(sent_ids(cluster))
            mail_seconds = time.perf_counter() - t_invite

        say("restarting the killed web node; reading every file back from both nodes")
        web("web2-restarted", node_ports[1])
        wait_healthy(node_ports[1])
        files = read_back(data, node_ports, ledger)

        say(f"waiting for the outbox to settle (leases of {args.lease} s)")
        facts = work / "facts.json"
        facts.write_text(
            json.dumps(
                {**data, "started": started.isoformat(), "drain_seconds": args.drain_seconds}
            )
        )
        found_file = work / "found.json"
        subprocess.run(
            [PYTHON, __file__, "--check", str(found_file), "--facts", str(facts)],
            env={
                **cluster.env,
                **cluster.node_env("check"),
                "DJANGO_SETTINGS_MODULE": "meetops.config.settings",
            },
            check=True,
        )
        found = json.loads(found_file.read_text())
        problems, figures = judge(args, ledger, found, sent_ids(cluster), files, kills, worker2.pid)
        problems += (
            [f"sign-in races with other than one winner: {bad_signin_races} of {signin_races}"]
            if bad_signin_races
            else []
        )
        problems += (
            [f"booking races with other than one 201: {bad_booking_races} of {args.races}"]
            if bad_booking_races
            else []
        )
        figures["invitation"] = (
            f"{args.mails} mails queued by one request in {invite_seconds:.1f} s; {at_sink} at the "
            f"sink {mail_seconds:.0f} s later ({at_sink / mail_seconds:.0f}/s, under the mixed "
            "load, two workers, then one); the outbox settled "
            f"{found['settled_at'] - invited_at:.0f} s after queueing"
        )
        report(args, phases, figures, problems)
        return 1 if problems else 0
    finally:
        cluster.stop()


def read_back(data: dict[str, Any], ports: list[int], ledger: Ledger) -> dict[str, Any]:
    """Every uploaded file from each node directly: (items read, problems)."""
    readers = [Client(port, data["token"], {"Cookie": data["session"]}) for port in ports]
    problems: list[str] = []
    read = 0
    for item, (status, digest) in sorted(ledger.uploads.items()):
        path = f"/meetings/{data['agenda_meeting']}/agenda/items/{item}/materials/"
        answers = []
        for reader in readers:
            reader.reset()  # a node closes a connection idle for 2 s (gunicorn's keep-alive)
            answers.append(reader.call("GET", path, None))
        bodies = {hashlib.sha256(body).hexdigest() for _status, body in answers}
        statuses = [s for s, _b in answers]
        if status == 200 and (statuses != [200, 200] or bodies != {digest}):
            problems.append(
                f"item {item}: uploaded (200), read back {statuses}, same bytes: {bodies == {digest}}"
            )
        elif status != 200 and len(bodies) != 1:
            # The answer was lost (the node died): whatever is stored, both nodes must agree.
            problems.append(
                f"item {item}: upload answered {status}; the nodes disagree ({statuses})"
            )
        read += statuses == [200, 200]
    return {
        "read": read,
        "uploaded": sum(s == 200 for s, _d in ledger.uploads.values()),
        "problems": problems,
    }


def judge(
    args: argparse.Namespace,
    ledger: Ledger,
    found: dict[str, Any],
    sink: list[str],
    files: dict[str, Any],
    kills: dict[str, float],
    killed_worker_pid: int,
) -> tuple[list[str], dict[str, str]]:
    """What the clients were told and what the sink got, against what the database holds."""
    problems: list[str] = list(files["problems"])
    # Sign-ins: one 201 per code at most, every answer naming one sign-in, each one held.
    held = set(found["signins"])
    for code, answers in ledger.signins.items():
        created = [a for s, a in answers if s == 201]
        ids = {a for s, a in answers if s in (200, 201)}
        if len(created) > 1 or len(ids) > 1:
            problems.append(f"code {code}: answered {answers}")
        if ids - held:
            problems.append(f"code {code}: sign-in {ids - held} acknowledged but not held")
    if found["signed_in_twice"]:
        problems.append(f"{found['signed_in_twice']} people signed in twice")
    # Bookings: one 201 per hour at most, each one held, no overlap in the database.
    booked = set(found["bookings"])
    for slot, answers in ledger.bookings.items():
        created = [a for s, a in answers if s == 201]
        if len(created) > 1:
            problems.append(f"hour {slot}: booked {len(created)} times: {answers}")
        if set(created) - booked:
            problems.append(
                f"hour {slot}: booking {set(created) - booked} acknowledged but not held"
            )
    if found["overlapping_bookings"]:
        problems.append(f"{found['overlapping_bookings']} overlapping confirmed bookings")
    # Mail: each sent once, or held unconfirmed with at most one copy; nothing unknown.
    copies: dict[str, int] = defaultdict(int)
    for message_id in sink:
        copies[message_id] += 1
    outbox: dict[str, str] = found["outbox"]
    states: dict[str, int] = defaultdict(int)
    for message_id, state in outbox.items():
        states[state] += 1
        n = copies.get(message_id, 0)
        if (state == "sent" and n != 1) or (state == "unconfirmed" and n > 1):
            problems.append(f"{message_id}: {state}, {n} copies at the sink")
        elif state not in ("sent", "unconfirmed"):
            problems.append(f"{message_id}: still {state}")
    if len(outbox) != args.mails:
        problems.append(f"the invitation queued {len(outbox)} mails, not {args.mails}")
    unknown = set(copies) - set(found["every_message"])
    if unknown:
        problems.append(f"{len(unknown)} messages at the sink the outbox does not know")
    # Periodic jobs: each slot claimed once (the database's unique constraint) and finished.
    # The killed worker ran at most one job when it died: that slot may be left to its lease,
    # or taken over (a second attempt); any other second attempt means a job ran twice.
    runs: dict[str, int] = defaultdict(int)
    again = [s for s in found["job_slots"] if s["attempts"] > 1]
    for slot in found["job_slots"]:
        runs[slot["job"]] += 1
        killed = f":{killed_worker_pid}:" in slot["worker"]
        if not slot["finished"] and not killed and not slot["running"]:
            problems.append(
                f"job slot {slot['job']} @ {slot['slot']} never finished ({slot['worker']})"
            )
        if slot["error"]:
            problems.append(f"job slot {slot['job']} @ {slot['slot']} failed: {slot['error']}")
    if len(again) > 1:
        problems.append(f"{len(again)} job slots run more than once: {again[:5]}")
    # Errors: no 5xx; failed connections only in flight on the killed node.
    if ledger.server_errors:
        problems.append(f"{len(ledger.server_errors)} server errors: {ledger.server_errors[:5]}")
    web_kill = kills.get("web", 0.0)
    stray = [t for t in ledger.drops if not web_kill <= t <= web_kill + 10]
    if stray or len(ledger.drops) > args.clients:
        problems.append(f"{len(ledger.drops)} failed connections, {len(stray)} away from the kill")
    figures = {
        "mail": f"{len(outbox)} in the outbox: "
        + ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
        + f"; {len(sink)} copies at the sink, {sum(1 for n in copies.values() if n > 1)} duplicated;"
        f" worker killed with {kills.get('worker_mails_at_sink', 0)} at the sink",
        "sign-ins": f"{len(ledger.signins)} codes posted in the mix, {len(held)} held "
        "(with the barrier races'), "
        f"{found['signed_in_twice']} people twice",
        "bookings": f"{len(ledger.bookings)} hours asked for in the mix, {len(booked)} booked "
        "(with the barrier races'), "
        f"{found['overlapping_bookings']} overlaps",
        "files": f"{files['uploaded']} uploads acknowledged, {files['read']} read back from both nodes",
        "jobs": ", ".join(f"{job} {n}" for job, n in sorted(runs.items())) + " slots run",
        "errors": f"{len(ledger.server_errors)} 5xx; {len(ledger.drops)} dropped connections "
        "(in flight on the killed node)",
    }
    return problems, figures


def say(text: str) -> None:
    print(f"[multinode {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def report(
    args: argparse.Namespace,
    phases: dict[str, dict[str, Result]],
    figures: dict[str, str],
    problems: list[str],
) -> None:
    about = machine()
    print(
        f"\n### Several nodes: {args.clients} clients, web nodes of {args.workers} workers × "
        f"{args.threads} threads, {about['nproc']} cores, {about['date']}, "
        f"load average now {os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| phase | request | requests | req/s | p50 ms | p95 ms | errors | load avg before → after |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for phase, results in phases.items():
        for kind in KINDS:
            r = results[kind]
            print(
                f"| {phase} | {kind} | {r.done} | {r.rate:.1f} | {r.pct(50):.0f} | {r.pct(95):.0f} | "
                f"{r.errors} | {r.load_before:.1f} → {r.load_after:.1f} |"
            )
        total = sum(r.done for r in results.values())
        seconds = next(iter(results.values())).seconds
        print(f"| {phase} | all | {total} | {total / seconds:.1f} | | | | |")
    print()
    for name, text in figures.items():
        print(f"- {name}: {text}")
    print(f"\n{'PASSED' if not problems else 'FAILED'}: {len(problems)} problems")
    for problem in problems[:50]:
        print(f"  - {problem}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--seconds", type=int, default=15, help="per throughput phase")
    parser.add_argument("--chaos-seconds", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes per web node")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn process")
    parser.add_argument("--mails", type=int, default=5000, help="people invited")
    parser.add_argument("--uploads", type=int, default=200, help="agenda items to upload to")
    parser.add_argument("--codes", type=int, default=3000)
    parser.add_argument(
        "--racers", type=int, default=2, help="requests per code and per hour in the mix"
    )
    parser.add_argument("--races", type=int, default=5, help="barrier races of each kind")
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--bookings", type=int, default=20_000)
    parser.add_argument("--lease", type=int, default=15, help="MEETOPS_OUTBOX_LEASE_SECONDS")
    parser.add_argument(
        "--drain-seconds", type=int, default=180, help="the outbox's time to settle"
    )
    parser.add_argument("--database-url", help="an existing, empty PostgreSQL database")
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    parser.add_argument("--check", help=argparse.SUPPRESS)
    parser.add_argument("--facts", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.seed:
        seed(args.seed, args)
        return 0
    if args.check:
        check(args.check, args.facts)
        return 0
    say(f"load average at the start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="meetops-multinode-") as work:
        if args.database_url:
            return run(args, args.database_url, Path(work))
        with private_postgres() as url:
            if url is None:
                say("no PostgreSQL binaries under /usr/lib/postgresql")
                return 2
            return run(args, url, Path(work))


if __name__ == "__main__":
    sys.exit(main())
