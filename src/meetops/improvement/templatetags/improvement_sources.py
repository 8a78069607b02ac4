"""`{% source_actions %}`: beside a problem on another app's page (a questionnaire comment, an
evaluation indicator, an acceptance, a drill), what it already became and the one-step links
to record a lesson or plan a measure from it (P6.7, P9.1), for those who may."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from meetops.improvement import permissions as perms
from meetops.improvement.models import Lesson
from meetops.improvement.selectors import sourced_from
from meetops.improvement.sources import KINDS
from meetops.meetings.models import Meeting

register = template.Library()


def _meeting_facts(request: Any, meeting: Meeting) -> dict[str, Any]:
    """Asked once per meeting and request: a page lists many sources of one meeting."""
    cache: dict[int, dict[str, Any]] = request.__dict__.setdefault("_improvement_sources", {})
    if meeting.pk not in cache:
        user = request.user
        cache[meeting.pk] = {
            "lessons": perms.can_write_lessons(user, meeting),
            "measures": perms.can_plan_measures(user, meeting),
            "found": sourced_from(meeting),
        }
    return cache[meeting.pk]


def _args(kind: str, object_id: int, key: str) -> list[Any]:
    return [kind, object_id, key] if key else [kind, object_id]


@register.simple_tag(takes_context=True)
def source_actions(
    context: template.Context, kind: str, object_id: int, key: str, meeting: Meeting | None
) -> dict[str, Any] | None:
    request = context.get("request")
    if request is None or meeting is None or kind not in KINDS or not object_id:
        return None
    facts = _meeting_facts(request, meeting)
    if not (facts["lessons"] or facts["measures"]):
        return None
    rows = facts["found"].get((kind, int(object_id), key or ""), [])
    recorded = [
        {
            "url": reverse("meeting_lessons", args=[meeting.pk]) + f"#lesson-{row.pk}",
            "label": _("Lesson recorded"),
        }
        if isinstance(row, Lesson)
        else {
            "url": reverse("measure_detail", args=[row.pk]),
            "label": _("Measure: %(title)s") % {"title": row.title[:60]},
        }
        for row in rows
    ]
    has_lesson = any(isinstance(row, Lesson) for row in rows)
    args = _args(kind, int(object_id), key or "")
    return {
        "recorded": recorded,
        "lesson_url": reverse("lesson_from_source", args=args)
        if facts["lessons"] and KINDS[kind].for_lessons and not has_lesson
        else "",
        "measure_url": reverse("measure_from_source", args=args) if facts["measures"] else "",
    }
