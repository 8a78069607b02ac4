"""The archive's periodic job, run by `meetops worker` (and the embedded worker of
`meetops serve`): filings people asked for on the pages, picked up within seconds (a request
wakes an idle worker)."""

from __future__ import annotations

from meetops.core.scheduler import periodic
from meetops.records.services.filing import claim_filing, run_filing

QUEUED_JOB = "records.queued_filings"


@periodic(every_seconds=5, name=QUEUED_JOB)
def run_queued_filings() -> int:
    """File every meeting whose filing was asked for; returns how many runs this worker took.

    Several workers may run it at once (a long filing outlives the job's lease): each run is
    claimed by one of them."""
    taken = 0
    while (claimed := claim_filing()) is not None:
        run, lease = claimed
        run_filing(run, lease=lease)
        taken += 1
    return taken
