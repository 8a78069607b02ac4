"""CPU per request of the hot paths, in-process, against the floor (issue 17).

    .venv/bin/python bench/profile_paths.py                    # SQLite
    .venv/bin/python bench/profile_paths.py --db both          # and a private PostgreSQL cluster
    .venv/bin/python bench/profile_paths.py --top 25 --only signin

Why: on a saturated 2-core box the throughput of a path is about the cores divided by the
CPU one request costs (the application's plus, on PostgreSQL, the server backend's), so the
ratio of CPU per request to the floor's (`GET /api/v1/me`) predicts the ratio `bench/load.py`
measures, and it is far less sensitive to other jobs on the machine than wall-clock rates.

The same data as `bench/load.py` (its `seed`) is loaded into a fresh database; then every
request goes through Django's WSGI handler in this process (the whole middleware stack, no
socket), `--requests` times per path after a warm-up. Printed per path: application CPU ms
per request (`time.process_time`), the PostgreSQL backend's CPU per request (from
/proc/<pid>/stat of the connection's backend), statements per request, the ratio to the
floor, and the top functions by cumulative time from a cProfile pass.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
PATHS = ("floor", "signin", "booking", "availability")


def _environ(method: str, path: str, token: str, body: dict | None) -> dict[str, Any]:
    path, _, query = path.partition("?")
    payload = json.dumps(body).encode() if body is not None else b""
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(payload)),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(payload),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _backend_cpu(pid: int | None) -> float:
    """CPU seconds the database server's backend process has used (0 without one)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _statements_of(request: Callable[[], None]) -> list[str]:
    """The statements one request sends (the debug query log is cleared at every request start)."""
    from django.db import connection

    sent: list[str] = []

    def wrapper(execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append(sql[:160])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        request()
    return sent


def child(args: argparse.Namespace) -> None:
    """Runs inside the configured environment: load the data, then time each path."""
    sys.path.insert(0, str(HERE))
    from load import seed  # bench/load.py: the same data as the load test

    seed_file = Path(os.environ["MEETOPS_DATA_DIR"]) / "seed.json"
    need = args.requests * (args.repeat + 1) + args.warmup + 10
    seed(str(seed_file), need, 0, args.rooms, args.bookings, need)
    data = json.loads(seed_file.read_text())

    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    app = get_wsgi_application()
    token = data["token"]
    codes: Iterator[str] = iter(data["codes"])
    free: Iterator[list] = iter(data["free"])
    signins = f"/api/v1/meetings/{data['desk_meeting']}/signins"
    bookings = f"/api/v1/meetings/{data['booking_meeting']}/bookings"
    start, end = (t.replace("+", "%2B") for t in data["week"])
    week = f"/api/v1/availability?building={data['building']}&start={start}&end={end}"

    makers: dict[str, Callable[[], tuple[str, str, dict | None, int]]] = {
        "floor": lambda: ("GET", "/api/v1/me", None, 200),
        "signin": lambda: ("POST", signins, {"code": next(codes)}, 201),
        "booking": lambda: (
            "POST",
            bookings,
            dict(zip(("room_id", "start", "end"), next(free), strict=True)),
            201,
        ),
        "availability": lambda: ("GET", week, None, 200),
    }

    def call(make: Callable[[], tuple[str, str, dict | None, int]]) -> None:
        method, path, body, expected = make()
        status: list[str] = []
        chunks = app(_environ(method, path, token, body), lambda s, h, *a: status.append(s))
        try:
            b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        if not status[0].startswith(str(expected)):
            raise SystemExit(f"{method} {path}: {status[0]}")

    def backend() -> int | None:
        """The PostgreSQL server process of this connection (it changes when CONN_MAX_AGE ends it)."""
        if connection.vendor != "postgresql" or connection.connection is None:
            return None
        return connection.connection.info.backend_pid

    only = [name for name in PATHS if name == "floor" or name in (args.only or PATHS)]
    counts = {
        name: args.requests if name != "availability" else max(args.requests // 5, 20)
        for name in only
    }
    results: dict[str, dict[str, Any]] = {}
    for name in only:
        for _ in range(args.warmup):
            call(makers[name])
        statements = _statements_of(lambda: call(makers[name]))  # noqa: B023 - called at once
        results[name] = {"statements": len(statements), "sql": statements, "runs": []}
    # Paths take turns, `--repeat` rounds; the least CPU of each path's rounds is the one
    # least disturbed by other processes on the machine.
    for _round in range(args.repeat):
        for name in only:
            make, n = makers[name], counts[name]
            pid = backend()
            cpu0, db0, wall0 = time.process_time(), _backend_cpu(pid), time.perf_counter()
            for _ in range(n):
                call(make)
            if backend() != pid:  # the connection was replaced: its server CPU is unknown
                continue
            results[name]["runs"].append(
                (
                    (time.process_time() - cpu0) / n * 1000,
                    (_backend_cpu(pid) - db0) / n * 1000,
                    (time.perf_counter() - wall0) / n * 1000,
                )
            )
    for name in only:
        runs = results[name]["runs"] or [(float("nan"),) * 3]
        best = min(runs, key=lambda run: run[0] + run[1])
        results[name].update(cpu_ms=best[0], db_cpu_ms=best[1], wall_ms=best[2])
        if not args.top:
            continue
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(max(counts[name] // 4, 10)):
            call(makers[name])
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        results[name]["profile"] = out.getvalue()
    Path(args.child).write_text(json.dumps(results))


def report(label: str, results: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    floor = results["floor"]
    floor_total = floor["cpu_ms"] + floor["db_cpu_ms"]
    print(f"\n### {label}: CPU per request, in-process (load average {os.getloadavg()[0]:.1f})\n")
    print(
        "| path | statements | app CPU ms | db server CPU ms | total CPU ms | wall ms | "
        "CPU × floor | ≈ of floor's throughput |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        total = r["cpu_ms"] + r["db_cpu_ms"]
        ratio = total / floor_total if floor_total else 0.0
        print(
            f"| {name} | {r['statements']} | {r['cpu_ms']:.2f} | {r['db_cpu_ms']:.2f} | "
            f"{total:.2f} | {r['wall_ms']:.2f} | {ratio:.2f} | {1 / ratio if ratio else 0:.2f} |"
        )
    for name, r in results.items():
        if args.sql:
            print(f"\n#### {label} {name}: statements\n")
            for sql in r["sql"]:
                print(f"    {sql}")
        if args.top and "profile" in r:
            print(f"\n#### {label} {name}: top {args.top} by {args.sort} time\n")
            lines = r["profile"].splitlines()
            start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
            print("\n".join("    " + line for line in lines[start:] if line.strip()))


def run_database(label: str, database_url: str | None, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="meetops-profile-") as data_dir:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("MEETOPS_", "DATABASE_URL"))
        }
        env.update(
            MEETOPS_DATA_DIR=data_dir,
            SECRET_KEY="profile-only-" + "x" * 40,
            MEETOPS_AUDIT_KEY="profile-audit-key-" + "y" * 40,
            MEETOPS_LOG_LEVEL="WARNING",
            MEETOPS_EMBEDDED_WORKER="0",
            DJANGO_SETTINGS_MODULE="meetops.config.settings",
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        out = str(Path(data_dir) / "results.json")
        command = [PYTHON, __file__, "--child", out, *sys.argv[1:]]
        subprocess.run(command, env=env, check=True)
        report(label, json.loads(Path(out).read_text()), args)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per path")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the least CPU counts")
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=200_000)
    parser.add_argument("--top", type=int, default=15, help="cProfile lines per path (0: none)")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime…")
    parser.add_argument("--sql", action="store_true", help="print each path's statements")
    parser.add_argument("--only", action="append", choices=PATHS, help="paths besides the floor")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    sys.path.insert(0, str(HERE))
    from run import private_postgres  # bench/run.py

    if args.db in ("sqlite", "both"):
        run_database("sqlite", None, args)
    if args.db in ("postgresql", "both"):
        with private_postgres() as url:
            if url is None:
                print("PostgreSQL skipped: no binaries under /usr/lib/postgresql", file=sys.stderr)
            else:
                run_database("postgresql", url, args)


if __name__ == "__main__":
    main()
