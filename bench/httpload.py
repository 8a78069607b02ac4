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

Request = tuple[str, str, dict | None]


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

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def reset(self) -> None:
        """A fresh connection: the server drops keep-alive connections idle for 2 s (gunicorn)."""
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def call(self, method: str, path: str, body: dict | None) -> tuple[int, bytes]:
        try:
            payload = json.dumps(body) if body is not None else None
            self.conn.request(method, path, body=payload, headers=self.headers)
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
    for client in clients:
        client.reset()
    result = Result(name, load_before=os.getloadavg()[0])
    counter = iter(range(10**9))
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    start_line = threading.Barrier(len(clients))

    def work(client: Client) -> None:
        start_line.wait()
        mine: list[float] = []
        while time.perf_counter() < deadline:
            with lock:
                request = make(next(counter))
            if request is None:
                break
            t = time.perf_counter()
            status, _body = client.call(*request)
            elapsed = time.perf_counter() - t
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status in ok:
                    mine.append(elapsed)
                else:
                    result.errors += 1
        with lock:
            result.latencies += mine

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - t0
    result.load_after = os.getloadavg()[0]
    return result


def race_once(clients: list[Client], meeting: int, code: str) -> list[tuple[int, bytes]]:
    for client in clients:
        client.reset()
    answers: list[tuple[int, bytes]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients))

    def race(client: Client) -> None:
        barrier.wait()
        answer = client.call("POST", f"/api/v1/meetings/{meeting}/signins", {"code": code})
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=race, args=(c,)) for c in clients]
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
        for _ in range(300):
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=30)
