"""One sender per channel. A sender either returns a response code (delivered),
or raises `Retry` / `Permanent`. It calls `commit_point()` right before the
step that cannot be taken back (see docs/adr/0007-outbox-and-worker.md)."""

from __future__ import annotations

from collections.abc import Callable


class SendError(Exception):
    def __init__(
        self,
        message: str,
        code: str = "",
        *,
        retry_after: float | None = None,
        ambiguous: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after
        # True when the failure came after the commit point with no clear answer:
        # the message may have arrived, so it must not be sent again.
        self.ambiguous = ambiguous


class Retry(SendError):
    """Temporary: try again later (throttled, server busy, network down)."""


class Permanent(SendError):
    """Will not work by retrying (bad address, bad signature, removed robot)."""


# commit_point(pipelined=False) -> settle: commits the sent marker (LeaseLost if
# the claim is gone). With pipelined=True the COMMIT may still be in flight;
# call settle() right after the irreversible write. See notifications/handover.py.
CommitPoint = Callable[..., Callable[[], bool]]
