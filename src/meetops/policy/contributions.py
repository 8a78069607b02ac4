"""What policy adds to the whole (the app contract, docs/adr/0009-app-contract-registry.md):
the process and its steps.
The hubs read it from the core registry; nothing outside policy names it."""

from __future__ import annotations

from meetops.core.registry import ArchiveSource, UrlInclude, registry
from meetops.policy import audit_labels, events, jobs, review  # noqa: F401 - for what they register

registry["urls"].register(
    "policy.process", UrlInclude("process/", "meetops.policy.process_urls", order=130)
)
registry["archive"].register(
    "policy.step_attachments", ArchiveSource("meetops.policy.archive.step_attachments", order=70)
)
