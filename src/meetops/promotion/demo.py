"""Demo announcements: the evidence P2.7 completes from, for the public demo meetings.

When the meetings loader walks a public demo meeting through its stages it asks for this
evidence; the organiser announces the meeting on its public page and to its department's
bell. Internal meetings are not announced: their step is waived, as an office would.
"""

from __future__ import annotations

from meetops.core.demo import demo_evidence
from meetops.meetings.models import Confidentiality, Meeting
from meetops.people.models import User
from meetops.promotion import services


@demo_evidence("promotion.announced")
def announced(meeting: Meeting, actor: User) -> None:
    if meeting.confidentiality != Confidentiality.PUBLIC or meeting.announcements.exists():
        return
    department = [meeting.department] if meeting.department else []
    services.publish_announcement(
        meeting,
        actor=actor,
        title=f"欢迎参加：{meeting.title}",
        text="欢迎各单位师生踊跃参加，公开页面可在线报名，名额有限。",
        departments=department,
        public_page=True,
        channels=["inapp"] if department else [],
    )
