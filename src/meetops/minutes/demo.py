"""Demo minutes: the evidence for P3.9 (minutes submitted; the demo also approves and publishes them) and P3.10 (closing summary).

The meetings loader walks each demo meeting through its stages; when a step
completes from one of these rules it asks here for the evidence: minutes written
per agenda item by the recorder (or the organiser), the host's closing summary,
and, for P3.9, the host's approval and publication plus one action item.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meetops.core.demo import demo_evidence
from meetops.meetings.models import Meeting, MeetingRole
from meetops.minutes import services
from meetops.minutes.models import Minutes, MinutesState
from meetops.minutes.selectors import users_in_role
from meetops.people.models import User


def _person(meeting: Meeting, role: str, fallback: User) -> User:
    people = users_in_role(meeting, role)
    return people[0] if people else fallback


def _write(meeting: Meeting, actor: User) -> Minutes:
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing is not None and existing.summary:
        return existing
    writer = _person(meeting, MeetingRole.RECORDER, actor)
    # Only what a recorder would have written: items without a note stay empty, and the
    # minutes mark them （未记录） rather than carry a sentence nobody wrote.
    sections = [
        {"agenda_item_id": item.pk, "title": item.title, "notes": "", "decisions": []}
        for item in meeting.agenda_items.order_by("order", "id")
    ] or [{"title": "会议议定事项", "notes": ""}]
    sections[-1]["decisions"] = [
        {"text": "同意按讨论意见推进工作", "votes_for": 9, "votes_against": 0, "votes_abstain": 1}
    ]
    return services.save_minutes(
        meeting,
        actor=writer,
        sections=sections,
        summary="会议达成预期目标，明确了下一步工作。",
        action_plan="办公室牵头，各部门按分工落实。",
    )


@demo_evidence("minutes.summary_recorded")
def summary_for_demo(meeting: Meeting, actor: User) -> None:
    _write(meeting, actor)


@demo_evidence("minutes.submitted")
def approved_minutes_for_demo(meeting: Meeting, actor: User) -> None:
    minutes = _write(meeting, actor)
    if minutes.state != MinutesState.DRAFT:
        return
    writer = _person(meeting, MeetingRole.RECORDER, actor)
    host = _person(meeting, MeetingRole.HOST, actor)
    services.submit_minutes(minutes, actor=writer)
    # The demo writes the minutes as the meeting closes: its agenda is not timed item by item.
    services.approve_minutes(minutes, actor=host, confirm_unheld=True)
    services.publish_minutes(minutes, actor=host, confirm_unheld=True)
    services.create_action(
        meeting,
        actor=host,
        title="落实会议决定",
        owner=writer,
        due_date=timezone.localdate() + timedelta(days=14),
    )
