"""Change events from a platform's callback, applied at once through directory sync's own
functions (a person added, moved or left; a department created, renamed or deleted)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from meetops.workim.platforms import Event, Platform

logger = logging.getLogger(__name__)


def apply_events(platform: Platform, events: Sequence[Event]) -> int:
    """Apply the directory events; returns how many changed something."""
    return 0
