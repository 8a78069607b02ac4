"""A real `meetops worker` with one extra job, `test.tick` (every second), for the scheduler's
exactly-once test (src/meetops/core/tests/test_scheduler_nodes.py). Each run of the job appends
a line to $TICK_LOG: the test counts them against the claimed slots.

    python tests/nodes/scheduler_node.py worker --poll 0.05
"""

from __future__ import annotations

import os
import sys
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meetops.config.settings")
    django.setup()
    from meetops.cli import main as meetops
    from meetops.core.scheduler import periodic

    log = os.environ["TICK_LOG"]

    @periodic(every_seconds=1, name="test.tick")
    def tick() -> None:
        with open(log, "a") as f:
            f.write(f"{os.getpid()} {time.time():.3f}\n")
        time.sleep(0.2)  # a run that takes a while: the other workers poll meanwhile

    meetops(sys.argv[1:])


if __name__ == "__main__":
    main()
