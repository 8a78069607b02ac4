"""The first draft of a summary report, written from what the meeting recorded (P4.2).

Title, time and place, attendance figures (the sign-in app's counts), topics
(the agenda), discussion and decisions (the minutes), the host's closing summary
and the action items. Written in the active language; the organiser edits it after.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from meetops.agenda.exports import _clock, _when
from meetops.agenda.selectors import items_of
from meetops.attendance.selectors import summary as attendance_summary
from meetops.meetings.models import Meeting
from meetops.minutes.models import ActionItem
from meetops.minutes.selectors import actions_of, document_of


def _owner(action: ActionItem) -> str:
    names = [str(action.owner or ""), action.department.name if action.department else ""]
    return " / ".join(n for n in names if n)


def draft_content(meeting: Meeting) -> dict[str, str]:
    """The drafted report, in the meeting's language whoever drafts it: it becomes an official
    document (documents/render.py renders it in that language too)."""
    with translation.override(meeting.language or settings.LANGUAGE_CODE):
        return _draft_content(meeting)


def _draft_content(meeting: Meeting) -> dict[str, str]:
    """The report's title and text sections, from the meeting's agenda, sign-ins, minutes and actions."""
    counts = attendance_summary(meeting)
    place = meeting.location or meeting.online_url or "—"
    overview = "\n".join(
        [
            _("Time: %(start)s – %(end)s")
            % {"start": _when(meeting.start), "end": _clock(meeting.end)},
            _("Place: %(place)s") % {"place": place},
            _(
                "Attendance: %(expected)d expected, %(signed)d signed in (%(late)d late), "
                "%(walk_ins)d walk-ins, %(missing)d not signed in"
            )
            % {
                "expected": counts.expected,
                "signed": counts.signed_in,
                "late": counts.late,
                "walk_ins": counts.walk_ins,
                "missing": counts.not_yet,
            },
        ]
    )
    topics = "\n".join(f"{i}. {item.title}" for i, item in enumerate(items_of(meeting), start=1))
    doc = document_of(meeting)
    discussion = "\n\n".join(f"{s.title}\n{s.notes}".strip() for s in doc.sections if s.notes)
    decisions = []
    for s in doc.sections:
        for d in s.decisions:
            votes = d.votes_text()
            decisions.append(f"{d.text}" + (f"（{votes}）" if votes else ""))
    consensus = "\n".join(f"{i}. {text}" for i, text in enumerate(decisions, start=1))
    follow = []
    for i, a in enumerate(actions_of(meeting), start=1):
        due = _("due %(date)s") % {"date": a.due_date.isoformat()} if a.due_date else ""
        extra = "，".join(x for x in (_owner(a), due) if x)
        follow.append(f"{i}. {a.title}" + (f"（{extra}）" if extra else ""))
    follow_up = "\n".join(follow)
    if doc.action_plan:
        follow_up = f"{doc.action_plan}\n{follow_up}".strip()
    return {
        "title": _("Summary report: %(title)s") % {"title": meeting.title},
        "overview": overview,
        "topics": topics,
        "discussion": discussion,
        "consensus": consensus,
        "summary": doc.summary,
        "follow_up": follow_up,
    }
