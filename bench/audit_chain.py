"""Workload: concurrent meeting updates, each appending to its meeting's audit hash chain.

Run by `bench/run.py` in a fresh process per database (it sets DATABASE_URL and
MEETOPS_DATA_DIR); prints one JSON document. Scenarios:

- serial: one thread, THREADS×WRITES updates round-robin over THREADS meetings (baseline);
- different: THREADS threads, each updating its own meeting (separate streams);
- same: THREADS threads all updating one meeting (one stream, one row lock).

Every scenario ends with `audit verify`; a break or a lost entry fails the run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meetops.config.settings")
os.environ.setdefault("MEETOPS_DEBUG", "1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetops.core import audit  # noqa: E402
from meetops.core.models import AuditEntry  # noqa: E402
from meetops.meetings import services  # noqa: E402
from meetops.meetings.models import Meeting, MeetingKind  # noqa: E402
from meetops.people.services import create_user  # noqa: E402


def _meetings(actor, count: int, label: str) -> list[int]:
    start = timezone.now() + timedelta(days=7)
    kind = MeetingKind.objects.get(code="regular")
    return [
        services.create_meeting(
            actor=actor,
            title=f"{label} {n}",
            kind=kind,
            start=start,
            end=start + timedelta(hours=1),
        ).pk
        for n in range(count)
    ]


def _run(actor, meeting_ids: list[int], threads: int, writes: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work(n: int) -> None:
        mine: list[float] = []
        try:
            barrier.wait()
            for i in range(writes):
                # One thread walks round the meetings; several threads keep to one each.
                pk = meeting_ids[(i if threads == 1 else n) % len(meeting_ids)]
                began = time.perf_counter()
                services.update_meeting(
                    Meeting.objects.get(pk=pk), actor=actor, goals=f"t{n} w{i} {began}"
                )
                mine.append(time.perf_counter() - began)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)

    began = time.perf_counter()
    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "writes": len(latencies),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "seconds": round(elapsed, 3),
        "writes_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--writes", type=int, default=100, help="updates per thread")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    actor = create_user(username=f"bench-{time.time_ns()}", actor=None, roles=["organiser"])
    results = {
        "vendor": connection.vendor,
        "threads": args.threads,
        "writes_per_thread": args.writes,
    }
    total = args.threads * args.writes
    scenarios = {
        "serial": (_meetings(actor, args.threads, "serial"), 1, total),
        "different": (_meetings(actor, args.threads, "different"), args.threads, args.writes),
        "same": (_meetings(actor, 1, "same"), args.threads, args.writes),
    }
    for name, (ids, threads, writes) in scenarios.items():
        before = AuditEntry.objects.filter(action="meetings.meeting.updated").count()
        results[name] = _run(actor, ids, threads, writes)
        recorded = AuditEntry.objects.filter(action="meetings.meeting.updated").count() - before
        results[name]["lost_entries"] = results[name]["writes"] - recorded
    _checked, breaks = audit.verify()
    results["chain_breaks"] = len(breaks)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
