"""Every write to minutes and action items goes through here (split by sub-domain)."""

from meetops.minutes.services.actions import create_action, update_action
from meetops.minutes.services.minutes import (
    approve_minutes,
    publish_minutes,
    reopen_minutes,
    return_minutes,
    save_minutes,
    submit_minutes,
)

__all__ = [
    "approve_minutes",
    "create_action",
    "publish_minutes",
    "reopen_minutes",
    "return_minutes",
    "save_minutes",
    "submit_minutes",
    "update_action",
]
