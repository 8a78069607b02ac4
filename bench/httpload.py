"""HTTP load over keep-alive connections, shared by the load benchmarks (bench/load.py, bench/multinode.py).

Stdlib only: a `Client` per simulated caller, `run_load` for N clients over a time budget
with latency percentiles (`Result`), `run_races` for many clients posting the same sign-in
code at once, and `server` for a `meetops serve` started in a given environment.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PYTHON = sys.executable
MEETOPS = str(Path(PYTHON).parent / "meetops")


@dataclass(frozen=True)
class Raw:
    """A body sent as it is under its own Content-Type (a multipart upload)."""

    data: bytes
    content_type: str


Request = tuple[str, str, dict | Raw | None]
# One request of a mixed load: its kind (the row it is counted in), the request, the statuses
# that count as success.
Step = tuple[str, Request, frozenset[int]]


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    seconds: float = 0.0
    load_before: float = 0.0
    load_after: float = 0.0

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


class Client:
    """One keep-alive connection; reconnects after a failure."""

    def __init__(self, port: int, token: str, extra: dict[str, str] | None = None) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.headers.update(extra or {})
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def reset(self) -> None:
        """A fresh connection: the server drops keep-alive connections idle for 2 s (gunicorn)."""
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def call(self, method: str, path: str, body: dict | Raw | None) -> tuple[int, bytes]:
        try:
            headers = self.headers
            payload: str | bytes | None = None
            if isinstance(body, Raw):
                headers = {**headers, "Content-Type": body.content_type}
                payload = body.data
            elif body is not None:
                payload = json.dumps(body)
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.reset()
            return 0, b""


def run_load(
    name: str,
    clients: list[Client],
    seconds: float,
    make: Callable[[int], Request | None],
    ok: frozenset[int],
) -> Result:
    """Every client sends make(n) for the next n until `seconds` pass or make returns None."""

    def step(n: int) -> Step | None:
        request = make(n)
        return None if request is None else (name, request, ok)

    return run_mix(clients, seconds, step, kinds=[name])[name]


Seen = Callable[[Step, int, bytes, float], None]


def run_mix(
    clients: list[Client],
    seconds: float,
    make: Callable[[int], Step | None],
    kinds: list[str],
    seen: Seen | None = None,
) -> dict[str, Result]:
    """Every client sends make(n) for the next n until `seconds` pass or make returns None.

    Counted per kind of step; `seen(step, status, body, finished)` hears every answer
    (status 0: the connection failed), `finished` on the perf_counter clock.
    """
    for client in clients:
        client.reset()
    load_before = os.getloadavg()[0]
    results = {kind: Result(kind, load_before=load_before) for kind in kinds}
    counter = iter(range(10**9))
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    start_line = threading.Barrier(len(clients))

    def work(client: Client) -> None:
        start_line.wait()
        mine: dict[str, list[float]] = {kind: [] for kind in kinds}
        while time.perf_counter() < deadline:
            with lock:
                step = make(next(counter))
            if step is None:
                break
            kind, request, ok = step
            t = time.perf_counter()
            status, body = client.call(*request)
            finished = time.perf_counter()
            if seen is not None:
                seen(step, status, body, finished)
            with lock:
                result = results[kind]
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status in ok:
                    mine[kind].append(finished - t)
                else:
                    result.errors += 1
        with lock:
            for kind, latencies in mine.items():
                results[kind].latencies += latencies

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    load_after = os.getloadavg()[0]
    for result in results.values():
        result.seconds = elapsed
        result.load_after = load_after
    return results


def race_once(clients: list[Client], meeting: int, code: str) -> list[tuple[int, bytes]]:
    return race(clients, ("POST", f"/api/v1/meetings/{meeting}/signins", {"code": code}))


def race(clients: list[Client], request: Request) -> list[tuple[int, bytes]]:
    """Every client sends the same request at once, each on a fresh connection."""
    for client in clients:
        client.reset()
    answers: list[tuple[int, bytes]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients))

    def send(client: Client) -> None:
        barrier.wait()
        answer = client.call(*request)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def run_races(clients: list[Client], meeting: int, codes: list[str]) -> tuple[int, int]:
    """Every client posts the same code at once; (races, races with other than one 201 and one id)."""
    bad = 0
    for code in codes:
        answers = race_once(clients, meeting, code)
        statuses = sorted(s for s, _b in answers)
        ids = {json.loads(b)["id"] for s, b in answers if s in (200, 201)}
        if statuses != [200] * (len(clients) - 1) + [201] or len(ids) != 1:
            bad += 1
    return len(codes), bad


def server_env(data_dir: str) -> dict[str, str]:
    """This process's environment without MeetOps settings, plus a data dir and fixed secrets."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEETOPS_", "DATABASE_URL"))}
    env.update(
        MEETOPS_DATA_DIR=data_dir,
        SECRET_KEY="load-test-only-" + "x" * 40,
        MEETOPS_AUDIT_KEY="load-test-audit-key-" + "y" * 40,
        MEETOPS_LOG_LEVEL="WARNING",
        MEETOPS_EMBEDDED_WORKER="0",
    )
    return env


@contextlib.contextmanager
def server(env: dict[str, str], port: int, workers: int, threads: int) -> Iterator[None]:
    proc = subprocess.Popen(
        [
            MEETOPS,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(port)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_healthy(port: int, tries: int = 300) -> None:
    """Until GET /healthz on the port answers 200 (0.2 s apart), else RuntimeError."""
    for _ in range(tries):
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not start")
