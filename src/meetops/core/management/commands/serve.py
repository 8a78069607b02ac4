from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import get_internal_wsgi_application
from django.utils.module_loading import import_string

from meetops.core.demo import DEMO_LOGINS


def default_workers() -> int:
    """One server process per core, at least two (one busy process must not stall the site)."""
    return max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2)


class Command(BaseCommand):
    help = "Serve MeetOps with gunicorn (several workers; SQLite in WAL mode handles their writes)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        # Chosen by measurement (bench/load.py, docs/benchmarks.md "Server tuning"): on 2 cores,
        # 2 workers × 4 threads was 14–29 % slower than 2 × 1 in every run, threads only
        # contending for the GIL. One process per core, one thread each; raise threads only
        # where requests wait on a remote database or other services.
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("MEETOPS_WORKERS", "0")) or default_workers(),
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("MEETOPS_THREADS", "1"))
        )
        parser.add_argument(
            "--announce", action="store_true", help="print the URL and the demo logins"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from gunicorn.app.base import BaseApplication  # only the server loads gunicorn

        application = get_internal_wsgi_application()  # settings.WSGI_APPLICATION
        if opts["announce"]:
            url = f"http://{opts['host']}:{opts['port']}/"
            self.stdout.write(self.style.SUCCESS(f"\nMeetOps is running at {url}"))
            self.stdout.write(f"Demo logins (password for all: {DEMO_LOGINS['password']}):")
            for username, role in DEMO_LOGINS["users"]:
                self.stdout.write(f"  {username:<12} {role}")
            self.stdout.write("")

        options = {
            "bind": f"{opts['host']}:{opts['port']}",
            "workers": opts["workers"],
            "threads": opts["threads"],
            "worker_class": "gthread",
            "timeout": 60,
            "accesslog": "-" if settings.DEBUG else None,
            "errorlog": "-",
        }
        multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if multiproc_dir:
            # /metrics adds up every server process's counters from files (core/metrics.py):
            # start from none, and forget a process's live values when it exits.
            from meetops.core.metrics import mark_process_dead, reset_multiprocess_dir

            reset_multiprocess_dir(multiproc_dir)
            options["child_exit"] = lambda _server, worker: mark_process_dead(worker.pid)
        if getattr(settings, "MEETOPS_EMBEDDED_WORKER", False):
            # Each server process also sends the outbox (claims make that safe). The worker is
            # named by the settings (the wiring), so core names no app.
            start_embedded_worker = import_string(settings.MEETOPS_EMBEDDED_WORKER_START)
            options["post_worker_init"] = lambda _worker: start_embedded_worker()

        class Server(BaseApplication):
            def load_config(self) -> None:
                for key, value in options.items():
                    if value is not None:
                        self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        Server().run()
