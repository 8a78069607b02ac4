"""How the process takes part in a meeting's life without meetings naming policy.

Registered in the core registry's "meeting_hooks" store (policy/contributions.py): a new
meeting gets the current process's steps, a forward stage change is stopped by the
stage's open required steps, and the meeting page shows the process (its stage bar and
the "Process" card and what needs doing now, `meeting_links` slots "stagebar",
"process" and "now").
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.policy import services
from meetops.policy.models import MeetingStep
from meetops.policy.selectors import needs_doing_now, process_overview


def on_created(meeting: Meeting) -> None:
    services.instantiate_steps(meeting)


def blocking(meeting: Meeting, stage: str, actor: User | None) -> list[MeetingStep]:
    return services.open_required_steps(meeting, stage=stage, actor=actor)


def page_context(user: User, meeting: Meeting) -> dict[str, Any]:
    overview = process_overview(meeting, user)
    return {"process": overview, "now": needs_doing_now(meeting, user, overview=overview)}


def on_rescheduled(meeting: Meeting, old_start: Any, old_end: Any, actor: User | None) -> list[str]:
    """After the other apps followed the new time (venues' order is lower): steps completed from
    evidence that no longer holds are open again, and the mover is told which."""
    return [
        _("Step %(clause)s “%(title)s” is open again: its evidence no longer holds.")
        % {"clause": step.clause, "title": step.title}
        for step in services.rejudge_evidence(meeting, actor=actor)
    ]
