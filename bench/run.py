"""`make bench`: run every benchmark in sequence (audit chain, venues, invitations, notifications, the outbox window).

`bench/run.py --only audit` (or venues, invitations, notifications, window; repeatable) runs a subset;
each `bench/*.py` also runs alone (see docs/benchmarks.md). The others are started as
subprocesses with their default sizes; they take minutes (venues loads 200,000 bookings).

The audit chain benchmark:

SQLite runs in a fresh data directory (WAL, IMMEDIATE transactions, as shipped).
PostgreSQL runs on `BENCH_DATABASE_URL` if set; otherwise a throwaway cluster is
started from the Debian binaries (/usr/lib/postgresql/*/bin) on a free port and
removed afterwards; without either, PostgreSQL is skipped.

Figures go to bench/results/audit-chain.json and are printed as a Markdown
table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable


def machine() -> dict[str, str]:
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.0f} GiB"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "nproc": str(os.cpu_count()),
        "ram": ram,
        "cpu": cpu,
        "python": platform.python_version(),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def private_postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL cluster on a free port, or None if there are no binaries."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        yield None
        return
    bindir = bins[-1].parent
    work = Path(tempfile.mkdtemp(prefix="meetops-bench-pg-"))
    as_pg: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(work, "postgres", "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = work / "data"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    subprocess.run(
        [*as_pg, str(bindir / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres"], **quiet
    )
    subprocess.run(
        [
            *as_pg,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(work / "log"),
            "-o",
            f"-p {port} -k {work} -c listen_addresses=127.0.0.1",
            "start",
        ],
        **quiet,
    )
    try:
        subprocess.run(
            [
                *as_pg,
                str(bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "meetops_bench",
            ],
            **quiet,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/meetops_bench"
    finally:
        subprocess.run(
            [*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(work, ignore_errors=True)


def workload(database_url: str | None, threads: int, writes: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="meetops-bench-") as data_dir:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("MEETOPS_", "DATABASE_URL"))
        }
        env.update(MEETOPS_DEBUG="1", MEETOPS_DATA_DIR=data_dir, MEETOPS_LOG_LEVEL="WARNING")
        if database_url:
            env["DATABASE_URL"] = database_url
        began = time.monotonic()
        out = subprocess.run(
            [
                PYTHON,
                str(HERE / "audit_chain.py"),
                "--threads",
                str(threads),
                "--writes",
                str(writes),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=1800,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        result["total_seconds"] = round(time.monotonic() - began, 1)
        return result


def table(results: list[dict]) -> str:
    lines = [
        "| database | scenario | threads × writes | writes/s | p50 ms | p95 ms | errors | lost | chain breaks |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for name in ("serial", "different", "same"):
            s = r[name]
            shape = (
                f"1 × {s['writes']}"
                if name == "serial"
                else f"{r['threads']} × {r['writes_per_thread']}"
            )
            lines.append(
                f"| {r['vendor']} | {name} | {shape} | {s['writes_per_s']} | {s['p50_ms']} | {s['p95_ms']} "
                f"| {s['errors']} | {s['lost_entries']} | {r['chain_breaks']} |"
            )
    return "\n".join(lines)


SUITES = ("audit", "venues", "invitations", "notifications", "window")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=SUITES, help="run only this benchmark")
    parser.add_argument("--threads", type=int, default=4, help="audit: writer threads")
    parser.add_argument("--writes", type=int, default=100, help="audit: updates per thread")
    args = parser.parse_args()
    failed = 0
    for suite in args.only or SUITES:
        print(f"\n## {suite}\n", flush=True)
        if suite == "audit":
            failed |= audit_chain(args.threads, args.writes)
        elif suite == "window":  # the outbox's ambiguous window: SQLite, then PostgreSQL if given
            pg_url = os.environ.get("BENCH_DATABASE_URL")
            for extra in [[], ["--database-url", pg_url]] if pg_url else [[]]:
                script = [PYTHON, str(HERE / "outbox_window.py"), *extra]
                failed |= subprocess.run(script, check=False).returncode != 0
        else:
            failed |= (
                subprocess.run([PYTHON, str(HERE / f"{suite}.py")], check=False).returncode != 0
            )
    return 1 if failed else 0


def audit_chain(threads: int, writes: int) -> int:
    """The audit chain on SQLite, then PostgreSQL; 1 if an entry was lost or a chain broke."""
    args = argparse.Namespace(threads=threads, writes=writes)
    results = [workload(None, args.threads, args.writes)]
    pg_url = os.environ.get("BENCH_DATABASE_URL")
    with contextlib.nullcontext(pg_url) if pg_url else private_postgres() as url:
        if url:
            results.append(workload(url, args.threads, args.writes))
        else:
            print(
                "PostgreSQL skipped: set BENCH_DATABASE_URL or install postgresql", file=sys.stderr
            )

    report = {"machine": machine(), "results": results}
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "audit-chain.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    m = report["machine"]
    print(f"{m['date']} · {m['nproc']} cores · {m['ram']} · {m['cpu']} · Python {m['python']}\n")
    print(table(results))
    failed = any(
        r["chain_breaks"]
        or any(r[s]["errors"] or r[s]["lost_entries"] for s in ("serial", "different", "same"))
        for r in results
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
